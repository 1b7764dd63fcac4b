"""Writes for charters and their e-signing (SPEC §4).

Every state change is one transaction that also appends its AuditEvent and queues its e-mails
(idempotency keys), so a retried request or task never signs, mails or audits twice. Signing
locks the SignatureRequest row first: concurrent signers are serialized, both are recorded, and
exactly one of them sees that they were the last.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from notifications.services import email_queue
from partnerships.models import PartnershipEvent
from partnerships.services import event_record

from .documents import (
    combine_pdfs,
    render_execution_pages,
    render_version_document,
    sha256_hex,
)
from .models import (
    SECTION_FIELDS,
    AuditEvent,
    Charter,
    CharterVersion,
    SignatureRequest,
    Signer,
    SigningLink,
)

log = logging.getLogger(__name__)

CONSENT_VERSION = "2026-11-v1"
CODE_TTL = timedelta(minutes=10)
MAX_CODES = 5
MAX_CODE_ATTEMPTS = 5
EXECUTION_STALE = timedelta(minutes=10)
MAX_SIGNATURE_PNG = 300 * 1024


@dataclass(frozen=True)
class ClientMeta:
    """Who is acting, from where: recorded on every audit event."""

    ip: str | None = None
    user_agent: str = ""
    user: object | None = None

    @classmethod
    def from_request(cls, request) -> ClientMeta:
        user = getattr(request, "user", None)
        return cls(
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
            user=user if user is not None and user.is_authenticated else None,
        )


SYSTEM = ClientMeta()


def client_ip(request) -> str | None:
    """The client's address for the audit trail and rate limits.

    Behind N reverse proxies (``settings.TRUSTED_PROXY_COUNT``, default 0) the address is the
    N-th from the right in X-Forwarded-For; anything further left is client-supplied and
    untrusted.
    """
    from django.conf import settings

    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
            try:
                ipaddress.ip_address(candidate)
                return candidate
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


def token_hash(token: str) -> str:
    """Signing tokens are stored only as SHA-256: a database leak yields no usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


def _audit(*, request, kind, meta: ClientMeta, signer=None, detail: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        organization_id=request.organization_id,
        request=request,
        signer=signer,
        actor=meta.user,
        kind=kind,
        ip_address=meta.ip,
        user_agent=meta.user_agent,
        document_sha256=request.version.document_sha256,
        detail=detail,
    )


def _charter_url(partnership) -> str:
    return reverse("charters:detail", args=[partnership.uuid])


# ---------------------------------------------------------------------------------------------
# Editing and versions


def charter_prefill(partnership) -> dict:
    """Initial text for a first version, from the partnership's claim, boundary and triggers,
    so the charter restates what the partnership already committed to."""
    p = partnership
    return {
        "title": f"Partnership Charter — {p.organization.name} and {p.partner.name}",
        "mutual_goals": "\n".join(
            line
            for line in [
                f"Value to us: {p.value_to_us}" if p.value_to_us else "",
                f"Value to {p.partner.name}: {p.value_to_partner}" if p.value_to_partner else "",
                f"Value to shared customers: {p.value_to_customers}"
                if p.value_to_customers
                else "",
            ]
            if line
        ),
        "value_exchange": "\n".join(
            line
            for line in [
                f"If this fails, we lose: {p.we_lose}" if p.we_lose else "",
                f"If this fails, {p.partner.name} loses: {p.partner_loses}"
                if p.partner_loses
                else "",
            ]
            if line
        ),
        "timeline": (
            f"Current phase: {p.get_phase_display()} since {p.phase_started_on:%d %B %Y}."
            + (
                f"\nSuccess criteria: {p.phase_success_criteria}"
                if p.phase_success_criteria
                else ""
            )
        ),
        "measurement": f"Claim under test: {p.claim_sentence}",
        "decision_cadence": "A weekly health review; go / no-go at the end of each phase.",
        "escalation_path": "Partnership owners on each side, then their executive sponsors.",
        "breakage_ownership": "",
    }


