"""The signer's side: a link's state, consent, the one-time code, signing and declining.

Opening a link never uses it up (mail scanners open links); every change is a POST that locks
the request row first, then the signer's, so concurrent signers are serialized: both are
recorded and exactly one of them sees that they were the last.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import signer_language
from core.tokens import code_matches, hash_code, hash_token, make_code
from notifications.services import email_queue
from partnerships.models import PartnershipEvent
from partnerships.services import event_record

from ..models import AuditEvent, Charter, SignatureRequest, Signer, SigningLink
from .common import (
    SYSTEM,
    ClientMeta,
    announce,
    audit,
    charter_url,
    email_context,
    tell_involved,
)
from .execution import execution_queue
from .links import notify_turn

CONSENT_VERSION = "2026-11-v1"
CODE_TTL = timedelta(minutes=10)
MAX_CODES = 5
MAX_CODE_ATTEMPTS = 5


class LinkState:
    OK = "ok"
    WAITING = "waiting"
    SIGNED = "signed"
    DECLINED = "declined"
    CLOSED = "closed"  # declined by someone else
    VOIDED = "voided"
    EXPIRED = "expired"
    COMPLETED = "completed"
    REPLACED = "replaced"  # a newer link was e-mailed to this signer
    ALL = frozenset([OK, WAITING, SIGNED, DECLINED, CLOSED, VOIDED, EXPIRED, COMPLETED, REPLACED])


class Proof:
    """How the signer showed who they are, recorded with the signature."""

    SESSION = "signed in to Accord"
    LINK_AND_CODE = "personal link and e-mailed one-time code"
    LINK = "personal link"


def signer_for_token(token: str) -> Signer | None:
    """The signer a raw token belongs to, or None. Never consumes the link.

    A revoked (replaced) link still finds its signer, so the page can say that a newer link
    was sent; ``signer_state`` then refuses every action through it.
    """
    if not token or len(token) > 100:
        return None
    link = (
        SigningLink.objects.select_related(
            "signer__request__version__charter__partnership__partner",
            "signer__request__version__charter__partnership__organization",
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        return None
    signer = link.signer
    signer.via_link = link
    return signer


def signer_state(signer: Signer, *, now: datetime | None = None) -> str:
    """What the signer's page must say: sign now, wait, or why the link no longer works."""
    now = now or timezone.now()
    request = signer.request
    via_link = getattr(signer, "via_link", None)
    if via_link is not None and via_link.revoked_at is not None:
        return LinkState.REPLACED
    if signer.state == Signer.State.SIGNED:
        return LinkState.SIGNED
    if signer.state == Signer.State.DECLINED:
        return LinkState.DECLINED
    if request.state == SignatureRequest.State.VOIDED:
        return LinkState.VOIDED
    if request.state == SignatureRequest.State.DECLINED:
        return LinkState.CLOSED
    if request.state == SignatureRequest.State.COMPLETED:
        return LinkState.COMPLETED
    if request.state == SignatureRequest.State.EXPIRED or request.expires_at <= now:
        return LinkState.EXPIRED
    if waiting_for(signer):
        return LinkState.WAITING
    return LinkState.OK


def waiting_for(signer: Signer) -> list[Signer]:
    """In ordered signing, the signers before this one who have not signed yet."""
    request = signer.request
    if not request.ordered:
        return []
    return [
        s
        for s in request.signers.all()
        if s.order < signer.order and s.state != Signer.State.SIGNED
    ]


def document_available(signer: Signer, *, now: datetime | None = None) -> bool:
    """Closed means closed: the document of a voided, declined or expired request, or one
    reached through a replaced link, is no longer handed out from a signing link."""
    now = now or timezone.now()
    request = signer.request
    via_link = getattr(signer, "via_link", None)
    if via_link is not None and via_link.revoked_at is not None:
        return False
    closed = {
        SignatureRequest.State.VOIDED,
        SignatureRequest.State.DECLINED,
        SignatureRequest.State.EXPIRED,
    }
    if request.state in closed:
        return False
    return not (request.state == SignatureRequest.State.PENDING and request.expires_at <= now)


def signer_record_open(*, signer: Signer, meta: ClientMeta) -> None:
    """Audit an opening of the link (at most once per ten minutes per signer: scanners and
    reloads would otherwise flood the trail). Opening never uses the link up."""
    recent = AuditEvent.objects.filter(
        signer=signer,
        kind=AuditEvent.Kind.OPENED,
        created_at__gte=timezone.now() - timedelta(minutes=10),
    ).exists()
    if not recent:
        audit(request=signer.request, kind=AuditEvent.Kind.OPENED, meta=meta, signer=signer)


