"""What every stage of a signature request shares: who acted, the audit trail, the e-mails.

Every state change appends an ``AuditEvent`` with who acted, from where and the document's
SHA-256, so the trail says what was signed, not only that something was.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from django.urls import reverse

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


def audit(*, request, kind, meta: ClientMeta, signer=None, detail: str = "") -> AuditEvent:
    """Append one step to the request's audit trail."""
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
        )