def _snapshot(partnership) -> dict:
    triggers = [partnership.deferral_sentence]
    if partnership.unwind_condition:
        triggers.append(f"Unwind if: {partnership.unwind_condition}")
    return {
        "claim_sentence": partnership.claim_sentence,
        "boundary_line": partnership.boundary_line,
        "triggers": "\n".join(triggers),
    }


@transaction.atomic
def charter_save(*, partnership, actor, data: dict) -> CharterVersion:
    """Save the charter text. An unsent draft is edited in place; once the latest version was
    sent it is frozen, so a new version is created and every open request on an older version
    is voided (its signers are told), because they would otherwise sign outdated text."""
    charter, _ = Charter.objects.get_or_create(
        partnership=partnership, defaults={"organization_id": partnership.organization_id}
    )
    charter = Charter.objects.select_for_update().get(pk=charter.pk)
    latest = charter.versions.order_by("-number").first()
    fields = {name: data[name] for name in ["title", *SECTION_FIELDS]}
    fields.update(_snapshot(partnership))
    if latest is not None and not latest.is_frozen:
        for name, value in fields.items():
            setattr(latest, name, value)
        latest.save(update_fields=[*fields.keys(), "updated_at"])
        version = latest
    else:
        version = CharterVersion.objects.create(
            organization_id=partnership.organization_id,
            charter=charter,
            number=(latest.number + 1) if latest else 1,
            created_by=actor,
            **fields,
        )
        open_requests = SignatureRequest.objects.filter(
            version__charter=charter, state=SignatureRequest.State.PENDING
        )
        for request in open_requests:
            signature_request_void(
                request=request,
                meta=ClientMeta(user=actor),
                reason=f"A new version (v{version.number}) of the charter was written.",
            )
        event_record(
            partnership=partnership,
            kind=PartnershipEvent.Kind.CHARTER,
            summary=f"Charter version {version.number} drafted",
            actor=actor,
            url=_charter_url(partnership),
        )
    Charter.objects.filter(pk=charter.pk).update(updated_at=timezone.now())
    return version


def version_freeze(*, version: CharterVersion) -> CharterVersion:
    """Render the version's document once and store it with its SHA-256. Idempotent: a frozen
    version is never rendered again, so every signer signs the same bytes."""
    locked = CharterVersion.objects.select_for_update().get(pk=version.pk)
    if locked.is_frozen:
        return locked
    html, pdf = render_version_document(locked)
    name = default_storage.save(f"charters/documents/{locked.uuid}.pdf", ContentFile(pdf))
    locked.document_html = html
    locked.document_pdf = name
    locked.document_sha256 = sha256_hex(pdf)
    locked.frozen_at = timezone.now()
    locked.save(update_fields=["document_html", "document_pdf", "document_sha256", "frozen_at"])
    return locked


# ---------------------------------------------------------------------------------------------
# Sending


class Order:
    PARALLEL = "parallel"
    PARTNER_FIRST = "partner_first"
    OURS_FIRST = "ours_first"
    CHOICES = [
        (PARALLEL, "In parallel (everyone at once)"),
        (PARTNER_FIRST, "In order: the partner's signers first, then ours"),
        (OURS_FIRST, "In order: our signers first, then the partner's"),
    ]


