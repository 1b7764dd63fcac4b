"""How a signer is reached: whose turn it is, and the e-mail that lets them sign.

A partner signer has no account, so their e-mail carries a personal link: a fresh random
token stored only as its SHA-256. Raw tokens are never kept, so every e-mail that carries a
link carries a new one, and issuing it revokes the signer's older links: a forwarded or leaked
older e-mail stops working the moment a newer one is sent.

A member of ours has an account, so their e-mail carries no secret at all: it points to the
signing page of the charter, where their signed-in session is the proof of who they are.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.i18n import signer_language
from core.tokens import hash_token, make_token
from notifications.services import email_queue

from ..models import SignatureRequest, Signer, SigningLink
from .common import email_context


def issue_link(*, signer: Signer) -> str:
    """A new personal link for ``signer`` (the raw token, to be e-mailed once); every older
    link of theirs is revoked in the same transaction."""
    token = make_token()
    with transaction.atomic():
        SigningLink.objects.filter(signer=signer, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        SigningLink.objects.create(
            signer=signer, token_hash=hash_token(token), expires_at=signer.request.expires_at
        )
    return token


def email_link(*, request: SignatureRequest, signer: Signer, key: str, template: str) -> None:
    """E-mail ``signer`` the way to sign (once per ``key``): a fresh personal link for a
    partner signer (``template``), the charter's signing page for a member of ours
    (``template``-ours, written for them: no partner-facing message, no secret)."""
    context = email_context(request=request, signer=signer)
    ours = signer.side == Signer.Side.OURS
    if ours:
        template = f"{template}-ours"
        sign_path = reverse("charters:sign_member", args=[signer.uuid])
    else:
        sign_path = reverse("charters:sign", args=[issue_link(signer=signer)])
    email_queue(
        key=key,
        to=signer.email,
        template=template,
        context={**context, "sign_path": sign_path},
        organization=context["organization"],
        language=signer_language(signer),
        sensitive=not ours,  # the outbox redacts a link's e-mail once it is sent
    )


def whose_turn(request: SignatureRequest) -> list[Signer]:
    """The pending signers who may sign now: everyone in parallel mode, else the lowest
    order still pending."""
    pending = [s for s in request.signers.all() if s.state == Signer.State.PENDING]
    if not request.ordered or not pending:
        return pending
    first = min(s.order for s in pending)
    return [s for s in pending if s.order == first]


def notify_turn(*, request: SignatureRequest) -> None:
    """E-mail each signer whose turn it is and who was not told yet."""
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
