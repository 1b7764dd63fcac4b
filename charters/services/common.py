"""What every stage of a signature request shares: who acted, the audit trail, the e-mails.

Every state change appends an ``AuditEvent`` with who acted, from where and the document's
SHA-256, so the trail says what was signed, not only that something was.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from accounts.fresh_sign_in import record_fields
from core.client import client_ip, user_agent
from core.events import emit, partnership_ref
from core.i18n import member_language, signer_language
from notifications.services import email_queue

from ..models import AuditEvent, SignatureRequest, Signer


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
            user_agent=user_agent(request),
            user=user if user is not None and user.is_authenticated else None,
        )


SYSTEM = ClientMeta()


def announce(*, request: SignatureRequest, type: str, **extra) -> None:
    """Tell integrations about a step of ``request`` (``charter.sent``, ``.signed``, …)."""
    version = request.version
    emit(
        organization=request.organization,
        type=type,
        data={
            "signature_request": {"id": str(request.uuid), "state": request.state},
            "charter": {"id": str(version.charter.uuid), "version": version.number},
            "partnership": partnership_ref(version.charter.partnership),
            **extra,
        },
    )


def audit(*, request, kind, meta: ClientMeta, signer=None, detail: str = "") -> AuditEvent:
    """Append one step to the request's audit trail; a step made in a commitment view says
    whether it was confirmed with a fresh sign-in (``accounts.fresh_sign_in``)."""
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
        **record_fields(meta.user),
    )


def charter_url(partnership) -> str:
    return reverse("charters:detail", args=[partnership.uuid])


def email_context(*, request: SignatureRequest, signer: Signer | None = None) -> dict:
    """What every charter e-mail template may use."""
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


def tell_involved(*, request: SignatureRequest, template: str, kind: str, extra: dict) -> None:
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
            context={**email_context(request=request, signer=signer), **extra},
            organization=request.organization,
            language=(
                signer_language(signer)
                if signer is not None
                else member_language(request.sent_by, request.organization)
            ),
        )
