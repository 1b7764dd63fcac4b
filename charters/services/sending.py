"""Sending a version for signature: freeze it, name the signers, e-mail whoever's turn it is.

The document is rendered once, when a version is first sent, and its SHA-256 recorded; every
signer signs those bytes. Rendering happens before the charter row is locked, so nobody waits
on WeasyPrint. A manager may void an open request; its links stop working.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.queue import enqueue
from partnerships.models import PartnershipEvent
from partnerships.services import event_record

from ..documents import render_version_document, sha256_hex
from ..models import AuditEvent, Charter, CharterVersion, SignatureRequest, Signer
from ..snapshot import SIGN_TASK, evidence_snapshot
from .common import SYSTEM, ClientMeta, announce, audit, charter_url, tell_involved
from .links import notify_turn


class Order:
    PARALLEL = "parallel"
    PARTNER_FIRST = "partner_first"
    OURS_FIRST = "ours_first"
    CHOICES = [
        (PARALLEL, _("In parallel (everyone at once)")),
        (PARTNER_FIRST, _("In order: the partner's signers first, then ours")),
        (OURS_FIRST, _("In order: our signers first, then the partner's")),
    ]


def _send_errors(*, charter, version, our_users, partner_contacts, expires_at) -> dict:
    """Why ``version`` cannot be sent as asked (empty when it can)."""
    partnership = charter.partnership
    errors: dict[str, str] = {}
    if not our_users:
        errors["our_signers"] = "Choose at least one of our signers."
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
    return errors


@dataclass(frozen=True)
class Rendered:
    """A version's document, and the version's ``updated_at`` the rendering saw."""

    html: str
    pdf: bytes
    seen_updated_at: datetime
    evidence: dict


def version_render(version: CharterVersion) -> Rendered | None:
    """The document of an unsent version, rendered before any row is locked (WeasyPrint takes
    a while, and nobody else should wait for it). None when the version is already frozen."""
    fresh = CharterVersion.objects.select_related(
        "charter__partnership__partner", "charter__partnership__organization"
    ).get(pk=version.pk)
    if fresh.is_frozen:
        return None
    # The document states the evidence log as it stands now: what both sides sign on.
    evidence = evidence_snapshot(fresh.charter.partnership)
    fresh.evidence_sequence = evidence["sequence"]
    fresh.evidence_head = evidence["head"]
    fresh.evidence_entries = evidence["entries"]
    html, pdf = render_version_document(fresh)
    return Rendered(html=html, pdf=pdf, seen_updated_at=fresh.updated_at, evidence=evidence)


def version_freeze(*, version: CharterVersion, document: Rendered | None) -> CharterVersion:
    """Store the rendered ``document`` with its SHA-256, once. Idempotent: a frozen version
    is never rendered or stored again, so every signer signs the same bytes. Call it inside
    the transaction that holds the charter's row lock (no edit can slip in)."""
    locked = CharterVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    if locked.is_frozen:
        return locked
    if document is None or locked.updated_at != document.seen_updated_at:
        raise ValidationError(_("The charter was edited while it was being sent; send it again."))
    html, pdf = document.html, document.pdf
    name = default_storage.save(f"charters/documents/{locked.uuid}.pdf", ContentFile(pdf))
    locked.document_html = html
    locked.document_pdf = name
    locked.document_sha256 = sha256_hex(pdf)
    locked.evidence_sequence = document.evidence["sequence"]
    locked.evidence_head = document.evidence["head"]
    locked.evidence_entries = document.evidence["entries"]
    locked.frozen_at = timezone.now()
    locked.save(
        update_fields=[
            "document_html",
            "document_pdf",
            "document_sha256",
            "evidence_sequence",
            "evidence_head",
            "evidence_entries",
            "frozen_at",
        ]
    )
    # The worker records the signed checkpoint that covers the snapshot (it has the key).
    enqueue(SIGN_TASK, locked.pk, robust=True)
    return locked


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
    order is also enforced when a link is opened. The document is rendered first, then the
    charter is locked, checked again and the request written in one transaction.
    """
    checks = {
        "version": version,
        "our_users": our_users,
        "partner_contacts": partner_contacts,
        "expires_at": expires_at,
    }
    charter = Charter.objects.select_related("partnership__partner").get(pk=version.charter_id)
    errors = _send_errors(charter=charter, **checks)
    if errors:
        raise ValidationError(errors)
    document = version_render(version)
    with transaction.atomic():
        return _send_locked(
            version=version,
            document=document,
            actor=actor,
            order=order,
            require_code=require_code,
            message=message,
            meta=meta,
            checks=checks,
        )


def _send_locked(*, version, document, actor, order, require_code, message, meta, checks):
    charter = (
        Charter.objects.select_for_update(of=("self",))
        .select_related("partnership__partner", "partnership__organization")
        .get(pk=version.charter_id)
    )
    partnership = charter.partnership
    errors = _send_errors(charter=charter, **checks)
    if errors:
        raise ValidationError(errors)
    version = version_freeze(version=version, document=document)
    request = SignatureRequest.objects.create(
        organization_id=version.organization_id,
        version=version,
        ordered=order != Order.PARALLEL,
        require_code=require_code,
        message=message,
        sent_by=actor,
        expires_at=checks["expires_at"],
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
        for user in checks["our_users"]
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
        for contact in checks["partner_contacts"]
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
    announce(request=request, type="charter.sent")
    return request


@transaction.atomic
def signature_request_void(
    *, request: SignatureRequest, reason: str, meta: ClientMeta
) -> SignatureRequest:
    """A manager withdraws an open request; every link stops working and everyone involved
    is told why."""
    locked = (
        SignatureRequest.objects.select_for_update(of=("self",))
        .select_related("version__charter__partnership__partner", "organization")
        .get(pk=request.pk)
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is voided.")})
    if locked.state != SignatureRequest.State.PENDING:
        raise ValidationError(_("Only a request awaiting signatures can be voided."))
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
    announce(request=locked, type="charter.voided", reason=reason)
    return locked