@transaction.atomic
def signature_request_send(
    *,
    version: CharterVersion,
    actor,
    our_users: list,
    partner_contacts: list,
    order: str = Order.PARALLEL,
    expires_at: datetime,
    require_code: bool = False,
    message: str = "",
    meta: ClientMeta = SYSTEM,
) -> SignatureRequest:
    """Freeze ``version`` and ask both sides to sign it.

    Both sides must have a signer (the seed's signature test: if either side won't commit to
    paper there is no partnership). In ordered mode only the first signer is e-mailed now; the
    order is also enforced when a link is opened.
    """
    charter = Charter.objects.select_for_update().get(pk=version.charter_id)
    partnership = charter.partnership
    errors: dict[str, str] = {}
    if not our_users:
        errors["our_signers"] = "Choose at least one signer of ours."
    if not partner_contacts:
        errors["partner_signers"] = f"Choose at least one signer of {partnership.partner.name}."
    if expires_at <= timezone.now():
        errors["expires_on"] = "The expiry must be in the future."
    latest = charter.versions.aggregate(n=Max("number"))["n"]
    if version.number != latest:
        errors["__all__"] = "Only the latest version can be sent."
    if SignatureRequest.objects.filter(
        version__charter=charter, state=SignatureRequest.State.PENDING
    ).exists():
        errors["__all__"] = "A request is already open; void it before sending again."
    for contact in partner_contacts:
        if contact.partner_id != partnership.partner_id:
            errors["partner_signers"] = "Signers must be contacts of this partner."
    if errors:
        raise ValidationError(errors)
    version = version_freeze(version=version)
    request = SignatureRequest.objects.create(
        organization_id=version.organization_id,
        version=version,
        ordered=order != Order.PARALLEL,
        require_code=require_code,
        message=message,
        sent_by=actor,
        expires_at=expires_at,
    )
    ours = [
        {
            "side": Signer.Side.OURS,
            "user": user,
            "name": user.display_name,
            "email": user.email,
            "title": "",
            "company": partnership.organization.name,
        }
        for user in our_users
    ]
    theirs = [
        {
            "side": Signer.Side.PARTNER,
            "contact": contact,
            "name": contact.name,
            "email": contact.email,
            "title": contact.title,
            "company": partnership.partner.name,
        }
        for contact in partner_contacts
    ]
    people = theirs + ours if order == Order.PARTNER_FIRST else ours + theirs
    for position, person in enumerate(people, start=1):
        Signer.objects.create(
            organization_id=version.organization_id,
            request=request,
            order=position if request.ordered else 1,
            **person,
        )
    _audit(
        request=request,
        kind=AuditEvent.Kind.SENT,
        meta=meta,
        detail=f"Sent by {actor.display_name if actor else 'Accord'} to "
        + ", ".join(f"{p['name']} <{p['email']}>" for p in people),
    )
    _notify_turn(request=request)
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CHARTER,
        summary=f"Charter v{version.number} sent for signature",
        actor=actor,
        url=_charter_url(partnership),
    )
    return request


def _issue_link(*, signer: Signer) -> str:
    token = secrets.token_urlsafe(32)  # 256 bits
    SigningLink.objects.create(
        signer=signer, token_hash=token_hash(token), expires_at=signer.request.expires_at
    )
    return token


def _email_context(*, request: SignatureRequest, signer: Signer | None = None) -> dict:
    version = request.version
    partnership = version.charter.partnership
    return {
        "request": request,
        "version": version,
        "partnership": partnership,
        "organization": partnership.organization,
        "partner": partnership.partner,
        "signer": signer,
        "sender": request.sent_by,
    }


def _email_link(*, request: SignatureRequest, signer: Signer, key: str, template: str) -> None:
    """Issue the signer a fresh personal link and e-mail it (once per ``key``).

    Raw tokens are never stored, so every e-mail that carries a link carries a new one.
    """
    token = _issue_link(signer=signer)
    context = _email_context(request=request, signer=signer)
    email_queue(
        key=key,
        to=signer.email,
        template=template,
        context={**context, "sign_path": reverse("charters:sign", args=[token])},
        organization=context["organization"],
    )


def _whose_turn(request: SignatureRequest) -> list[Signer]:
    pending = [s for s in request.signers.all() if s.state == Signer.State.PENDING]
    if not request.ordered or not pending:
        return pending
    first = min(s.order for s in pending)
    return [s for s in pending if s.order == first]


def _notify_turn(*, request: SignatureRequest) -> None:
    """E-mail a personal link to each signer whose turn it is and who was not told yet."""
    now = timezone.now()
    for signer in _whose_turn(request):
        if signer.notified_at is not None:
            continue
        Signer.objects.filter(pk=signer.pk).update(notified_at=now)
        _email_link(
            request=request,
            signer=signer,
            key=f"charter-sign:{signer.pk}:{request.version_id}",
            template="charter-sign",
        )


