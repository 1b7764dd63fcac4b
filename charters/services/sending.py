"""Sending a version for signature: freeze it, name the signers, e-mail whoever's turn it is.

The document is rendered once, when a version is first sent, and its SHA-256 recorded; every
signer signs those bytes. Each e-mail that carries a link carries a fresh one, because raw
tokens are never stored. A manager may void an open request; its links stop working.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from core.tokens import hash_token, make_token
from notifications.services import email_queue
from partnerships.models import PartnershipEvent
from partnerships.services import event_record

from ..documents import render_version_document, sha256_hex
from ..models import AuditEvent, Charter, CharterVersion, SignatureRequest, Signer, SigningLink
from .common import (
    SYSTEM,
    ClientMeta,
    audit,
    charter_url,
    email_context,
    tell_involved,
)


class Order:
    PARALLEL = "parallel"
    PARTNER_FIRST = "partner_first"
    OURS_FIRST = "ours_first"
    CHOICES = [
        (PARALLEL, "In parallel (everyone at once)"),
        (PARTNER_FIRST, "In order: the partner's signers first, then ours"),
        (OURS_FIRST, "In order: our signers first, then the partner's"),
    ]


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
    audit(
        request=request,
        kind=AuditEvent.Kind.SENT,
        meta=meta,
        detail=f"Sent by {actor.display_name if actor else 'Accord'} to "
        + ", ".join(f"{p['name']} <{p['email']}>" for p in people),
    )
    notify_turn(request=request)
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CHARTER,
        summary=f"Charter v{version.number} sent for signature",
        actor=actor,
        url=charter_url(partnership),
    )
    return request


def issue_link(*, signer: Signer) -> str:
    token = make_token()
    SigningLink.objects.create(
        signer=signer, token_hash=hash_token(token), expires_at=signer.request.expires_at
    )
    return token


def email_link(*, request: SignatureRequest, signer: Signer, key: str, template: str) -> None:
    """Issue the signer a fresh personal link and e-mail it (once per ``key``).

    Raw tokens are never stored, so every e-mail that carries a link carries a new one.
    """
    token = issue_link(signer=signer)
    context = email_context(request=request, signer=signer)
    email_queue(
        key=key,
        to=signer.email,
        template=template,
        context={**context, "sign_path": reverse("charters:sign", args=[token])},
        organization=context["organization"],
    )


def whose_turn(request: SignatureRequest) -> list[Signer]:
    pending = [s for s in request.signers.all() if s.state == Signer.State.PENDING]
    if not request.ordered or not pending:
        return pending
    first = min(s.order for s in pending)
    return [s for s in pending if s.order == first]


def notify_turn(*, request: SignatureRequest) -> None:
    """E-mail a personal link to each signer whose turn it is and who was not told yet."""
    now = timezone.now()
    for signer in whose_turn(request):
        if signer.notified_at is not None:
            continue
        Signer.objects.filter(pk=signer.pk).update(notified_at=now)
        email_link(
            request=request,
            signer=signer,
            key=f"charter-sign:{signer.pk}:{request.version_id}",
            template="charter-sign",
        )


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
    audit(request=locked, kind=AuditEvent.Kind.VOIDED, meta=meta, detail=reason)
    tell_involved(request=locked, template="charter-voided", kind="voided", extra={})
    partnership = locked.version.charter.partnership
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CHARTER,
        summary=f"Signature request for charter v{locked.version.number} voided",
        detail=reason,
        actor=meta.user,
        url=charter_url(partnership),
    )
    return locked
