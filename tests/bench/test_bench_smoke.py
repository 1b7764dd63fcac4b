"""The benchmark's own pieces still work as the apps change. Nothing here times anything:
``make bench`` measures; these tests only check the benchmark measures the right thing."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from accounts.models import User
from bench import direct, pages, seed
from evidence.chain import chain_verify
from evidence.models import EvidenceEntry
from partnerships.models import Partnership

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.IS_POSTGRES, reason="the benchmark seeds with PostgreSQL COPY (CI has it)"
    ),
]


@pytest.fixture
def seeded():
    seed.seed(seed.Scale(partnerships=12, evidence=300), progress=None)
    return seed.bench_organization()


def test_seeded_evidence_forms_a_valid_hash_chain(seeded):
    report = chain_verify(seeded.pk)

    assert report.intact, report.problem
    assert report.checked == 300
    assert seed.current_scale() == seed.Scale(partnerships=12, evidence=300)


def test_seeded_rows_reference_the_organizations_own_partnerships(seeded):
    partnership_ids = set(
        Partnership.objects.filter(organization=seeded).values_list("pk", flat=True)
    )
    used = set(EvidenceEntry.objects.values_list("partnership_id", flat=True))

    assert used <= partnership_ids
    assert EvidenceEntry.objects.filter(supersedes__isnull=False).count() == len(
        set(EvidenceEntry.objects.exclude(supersedes=None).values_list("supersedes", flat=True))
    )


@pytest.mark.urls("bench.urls")
def test_every_benchmarked_page_exists_and_renders_for_the_owner(seeded):
    found, missing = pages.discover(seeded, partnerships=12, evidence=300)
    client = Client()
    client.force_login(User.objects.get(email=seed.LOGIN_EMAIL))
    admin = Client()
    admin.force_login(seed.admin_user())

    assert missing == []
    assert [p.label for p in found[:2]] == [pages.BARE_LABEL, pages.ADMIN_LABEL]
    for page in found:
        response = (admin if page.as_admin else client).get(page.url)
        assert response.status_code == 200, page.label


def test_weekly_cycle_check_sees_one_digest_per_owner_and_none_on_rerun(
    seeded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = direct.weekly_cycle(organization=seeded, partnerships=12)

    # Inside a test transaction the e-mails go out when the callbacks run, after the check.
    recipients = [m.to[0] for m in mail.outbox if "digest:" in m.extra_headers["X-Accord-Key"]]
    assert report.reviews_created > 0
    assert report.digests_expected > 0
    assert report.digests_queued == report.digests_expected
    assert report.duplicate_recipients == []
    assert report.second_run_queued == 0
    assert sorted(recipients) == sorted(set(recipients))
    assert len(recipients) == report.digests_expected