# ---------------------------------------------------------------------------------------------
# The signer's side


class LinkState:
    OK = "ok"
    WAITING = "waiting"
    SIGNED = "signed"
    DECLINED = "declined"
    CLOSED = "closed"  # declined by someone else
    VOIDED = "voided"
    EXPIRED = "expired"
    COMPLETED = "completed"


def signer_for_token(token: str) -> Signer | None:
    """The signer a raw token belongs to, or None. Never consumes the link."""
    if not token or len(token) > 100:
        return None
    link = (
        SigningLink.objects.select_related(
            "signer__request__version__charter__partnership__partner",
            "signer__request__version__charter__partnership__organization",
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        return None
    signer = link.signer
    signer.link_expires_at = link.expires_at
    return signer


def signer_state(signer: Signer, *, now: datetime | None = None) -> str:
    """What the signer's page must say: sign now, wait, or why the link no longer works."""
    now = now or timezone.now()
    request = signer.request
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
    if request.ordered and any(
        s.order < signer.order and s.state != Signer.State.SIGNED for s in request.signers.all()
    ):
        return LinkState.WAITING
    return LinkState.OK


def signer_record_open(*, signer: Signer, meta: ClientMeta) -> None:
    """Audit an opening of the link (at most once per ten minutes per signer: scanners and
    reloads would otherwise flood the trail). Opening never uses the link up."""
    recent = AuditEvent.objects.filter(
        signer=signer,
        kind=AuditEvent.Kind.OPENED,
        created_at__gte=timezone.now() - timedelta(minutes=10),
    ).exists()
    if not recent:
        _audit(request=signer.request, kind=AuditEvent.Kind.OPENED, meta=meta, signer=signer)


def _lock(signer_id: int) -> tuple[SignatureRequest, Signer]:
    """Lock the request, then the signer (always in this order: no deadlocks)."""
    request_id = Signer.objects.values_list("request_id", flat=True).get(pk=signer_id)
    request = (
        SignatureRequest.objects.select_for_update()
        .select_related("version__charter__partnership__partner", "organization")
        .get(pk=request_id)
    )
    signer = Signer.objects.select_for_update().get(pk=signer_id)
    signer.request = request
    return request, signer


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
        _audit(
            request=request,
            kind=AuditEvent.Kind.CONSENTED,
            meta=meta,
            signer=signer,
            detail=f"Electronic records and signatures disclosure {CONSENT_VERSION}",
        )
    return signer


def _code_hash(signer: Signer, code: str) -> str:
    return hashlib.sha256(f"{signer.uuid}:{code}".encode()).hexdigest()


@transaction.atomic
def signer_send_code(*, signer: Signer, meta: ClientMeta) -> Signer:
    """E-mail a fresh one-time code (for requests that require one); at most five per signer."""
    request, signer = _lock(signer.pk)
    _require_ok(signer)
    if signer.codes_sent >= MAX_CODES:
        raise ValidationError("Too many codes were sent. Ask the sender for a new link.")
    code = f"{secrets.randbelow(1_000_000):06d}"
    signer.code_hash = _code_hash(signer, code)
    signer.code_expires_at = timezone.now() + CODE_TTL
    signer.code_attempts = 0
    signer.codes_sent += 1
    signer.save(update_fields=["code_hash", "code_expires_at", "code_attempts", "codes_sent"])
    email_queue(
        key=f"charter-code:{signer.pk}:{signer.codes_sent}",
        to=signer.email,
        template="charter-code",
        context={**_email_context(request=request, signer=signer), "code": code},
        organization=request.organization,
    )
    _audit(request=request, kind=AuditEvent.Kind.CODE_SENT, meta=meta, signer=signer)
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
            raise ValidationError({"code": "Ask for a code first."})
        if signer.code_expires_at <= timezone.now() or signer.code_attempts >= MAX_CODE_ATTEMPTS:
            raise ValidationError({"code": "This code is no longer valid. Ask for a new one."})
        signer.code_attempts += 1
        ok = hmac.compare_digest(signer.code_hash, _code_hash(signer, code.strip()))
        fields = ["code_attempts"]
        if ok:
            signer.code_verified_at = timezone.now()
            fields.append("code_verified_at")
        signer.save(update_fields=fields)
        if ok:
            _audit(request=request, kind=AuditEvent.Kind.CODE_VERIFIED, meta=meta, signer=signer)
    if not ok:
        raise ValidationError({"code": "The code is not correct."})
    return signer


def clean_signature_png(data_url: str) -> bytes:
    """Decode and re-encode a drawn signature (a PNG data URL from the canvas).

    Re-encoding with Pillow keeps only pixels: nothing a browser sent is embedded as is.
    """
    import base64
    import io

    from PIL import Image

    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValidationError({"drawn_signature": "Draw your signature in the box."})
    try:
        raw = base64.b64decode(data_url[len(prefix) :], validate=True)
    except ValueError:
        raise ValidationError({"drawn_signature": "The drawing could not be read."}) from None
    if len(raw) > MAX_SIGNATURE_PNG:
        raise ValidationError({"drawn_signature": "The drawing is too large."})
    try:
        image = Image.open(io.BytesIO(raw))
        if image.format != "PNG" or image.width > 2000 or image.height > 1000:
            raise ValueError("unexpected image")
        image = image.convert("RGBA")
    except Exception:  # noqa: BLE001
        raise ValidationError({"drawn_signature": "The drawing could not be read."}) from None
    if image.getchannel("A").getbbox() is None:
        raise ValidationError({"drawn_signature": "The signature box is empty."})
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


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
        raise ValidationError("Consent to sign electronically first.")
    if request.require_code and signer.code_verified_at is None:
        raise ValidationError("Enter the code we e-mailed you first.")
    if not authorized:
        raise ValidationError({"authorized": f"Confirm you may sign for {signer.company}."})
    typed_name = " ".join(typed_name.split())[:150]
    if not typed_name:
        raise ValidationError({"typed_name": "Type your full name."})
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
    _audit(
        request=request,
        kind=AuditEvent.Kind.SIGNED,
        meta=meta,
        signer=signer,
        detail=f'{signer.get_signature_kind_display()} as "{typed_name}" for {signer.company}',
    )
    partnership = request.version.charter.partnership
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CHARTER,
        summary=f"Charter v{request.version.number} signed by {signer.name} ({signer.company})",
        url=_charter_url(partnership),
        by_system=meta.user is None,
        actor=meta.user,
    )
    if request.signers.exclude(state=Signer.State.SIGNED).exists():
        _notify_turn(request=request)
        return signer
    _complete(request=request, now=now)
    return signer


def _complete(*, request: SignatureRequest, now: datetime) -> None:
    request.state = SignatureRequest.State.COMPLETED
    request.completed_at = now
    request.execution_state = SignatureRequest.Execution.PENDING
    request.save(update_fields=["state", "completed_at", "execution_state"])
    _audit(
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
        url=_charter_url(partnership),
    )
    _enqueue_execution(request.pk)


def _enqueue_execution(request_id: int) -> None:
    """After commit, queue the execution. If the broker is unreachable the signer still sees
    their signature recorded; the periodic scan queues the execution again."""
    from .tasks import execute_signature_request

    def enqueue():
        try:
            execute_signature_request.delay(request_id)
        except Exception:
            log.exception("Could not queue the execution of signature request %s", request_id)

    transaction.on_commit(enqueue)


def _tell_involved(*, request: SignatureRequest, template: str, kind: str, extra: dict) -> None:
    """E-mail everyone already involved: signers who received a link, and the sender."""
    recipients: dict[str, Signer | None] = {}
    for signer in request.signers.all():
        if signer.notified_at is not None:
            recipients.setdefault(signer.email.lower(), signer)
    if request.sent_by and request.sent_by.email:
        recipients.setdefault(request.sent_by.email.lower(), None)
    for email, signer in recipients.items():
        email_queue(
            key=f"charter-{kind}:{request.pk}:{email}"[:200],
            to=email,
            template=template,
            context={**_email_context(request=request, signer=signer), **extra},
            organization=request.organization,
        )


@transaction.atomic
def signer_decline(*, signer: Signer, reason: str, meta: ClientMeta) -> Signer:
    """Decline with a reason: the request closes and everyone involved is told."""
    request, signer = _lock(signer.pk)
    _require_ok(signer)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why you decline."})
    now = timezone.now()
    signer.state = Signer.State.DECLINED
    signer.declined_at = now
    signer.decline_reason = reason
    signer.save(update_fields=["state", "declined_at", "decline_reason"])
    request.state = SignatureRequest.State.DECLINED
    request.closed_reason = reason
    request.closed_at = now
    request.save(update_fields=["state", "closed_reason", "closed_at"])
    _audit(request=request, kind=AuditEvent.Kind.DECLINED, meta=meta, signer=signer, detail=reason)
    _tell_involved(
        request=request, template="charter-declined", kind="declined", extra={"decliner": signer}
    )
    partnership = request.version.charter.partnership
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CHARTER,
        summary=f"Charter v{request.version.number} declined by {signer.name}",
        detail=reason,
        url=_charter_url(partnership),
        by_system=meta.user is None,
        actor=meta.user,
    )
    return signer