def _lock(signer_id: int) -> tuple[SignatureRequest, Signer]:
    """Lock the request, then the signer (always in this order: no deadlocks). Only those two
    rows: the partnership, partner and organization read with them stay unlocked, so logging
    evidence or editing the partner never waits for a signature."""
    request_id = Signer.objects.values_list("request_id", flat=True).get(pk=signer_id)
    request = (
        SignatureRequest.objects.select_for_update(of=("self",))
        .select_related("version__charter__partnership__partner", "organization")
        .get(pk=request_id)
    )
    signer = Signer.objects.select_for_update(of=("self",)).get(pk=signer_id)
    signer.request = request
    return request, signer


def signed_in_as_signer(signer: Signer, meta: ClientMeta) -> bool:
    """A member of ours signing while logged in as themself: the session already proves who
    they are, so the e-mailed code (meant for links that may be forwarded) is not asked."""
    user = meta.user
    return signer.user_id is not None and user is not None and user.pk == signer.user_id


def needs_code(signer: Signer, meta: ClientMeta) -> bool:
    """Whether this signer must still enter an e-mailed one-time code before signing."""
    return (
        signer.request.require_code
        and signer.code_verified_at is None
        and not signed_in_as_signer(signer, meta)
    )


def signing_proof(signer: Signer, meta: ClientMeta) -> str:
    """Which proof of identity backs this signature (for the audit trail)."""
    if signed_in_as_signer(signer, meta):
        return Proof.SESSION
    if signer.code_verified_at is not None:
        return Proof.LINK_AND_CODE
    return Proof.LINK


def _require_ok(signer: Signer) -> None:
    state = signer_state(signer)
    if state != LinkState.OK:
        raise ValidationError(f"This link cannot be used now ({state}).", code=state)


@transaction.atomic
def signer_consent(*, signer: Signer, meta: ClientMeta) -> Signer:
    """Record consent to sign electronically, with the disclosure's version."""
    request, signer = _lock(signer.pk)
    _require_ok(signer)
    if signer.consented_at is None:
        signer.consented_at = timezone.now()
        signer.consent_version = CONSENT_VERSION
        signer.save(update_fields=["consented_at", "consent_version"])
        audit(
            request=request,
            kind=AuditEvent.Kind.CONSENTED,
            meta=meta,
            signer=signer,
            detail=f"Electronic records and signatures disclosure {CONSENT_VERSION}",
        )
    return signer


@transaction.atomic
def signer_send_code(*, signer: Signer, meta: ClientMeta) -> Signer:
    """E-mail a fresh one-time code (for requests that require one); at most five per signer."""
    request, signer = _lock(signer.pk)
    _require_ok(signer)
    if signer.codes_sent >= MAX_CODES:
        raise ValidationError(_("Too many codes were sent. Ask the sender for a new link."))
    code = make_code()
    signer.code_hash = hash_code(code, context=str(signer.uuid))
    signer.code_expires_at = timezone.now() + CODE_TTL
    signer.code_attempts = 0
    signer.codes_sent += 1
    signer.save(update_fields=["code_hash", "code_expires_at", "code_attempts", "codes_sent"])
    email_queue(
        key=f"charter-code:{signer.pk}:{signer.codes_sent}",
        to=signer.email,
        template="charter-signing-code",
        context={**email_context(request=request, signer=signer), "code": code},
        organization=request.organization,
        language=signer_language(signer),
        sensitive=True,  # the outbox redacts it once sent; the subject never names the code
    )
    audit(request=request, kind=AuditEvent.Kind.CODE_SENT, meta=meta, signer=signer)
    return signer


def signer_verify_code(*, signer: Signer, code: str, meta: ClientMeta) -> Signer:
    """Check the one-time code: at most five attempts per code, and it expires. A wrong guess
    is committed (counted) before the error is raised."""
    with transaction.atomic():
        request, signer = _lock(signer.pk)
        _require_ok(signer)
        if signer.code_verified_at:
            return signer
        if not signer.code_hash or signer.code_expires_at is None:
            raise ValidationError({"code": _("Ask for a code first.")})
        if signer.code_expires_at <= timezone.now() or signer.code_attempts >= MAX_CODE_ATTEMPTS:
            raise ValidationError({"code": _("This code is no longer valid. Ask for a new one.")})
        signer.code_attempts += 1
        ok = code_matches(code, signer.code_hash, context=str(signer.uuid))
        fields = ["code_attempts"]
        if ok:
            signer.code_verified_at = timezone.now()
            fields.append("code_verified_at")
        signer.save(update_fields=fields)
        if ok:
            audit(request=request, kind=AuditEvent.Kind.CODE_VERIFIED, meta=meta, signer=signer)
    if not ok:
        raise ValidationError({"code": _("The code is not correct.")})
    return signer


