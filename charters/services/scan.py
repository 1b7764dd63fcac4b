"""The periodic scan: expiry, reminders, unfinished executions; and a manager's reminder.

Safe to run at any time, any number of times: each change is claimed by a conditional
UPDATE or a skip-locked row lock, so two scans never expire, remind or execute twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import PartnershipEvent
from partnerships.services import event_record

from ..models import AuditEvent, SignatureRequest, Signer
from .common import SYSTEM, ClientMeta, audit, charter_url, tell_involved
from .execution import EXECUTION_STALE, execution_requeue
from .links import email_link
from .signing import LinkState, signer_state


def signatures_scan(*, now: datetime | None = None) -> dict:
    """Expire overdue requests, remind signers every N days (the organization's setting) and
    re-enqueue executions that are not finished. Safe to run at any time, any number of times."""
    now = now or timezone.now()
    counts = {"expired": 0, "reminded": 0, "requeued": 0}
    for pk in SignatureRequest.objects.filter(
        state=SignatureRequest.State.PENDING, expires_at__lte=now
    ).values_list("pk", flat=True)[:500]:
        counts["expired"] += _expire(request_id=pk, now=now)
    pending = (
        Signer.objects.filter(
            request__state=SignatureRequest.State.PENDING,
            request__expires_at__gt=now,
            state=Signer.State.PENDING,
            notified_at__isnull=False,
            request__organization__signature_reminder_days__gt=0,
        )
        .select_related("request__organization")
        .order_by("pk")[:2000]
    )
    for signer in pending:
        days = signer.request.organization.signature_reminder_days
        last = signer.last_reminded_at or signer.notified_at
        if last <= now - timedelta(days=days):
            counts["reminded"] += _remind(signer_id=signer.pk, seen=signer.reminders_sent, now=now)
    E = SignatureRequest.Execution
    stuck = SignatureRequest.objects.filter(
        Q(execution_state=E.PENDING, completed_at__lt=now - timedelta(minutes=2))
        | Q(execution_state=E.FAILED, execution_attempts__lt=20)
        | Q(execution_state=E.RUNNING, execution_claimed_at__lt=now - EXECUTION_STALE),
        state=SignatureRequest.State.COMPLETED,
    ).values_list("pk", flat=True)[:200]
    for pk in stuck:
        execution_requeue(pk)
        counts["requeued"] += 1
    return counts


@transaction.atomic
def _expire(*, request_id: int, now: datetime) -> int:
    request = (
        SignatureRequest.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("version__charter__partnership__partner", "organization")
        .filter(pk=request_id, state=SignatureRequest.State.PENDING, expires_at__lte=now)
        .first()
    )
    if request is None:
        return 0
    request.state = SignatureRequest.State.EXPIRED
    request.closed_at = now
    request.closed_reason = "The signing links expired."
    request.save(update_fields=["state", "closed_at", "closed_reason"])
    audit(request=request, kind=AuditEvent.Kind.EXPIRED, meta=SYSTEM)
    tell_involved(request=request, template="charter-expired", kind="expired", extra={})
    partnership = request.version.charter.partnership
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CHARTER,
        summary=f"Signature request for charter v{request.version.number} expired",
        by_system=True,
        url=charter_url(partnership),
    )
    return 1


def signer_remind_now(*, signer: Signer, meta: ClientMeta) -> bool:
    """A manager re-sends a pending signer a fresh link (the old raw token is never kept).

    Guarded like the scheduled reminder, so a double click sends one e-mail."""
    if signer_state(signer) != LinkState.OK or signer.notified_at is None:
        raise ValidationError(_("This signer cannot be reminded now."))
    return bool(
        _remind(signer_id=signer.pk, seen=signer.reminders_sent, now=timezone.now(), meta=meta)
    )


@transaction.atomic
def _remind(*, signer_id: int, seen: int, now: datetime, meta: ClientMeta = SYSTEM) -> int:
    won = Signer.objects.filter(
        pk=signer_id, reminders_sent=seen, state=Signer.State.PENDING
    ).update(reminders_sent=seen + 1, last_reminded_at=now)
    if not won:
        return 0
    signer = Signer.objects.select_related(
        "request__version__charter__partnership__partner", "request__organization"
    ).get(pk=signer_id)
    request = signer.request
    email_link(
        request=request,
        signer=signer,
        key=f"charter-remind:{signer.pk}:{seen + 1}",
        template="charter-remind",
    )
    audit(
        request=request,
        kind=AuditEvent.Kind.REMINDED,
        meta=meta,
        signer=signer,
        detail=f"Reminder {seen + 1}" + (" (sent by hand)" if meta.user else ""),
    )
    return 1