@transaction.atomic
def signature_request_void(
    *, request: SignatureRequest, reason: str, meta: ClientMeta
) -> SignatureRequest:
    """A manager withdraws an open request; every link stops working and everyone involved
    is told why."""
    locked = (
        SignatureRequest.objects.select_for_update()
        .select_related("version__charter__partnership__partner", "organization")
        .get(pk=request.pk)
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the request is voided."})
    if locked.state != SignatureRequest.State.PENDING:
        raise ValidationError("Only a request awaiting signatures can be voided.")
    locked.state = SignatureRequest.State.VOIDED
    locked.closed_reason = reason
    locked.closed_at = timezone.now()
    locked.save(update_fields=["state", "closed_reason", "closed_at"])
    _audit(request=locked, kind=AuditEvent.Kind.VOIDED, meta=meta, detail=reason)
    _tell_involved(request=locked, template="charter-voided", kind="voided", extra={})
    partnership = locked.version.charter.partnership
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CHARTER,
        summary=f"Signature request for charter v{locked.version.number} voided",
        detail=reason,
        actor=meta.user,
        url=_charter_url(partnership),
    )
    return locked


# ---------------------------------------------------------------------------------------------
# Execution: the sealed PDF


def executed_pdf_name(request: SignatureRequest) -> str:
    return f"charters/executed/{request.uuid}.pdf"


