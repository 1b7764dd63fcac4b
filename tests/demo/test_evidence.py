"""The evidence demo: a year of entries on a chain that verifies, decisions and approvals,
loaded once."""

import pytest

from demo.loaders import accounts as accounts_loader
from demo.loaders import evidence as loader
from demo.loaders import partnerships as partnerships_loader
from evidence.chain import chain_verify
from evidence.models import Decision, EvidenceEntry

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_year_of_evidence_once():
    orgs, users = accounts_loader.load()
    partnerships_loader.load(orgs, users)
    loader.load(orgs, users)
    count = EvidenceEntry.objects.count()
    assert 150 <= count <= 1000
    assert Decision.objects.filter(state="pending").exists()
    assert Decision.objects.filter(approver__isnull=False, approved_at__isnull=False).exists()
    assert EvidenceEntry.objects.filter(supersedes__isnull=False).exists()
    for org in orgs.values():
        assert chain_verify(org.pk).intact
    loader.load(orgs, users)
    assert EvidenceEntry.objects.count() == count


def test_demo_copes_with_no_partnerships():
    orgs, users = accounts_loader.load()
    loader.load(orgs, users)
    assert not EvidenceEntry.objects.exists()
