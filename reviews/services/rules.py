"""The daily rules: deferral by default (rule 5), phase time boxes (rule 6), ghosting (rule 7).

Each runs once a day per organization and is safe to run twice: a marker row with a unique
constraint (one deferral per trigger date, one time-box flag per phase start) is written in the
same transaction as the decision, timeline note and e-mails, so a retried or overlapping scan
finds the marker and does nothing. "Today" is always the organization's own date.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse

from accounts.models import Organization
from core.clock import org_today
from core.events import emit, partnership_ref
from core.i18n import member_language
from evidence.models import Decision, DecisionKind
from evidence.services import decision_record
from notifications.services import email_queue
from partnerships.models import PHASE_WEEKS, Partnership, PartnershipEvent, Phase, Status
from partnerships.services import event_record

from ..models import DeferralEnforcement, HealthReview, PhaseTimeBoxFlag, ReviewCycle

log = logging.getLogger(__name__)

# Partnerships that are still being run get reviewed; deferred or ended ones do not.
REVIEWED_STATUSES = (Status.ACTIVE, Status.RENEGOTIATING, Status.UNWINDING)
# Statuses rule 5 may move to deferred (a deferred, unwinding or ended one is left alone).
DEFERRABLE_STATUSES = (Status.PROPOSED, Status.ACTIVE, Status.RENEGOTIATING)
GHOSTING_LOOKBACK_CYCLES = 8


def reviewed_phases(organization: Organization) -> list[str]:
    """Walk and run are reviewed every cycle; crawl only when the organization asks for it,
    because a crawl is a short experiment whose evidence is the go / no-go itself."""
    phases = [Phase.WALK, Phase.RUN]
    if organization.review_include_crawl:
        phases.insert(0, Phase.CRAWL)
    return phases


def phase_deadline(partnership) -> datetime.date | None:
    """The last day of the partnership's current phase time box (rule 6), or None when the
    phase has no box, no start date, or one so far ahead that its box ends past the calendar
    (a mistyped year must not break the calendar feed or the daily scan)."""
    weeks = PHASE_WEEKS.get(partnership.phase)
    if not weeks or not partnership.phase_started_on:
        return None
    try:
        return partnership.phase_started_on + datetime.timedelta(weeks=weeks[1])
    except OverflowError:
        return None


# --------------------------------------------------------------------------- ghosting (rule 7)


def ghosting_refresh(*, organization: Organization) -> int:
    """Recount consecutive missed cycles after launch (the ghosting flag, SPEC rule 7).

    Looks at the organization's recent closed cycles only (a count above the look-back is
    already a flag); writes with ``update()`` only where the count changed.
    """
    cycle_ids = list(
        ReviewCycle.objects.filter(organization=organization)
        .order_by("-starts_on")
        .values_list("pk", flat=True)[: GHOSTING_LOOKBACK_CYCLES + 1]
    )
    rows = (
        HealthReview.objects.filter(
            cycle_id__in=cycle_ids,
            partnership__launched_on__isnull=False,
            cycle__starts_on__gte=F("partnership__launched_on"),
        )
        .exclude(state__in=HealthReview.OPEN_STATES)
        .order_by("partnership_id", "-cycle__starts_on")
        .values_list("partnership_id", "state")
    )
    counts: dict[int, int] = {}
    broken: set[int] = set()
    for partnership_id, state in rows:
        if partnership_id in broken:
            continue
        if state == HealthReview.State.SKIPPED:
            counts[partnership_id] = counts.get(partnership_id, 0) + 1
        else:
            counts.setdefault(partnership_id, 0)
            broken.add(partnership_id)
    by_count: dict[int, list[int]] = defaultdict(list)
    for partnership_id, count in counts.items():
        by_count[count].append(partnership_id)
    changed = 0
    for count, ids in by_count.items():
        changed += (
            Partnership.objects.filter(pk__in=ids)
            .exclude(missed_review_cycles=count)
            .update(missed_review_cycles=count)
        )
    return changed


# --------------------------------------------------------------------------- deferral (rule 5)


def _committed():
    return Decision.objects.filter(partnership=OuterRef("pk"), kind=DecisionKind.COMMIT).exclude(
        state=Decision.State.REJECTED
    )


def deferrals_apply(*, organization: Organization, now: datetime.datetime | None = None) -> int:
    """Rule 5: a deferral date that passed with no commit decision defers the partnership.

    One ``DeferralEnforcement`` row per (partnership, date) is the idempotency guard: it is
    inserted first, inside the same transaction as the system decision and the e-mails, so a
    second scan (or a concurrent one) does nothing. The deferral date is the last day to decide:
    on that day (the organization's own date, not UTC's) there is still time, so only a date
    strictly before today passes.
    """
    today = org_today(organization, now)
    enforced = DeferralEnforcement.objects.filter(
        partnership=OuterRef("pk"), deferral_date=OuterRef("deferral_date")
    )
    candidates = (
        Partnership.objects.filter(
            organization=organization,
            deferral_date__lt=today,
            status__in=DEFERRABLE_STATUSES,
        )
        .filter(~Exists(_committed()), ~Exists(enforced))
        .select_related("owner", "approver", "partner")
    )
    applied = 0
    for partnership in candidates:
        try:
            applied += _deferral_apply_one(partnership=partnership, organization=organization)
        except ValidationError:
            # One partnership the decision trail refuses must not stop the others; the
            # marker rolled back with it, so the next scan tries again.
            log.exception("Automatic deferral of partnership %s failed", partnership.pk)
    return applied


@transaction.atomic
def _deferral_apply_one(*, partnership: Partnership, organization: Organization) -> int:
    # Lock the partnership (only its row), then look again: a commit recorded since the
    # scan's query wins.
    Partnership.objects.select_for_update(of=("self",)).filter(pk=partnership.pk).order_by(
        "pk"
    ).first()
    if (
        Decision.objects.filter(partnership=partnership, kind=DecisionKind.COMMIT)
        .exclude(state=Decision.State.REJECTED)
        .exists()
    ):
        return 0
    try:
        with transaction.atomic():
            marker = DeferralEnforcement.objects.create(
                organization=organization,
                partnership=partnership,
                deferral_date=partnership.deferral_date,
            )
    except IntegrityError:
        return 0
    rationale = (
        f"Deferral by default: the deferral date {partnership.deferral_date:%d %b %Y} "
        f"passed with no commit decision ({partnership.deferral_sentence})"
    )
    decision = decision_record(
        partnership=partnership, kind="defer", rationale=rationale, by_system=True
    )
    DeferralEnforcement.objects.filter(pk=marker.pk).update(decision_id=decision.pk)
    emit(
        organization=organization,
        type="partnership.deferred_by_default",
        data={
            "partnership": partnership_ref(partnership),
            "deferral_date": partnership.deferral_date.isoformat(),
            "decision": {"id": str(decision.uuid), "kind": decision.kind},
            "rationale": rationale,
        },
    )
    recipients = {partnership.owner_id: partnership.owner}
    if partnership.approver_id:
        recipients[partnership.approver_id] = partnership.approver
    for user in recipients.values():
        email_queue(
            key=f"deferral:{partnership.pk}:{partnership.deferral_date}:{user.pk}",
            to=user.email,
            template="review-deferral",
            language=member_language(user, organization),
            context={
                "partnership": partnership,
                "user": user,
                "rationale": rationale,
                "url": reverse("reviews:history", kwargs={"uuid": partnership.uuid}),
            },
            organization=organization,
        )
    return 1


# --------------------------------------------------------------------------- time boxes (rule 6)


def timeboxes_flag(*, organization: Organization, now: datetime.datetime | None = None) -> int:
    """Rule 6: a phase past its maximum length is flagged once; the owner hears go/no-go is due."""
    today = org_today(organization, now)
    overdue = Q()
    for phase, (_min, maximum) in PHASE_WEEKS.items():
        overdue |= Q(phase=phase, phase_started_on__lt=today - datetime.timedelta(weeks=maximum))
    flagged = PhaseTimeBoxFlag.objects.filter(
        partnership=OuterRef("pk"),
        phase=OuterRef("phase"),
        phase_started_on=OuterRef("phase_started_on"),
    )
    candidates = (
        Partnership.objects.filter(organization=organization, status__in=REVIEWED_STATUSES)
        .filter(overdue)
        .filter(~Exists(flagged))
        .select_related("owner")
    )
    count = 0
    for partnership in candidates:
        count += _timebox_flag_one(partnership=partnership, organization=organization)
    return count


@transaction.atomic
def _timebox_flag_one(*, partnership: Partnership, organization: Organization) -> int:
    deadline = phase_deadline(partnership)
    try:
        with transaction.atomic():
            PhaseTimeBoxFlag.objects.create(
                organization=organization,
                partnership=partnership,
                phase=partnership.phase,
                phase_started_on=partnership.phase_started_on,
                deadline=deadline,
            )
    except IntegrityError:
        return 0
    label = partnership.get_phase_display()
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.NOTE,
        summary=f"{label} time box ended on {deadline:%d %b %Y}: the go / no-go is due",
        by_system=True,
    )
    email_queue(
        key=f"timebox:{partnership.pk}:{partnership.phase}:{partnership.phase_started_on}",
        to=partnership.owner.email,
        template="review-timebox",
        language=member_language(partnership.owner, partnership.organization),
        context={
            "partnership": partnership,
            "user": partnership.owner,
            "phase": label,
            "deadline": deadline,
            "url": reverse("reviews:history", kwargs={"uuid": partnership.uuid}),
        },
        organization=organization,
    )
    return 1


def daily_scan(*, organization: Organization, now: datetime.datetime | None = None) -> dict:
    """Rules 5 and 6 and the ghosting count for one organization."""
    return {
        "deferred": deferrals_apply(organization=organization, now=now),
        "timeboxes": timeboxes_flag(organization=organization, now=now),
        "ghosting": ghosting_refresh(organization=organization),
    }