def execution_run(*, request_id: int) -> bool:
    """Render, seal, store and e-mail the executed charter. Returns True if this call did it.

    The work is claimed with a conditional UPDATE (one winner); a claim older than
    ``EXECUTION_STALE`` (a dead worker) can be taken over. The result is written, and the
    e-mails queued, in one transaction at the end, so a failure leaves nothing half-done and
    the retry (or the periodic scan) starts over.
    """
    from .seal import seal_pdf

    now = timezone.now()
    E = SignatureRequest.Execution
    claimable = Q(execution_state__in=[E.PENDING, E.FAILED]) | Q(
        execution_state=E.RUNNING, execution_claimed_at__lt=now - EXECUTION_STALE
    )
    claimed = SignatureRequest.objects.filter(
        claimable, pk=request_id, state=SignatureRequest.State.COMPLETED
    ).update(
        execution_state=E.RUNNING,
        execution_claimed_at=now,
        execution_attempts=F("execution_attempts") + 1,
    )
    if not claimed:
        return False
    try:
        request = SignatureRequest.objects.select_related(
            "version__charter__partnership__partner", "organization"
        ).get(pk=request_id)
        version = request.version
        with default_storage.open(version.document_pdf, "rb") as fh:
            original = fh.read()
        if sha256_hex(original) != version.document_sha256:
            raise RuntimeError("The stored document does not match its recorded SHA-256.")
        signers = list(request.signers.all())
        events = list(request.audit_events.select_related("signer"))
        pages = render_execution_pages(request=request, signers=signers, events=events)
        sealed = seal_pdf(
            combine_pdfs(original, pages),
            reason=f"Executed Partnership Charter v{version.number}",
        )
        name = executed_pdf_name(request)
        if default_storage.exists(name):
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(sealed))
        digest = sha256_hex(sealed)
        with transaction.atomic():
            locked = SignatureRequest.objects.select_for_update().get(pk=request_id)
            if locked.execution_state != E.RUNNING or locked.execution_claimed_at != now:
                return False  # a stale claim was taken over; the other run finishes
            locked.execution_state = E.DONE
            locked.executed_at = timezone.now()
            locked.executed_pdf = stored
            locked.executed_sha256 = digest
            locked.execution_error = ""
            locked.save(
                update_fields=[
                    "execution_state",
                    "executed_at",
                    "executed_pdf",
                    "executed_sha256",
                    "execution_error",
                ]
            )
            locked.version = version
            _audit(
                request=locked,
                kind=AuditEvent.Kind.SEALED,
                meta=SYSTEM,
                detail=f"Sealed PDF SHA-256 {digest}",
            )
            filename = f"charter-{version.charter.partnership.partner.name}-v{version.number}.pdf"
            filename = "".join(c if c.isalnum() or c in "-._" else "-" for c in filename)
            for signer in signers:
                email_queue(
                    key=f"charter-executed:{signer.pk}:{version.pk}",
                    to=signer.email,
                    template="charter-executed",
                    context={**_email_context(request=locked, signer=signer), "digest": digest},
                    organization=request.organization,
                    attachments=[
                        {"name": filename, "storage_name": stored, "mimetype": "application/pdf"}
                    ],
                )
        return True
    except Exception as exc:
        SignatureRequest.objects.filter(
            pk=request_id, execution_state=E.RUNNING, execution_claimed_at=now
        ).update(execution_state=E.FAILED, execution_error=f"{type(exc).__name__}: {exc}"[:2000])
        raise


