import pytest

from accounts import demo as accounts_demo
from evidence import demo
from evidence.chain import chain_verify
from evidence.models import Decision, EvidenceEntry
from partnerships import demo as partnerships_demo

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_year_of_evidence_once():
    orgs, users = accounts_demo.seed()
    partnerships_demo.seed(orgs, users)
    demo.seed(orgs, users)
    count = EvidenceEntry.objects.count()
    assert 150 <= count <= 1000
    assert Decision.objects.filter(state="pending").exists()
    assert Decision.objects.filter(approver__isnull=False, approved_at__isnull=False).exists()
    assert EvidenceEntry.objects.filter(supersedes__isnull=False).exists()
    for org in orgs.values():
        assert chain_verify(org.pk).intact
    demo.seed(orgs, users)
    assert EvidenceEntry.objects.count() == count


def test_demo_copes_with_no_partnerships():
    orgs, users = accounts_demo.seed()
    demo.seed(orgs, users)
    assert not EvidenceEntry.objects.exists()
