"""The whole demo, as ``seed_demo`` loads it: every launched (walk / run) demo partnership has
an executed, sealed charter (rule 3), the pre-launch cases sit on crawl partnerships, the
review history agrees with the ghosting flags, and a second run changes nothing."""

import io

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command

from charters.models import Charter, SignatureRequest, Signer
from charters.selectors import verify_document
from demo.data import reviews as review_data
from notifications.models import OutboundEmail
from partnerships.models import LaunchItem, Partnership, PartnershipEvent
from reviews.models import HealthReview, PartnerReview, ReviewCycle, ReviewDisagreement

LAUNCHED = ["walk", "run"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """seed_demo once for the module, committed (as on a real install: tasks run after
    commit, eagerly in tests)."""
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


def _snapshot() -> dict:
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    counts["launch items done"] = LaunchItem.objects.filter(done=True).count()
    counts["charters executed"] = sorted(
        Charter.objects.filter(executed_at__isnull=False).values_list("pk", "executed_at")
    )
    counts["requests"] = sorted(
        SignatureRequest.objects.values_list("pk", "state", "execution_state", "executed_sha256")
    )
    counts["partnerships"] = sorted(
        Partnership.objects.values_list(
            "pk", "tier", "phase", "status", "phase_started_on", "missed_review_cycles"
        )
    )
    counts["reviews"] = sorted(HealthReview.objects.values_list("pk", "state", "submitted_at"))
    return counts


@pytest.mark.django_db
def test_every_launched_demo_partnership_has_an_executed_charter_that_verifies(seeded):
    launched = list(
        Partnership.objects.filter(phase__in=LAUNCHED).select_related("partner", "organization")
    )
    assert {p.organization.slug for p in launched} == {"northwind", "globex"}
    for p in launched:
        charter = Charter.objects.get(partnership=p)
        assert charter.executed_at is not None, p.name
        request = SignatureRequest.objects.get(
            version=charter.executed_version, state=SignatureRequest.State.COMPLETED
        )
        assert request.execution_state == SignatureRequest.Execution.DONE, p.name
        with default_storage.open(request.executed_pdf, "rb") as fh:
            result = verify_document(fh.read())
        assert result.valid, (p.name, result.problems)
        assert result.request.version.charter.partnership_id == p.pk
        signers = list(request.signers.all())
        ours = [s for s in signers if s.side == Signer.Side.OURS]
        theirs = [s for s in signers if s.side == Signer.Side.PARTNER]
        assert ours and theirs and all(s.state == Signer.State.SIGNED for s in signers)
        assert all(s.user_id in {p.owner_id, p.approver_id} for s in ours)
        assert all(s.contact.partner_id == p.partner_id for s in theirs)
        kinds = list(request.audit_events.values_list("kind", flat=True))
        for kind in ["sent", "opened", "consented", "signed", "completed", "sealed"]:
            assert kind in kinds, (p.name, kind)
        # Specific text, not boilerplate: the partnership's own claim and criteria.
        version = charter.executed_version
        assert p.claim_uncertainty in version.measurement
        assert p.phase_success_criteria in version.timeline
        item = LaunchItem.objects.filter(
            plan__partnership=p, title__istartswith="Charter signed"
        ).first()
        assert item is None or item.done, p.name


@pytest.mark.django_db
def test_demo_keeps_its_pre_launch_charter_cases_on_crawl_partnerships(seeded):
    requests = SignatureRequest.objects.select_related("version__charter__partnership")
    assert not requests.filter(
        version__charter__partnership__phase__in=LAUNCHED,
        state__in=[SignatureRequest.State.PENDING, SignatureRequest.State.DECLINED],
    ).exists()
    crawl = requests.filter(version__charter__partnership__phase="crawl")
    assert crawl.filter(execution_state=SignatureRequest.Execution.DONE).exists()
    awaiting = crawl.get(state=SignatureRequest.State.PENDING)
    assert awaiting.signers.get(side=Signer.Side.OURS).state == Signer.State.SIGNED
    assert awaiting.signers.get(side=Signer.Side.PARTNER).state == Signer.State.PENDING
    declined = crawl.get(state=SignatureRequest.State.DECLINED)
    assert declined.signers.get(side=Signer.Side.PARTNER).decline_reason


@pytest.mark.django_db
def test_demo_e_mails_only_demo_addresses(seeded):
    recipients = set(OutboundEmail.objects.values_list("to", flat=True))
    assert recipients
    assert all(r.endswith((".example", ".test")) for r in recipients), recipients


@pytest.mark.django_db
def test_second_demo_run_changes_nothing_and_sends_nothing(seeded, mailoutbox):
    before = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == before
    assert mailoutbox == []


@pytest.mark.django_db
def test_demo_review_history_agrees_with_the_ghosting_flags(seeded):
    for cycles in (
        ReviewCycle.objects.filter(organization__slug=slug).order_by("starts_on")
        for slug in ("northwind", "globex")
    ):
        *past, current = cycles
        assert len(past) == review_data.PAST_CYCLES
        assert not current.reviews.exclude(state__in=HealthReview.OPEN_STATES).exists()
        assert all(not c.reviews.filter(state__in=HealthReview.OPEN_STATES).exists() for c in past)
    for p in Partnership.objects.filter(phase__in=LAUNCHED, status="active"):
        assert p.missed_review_cycles == review_data.GHOSTING.get(p.name, 0), p.name
    for name, missed in review_data.GHOSTING.items():
        p = Partnership.objects.get(name=name)
        assert p.missed_review_cycles == missed
        latest = HealthReview.objects.filter(partnership=p).order_by("-cycle__starts_on")[
            1 : missed + 1
        ]
        assert {r.state for r in latest} == {HealthReview.State.SKIPPED}
    submitted = HealthReview.objects.filter(state=HealthReview.State.SUBMITTED)
    assert submitted.exists()
    assert set(submitted.values_list("health", flat=True)) == {"green", "amber", "red"}
    # one timeline line per review submitted, ours or the partner's, and per disagreement
    partner_side = PartnerReview.objects.filter(state=PartnerReview.State.SUBMITTED).count()
    lines = submitted.count() + partner_side + ReviewDisagreement.objects.count()
    assert partner_side and PartnershipEvent.objects.filter(kind="review").count() == lines