# ---------------------------------------------------------------------------------------------
# The periodic scan: expiry, reminders, unfinished executions


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
    from .tasks import execute_signature_request

    for pk in stuck:
        execute_signature_request.delay(pk)
        counts["requeued"] += 1
    return counts


@transaction.atomic
def _expire(*, request_id: int, now: datetime) -> int:
    request = (
        SignatureRequest.objects.select_for_update(skip_locked=True)
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
    _audit(request=request, kind=AuditEvent.Kind.EXPIRED, meta=SYSTEM)
    _tell_involved(request=request, template="charter-expired", kind="expired", extra={})
    partnership = request.version.charter.partnership
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CHARTER,
        summary=f"Signature request for charter v{request.version.number} expired",
        by_system=True,
        url=_charter_url(partnership),
    )
    return 1


def signer_remind_now(*, signer: Signer, meta: ClientMeta) -> bool:
    """A manager re-sends a pending signer a fresh link (the old raw token is never kept).

    Guarded like the scheduled reminder, so a double click sends one e-mail."""
    if signer_state(signer) != LinkState.OK or signer.notified_at is None:
        raise ValidationError("This signer cannot be reminded now.")
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
    _email_link(
        request=request,
        signer=signer,
        key=f"charter-remind:{signer.pk}:{seen + 1}",
        template="charter-remind",
    )
    _audit(
        request=request,
        kind=AuditEvent.Kind.REMINDED,
        meta=meta,
        signer=signer,
        detail=f"Reminder {seen + 1}" + (" (sent by hand)" if meta.user else ""),
    )
    return 1