@transaction.atomic
def signer_sign(
    *,
    signer: Signer,
    typed_name: str,
    signature_png: bytes = b"",
    authorized: bool,
    meta: ClientMeta,
) -> Signer:
    """Sign. Serialized on the request row, so two signers at the same moment are both
    recorded and exactly one completes the request; the sealed PDF is produced after commit."""
    request, signer = _lock(signer.pk)
    _require_ok(signer)
    if signer.consented_at is None:
        raise ValidationError(_("Consent to sign electronically first."))
    if needs_code(signer, meta):
        raise ValidationError(_("Enter the code we e-mailed you first."))
    if not authorized:
        raise ValidationError(
            {"authorized": _("Confirm you may sign for %(company)s.") % {"company": signer.company}}
        )
    typed_name = " ".join(typed_name.split())[:150]
    if not typed_name:
        raise ValidationError({"typed_name": _("Type your full name.")})
    now = timezone.now()
    signer.state = Signer.State.SIGNED
    signer.signed_at = now
    signer.typed_name = typed_name
    signer.signature_kind = Signer.Kind.DRAWN if signature_png else Signer.Kind.TYPED
    signer.signature_png = signature_png
    signer.signed_ip = meta.ip
    signer.signed_user_agent = meta.user_agent
    signer.save(
        update_fields=[
            "state",
            "signed_at",
            "typed_name",
            "signature_kind",
            "signature_png",
            "signed_ip",
            "signed_user_agent",
        ]
    )
    audit(
        request=request,
        kind=AuditEvent.Kind.SIGNED,
        meta=meta,
        signer=signer,
        detail=f'{signer.get_signature_kind_display()} as "{typed_name}" for {signer.company}; '
        f"proof: {signing_proof(signer, meta)}",
    )
    partnership = request.version.charter.partnership
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CHARTER,
        summary=f"Charter v{request.version.number} signed by {signer.name} ({signer.company})",
        url=charter_url(partnership),
        by_system=meta.user is None,
        actor=meta.user,
    )
    announce(request=request, type="charter.signed", signer=_signer_data(signer))
    if request.signers.exclude(state=Signer.State.SIGNED).exists():
        notify_turn(request=request)
        return signer
    _complete(request=request, now=now)
    return signer


def _signer_data(signer: Signer) -> dict:
    return {"id": str(signer.uuid), "name": signer.name, "company": signer.company}


def _complete(*, request: SignatureRequest, now: datetime) -> None:
    request.state = SignatureRequest.State.COMPLETED
    request.completed_at = now
    request.execution_state = SignatureRequest.Execution.PENDING
    request.save(update_fields=["state", "completed_at", "execution_state"])
    audit(
        request=request,
        kind=AuditEvent.Kind.COMPLETED,
        meta=SYSTEM,
        detail="Every signer has signed.",
    )
    Charter.objects.filter(pk=request.version.charter_id).update(
        executed_version=request.version, executed_at=now, updated_at=now
    )
    partnership = request.version.charter.partnership
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CHARTER,
        summary=f"Charter v{request.version.number} executed by both sides",
        by_system=True,
        url=charter_url(partnership),
    )
    execution_queue(request.pk)


@transaction.atomic
def signer_decline(*, signer: Signer, reason: str, meta: ClientMeta) -> Signer:
    """Decline with a reason: the request closes and everyone involved is told."""
    request, signer = _lock(signer.pk)
    _require_ok(signer)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decline.")})
    now = timezone.now()
    signer.state = Signer.State.DECLINED
    signer.declined_at = now
    signer.decline_reason = reason
    signer.save(update_fields=["state", "declined_at", "decline_reason"])
    request.state = SignatureRequest.State.DECLINED
    request.closed_reason = reason
    request.closed_at = now
    request.save(update_fields=["state", "closed_reason", "closed_at"])
    audit(request=request, kind=AuditEvent.Kind.DECLINED, meta=meta, signer=signer, detail=reason)
    tell_involved(
        request=request, template="charter-declined", kind="declined", extra={"decliner": signer}
    )
    partnership = request.version.charter.partnership
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CHARTER,
        summary=f"Charter v{request.version.number} declined by {signer.name}",
        detail=reason,
        url=charter_url(partnership),
        by_system=meta.user is None,
        actor=meta.user,
    )
    announce(request=request, type="charter.declined", signer=_signer_data(signer), reason=reason)
    return signer
