"""Granting, asking for, using and revoking access to a partner room.

A contact reaches the room only with an owner's grant (``RoomAccess``). The sign-in link is
e-mailed through the outbox as a sensitive message (redacted once sent), its token (256 bits,
``core.tokens``) stored only as a SHA-256, single use and short-lived. Using it starts a
``RoomSession`` whose own token lives in a cookie (also stored only hashed) and which ends
after ``SESSION_TTL``, on sign-out, or the moment the grant is revoked. When the grant asks for
it, the session is usable only after the one-time code e-mailed at sign-in is typed in.

Asking for a link never says whether the address is known: the page answers the same, and an
address without a grant only leaves a line in the owner's audit trail.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.i18n import resolve_language
from core.tokens import code_matches, hash_code, hash_token, make_code, make_token
from notifications.services import email_queue
from partnerships.models import Contact
from reviews.services import partner_reviewer_set

from ..audit import client_meta, room_event_record
from ..models import RoomAccess, RoomEvent, RoomSession, SignInLink

REQUEST_TTL = datetime.timedelta(minutes=30)  # a link asked for on the access page
INVITE_TTL = datetime.timedelta(hours=72)  # the link in an owner's invitation
SESSION_TTL = datetime.timedelta(hours=8)
CODE_TTL = datetime.timedelta(minutes=10)
CODE_ATTEMPTS = 5
MAX_TOKEN_LENGTH = 128


def _safe_next(path: str) -> str:
    """Only a path inside the room may be returned to after signing in."""
    path = (path or "").strip()
    if not path.startswith("/room/") or "//" in path or "\\" in path or len(path) > 300:
        return ""
    return path


def _link_issue(*, access: RoomAccess, purpose: str, next_path: str = "", request=None) -> None:
    """Store a fresh link's hash and e-mail the link (sensitive: redacted once sent)."""
    token = make_token()
    now = timezone.now()
    ttl = INVITE_TTL if purpose == SignInLink.Purpose.INVITE else REQUEST_TTL
    link = SignInLink.objects.create(
        access=access,
        token_hash=hash_token(token),
        purpose=purpose,
        next_path=_safe_next(next_path),
        created_at=now,
        expires_at=now + ttl,
    )
    email_queue(
        key=f"room-link:{link.pk}",
        to=access.contact.email,
        template="room-sign-in",
        language=resolve_language(access.contact, access.organization),
        context={
            "contact": access.contact,
            "partner": access.partner,
            "organization": access.organization,
            "invited": purpose == SignInLink.Purpose.INVITE,
            "sign_in_path": reverse("partnerroom:sign_in", args=[token]),
            "expires_at": link.expires_at,
        },
        organization=access.organization,
        sensitive=True,
    )
    room_event_record(
        kind=RoomEvent.Kind.LINK_SENT,
        partner=access.partner,
        access=access,
        detail=link.get_purpose_display(),
        request=request,
    )


@transaction.atomic
def access_grant(
    *,
    contact: Contact,
    granted_by,
    require_code: bool = False,
    signs_gates: bool = False,
    reviews_health: bool = False,
    send_link: bool = True,
) -> RoomAccess:
    """An owner invites a contact to their partner's room (or changes an existing grant).

    The grant is for the contact's own partner only: the room a session opens is the grant's
    partner. A new grant e-mails an invitation link (valid ``INVITE_TTL``, once); the contact
    can always ask for a fresh one on the access page. ``reviews_health`` makes the contact
    the partner's health-review contact (``reviews.PartnerReviewer``).
    """
    contact = Contact.objects.select_related("partner", "organization").get(pk=contact.pk)
    access = (
        RoomAccess.objects.select_for_update()
        .filter(contact=contact, revoked_at__isnull=True)
        .first()
    )
    created = access is None
    if created:
        access = RoomAccess.objects.create(
            organization=contact.organization,
            partner=contact.partner,
            contact=contact,
            require_code=require_code,
            signs_gates=signs_gates,
            granted_by=granted_by,
        )
    else:
        access.require_code, access.signs_gates = require_code, signs_gates
        access.save(update_fields=["require_code", "signs_gates"])
    access.contact, access.partner = contact, contact.partner
    partner_reviewer_set(contact=contact, on=reviews_health, actor=granted_by)
    room_event_record(
        kind=RoomEvent.Kind.INVITED if created else RoomEvent.Kind.ACCESS_CHANGED,
        partner=contact.partner,
        access=access,
        actor=granted_by,
        detail=_flags(access, reviews_health),
    )
    if created and send_link:
        _link_issue(access=access, purpose=SignInLink.Purpose.INVITE)
    return access


def _flags(access: RoomAccess, reviews_health: bool) -> str:
    flags = [
        label
        for on, label in (
            (reviews_health, "health-review contact"),
            (access.signs_gates, "confirms gates"),
            (access.require_code, "e-mailed code"),
        )
        if on
    ]
    return ", ".join(flags) or "reads what is shared"


@transaction.atomic
def access_revoke(*, access: RoomAccess, actor) -> RoomAccess:
    """End a contact's access now: every session ends and no unused link works any more."""
    locked = RoomAccess.objects.select_for_update().select_related("contact", "partner")
    locked = locked.get(pk=access.pk)
    if locked.revoked_at is not None:
        return locked
    now = timezone.now()
    locked.revoked_at, locked.revoked_by = now, actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    RoomSession.objects.filter(access=locked, ended_at__isnull=True).update(ended_at=now)
    SignInLink.objects.filter(access=locked, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    partner_reviewer_set(contact=locked.contact, on=False)
    room_event_record(
        kind=RoomEvent.Kind.REVOKED, partner=locked.partner, access=locked, actor=actor
    )
    return locked


@transaction.atomic
def access_request(*, email: str, next_path: str = "", request=None) -> None:
    """Someone typed an address on the access page: e-mail a link to each grant it has.

    Returns nothing on purpose (the caller must answer the same whatever happened). A contact
    with no grant leaves one ``asked_no_access`` line a day in the owner's audit trail, so an
    owner can invite them; an unknown address leaves nothing.
    """
    email = (email or "").strip()
    if not email or len(email) > 254:
        return
    grants = RoomAccess.objects.filter(
        contact__email__iexact=email, revoked_at__isnull=True
    ).select_related("contact", "partner", "organization")
    granted_contacts = set()
    for access in grants:
        granted_contacts.add(access.contact_id)
        room_event_record(
            kind=RoomEvent.Kind.ASKED, partner=access.partner, access=access, request=request
        )
        _link_issue(
            access=access,
            purpose=SignInLink.Purpose.REQUEST,
            next_path=next_path,
            request=request,
        )
    since = timezone.now() - datetime.timedelta(days=1)
    ungranted = (
        Contact.objects.filter(email__iexact=email)
        .exclude(pk__in=granted_contacts)
        .select_related("partner")
    )
    for contact in ungranted:
        if RoomEvent.objects.filter(
            contact=contact, kind=RoomEvent.Kind.ASKED_NO_ACCESS, created_at__gte=since
        ).exists():
            continue
        room_event_record(
            kind=RoomEvent.Kind.ASKED_NO_ACCESS,
            partner=contact.partner,
            contact=contact,
            request=request,
        )


def _usable_links():
    now = timezone.now()
    return SignInLink.objects.filter(
        used_at__isnull=True, expires_at__gt=now, access__revoked_at__isnull=True
    )


def link_for_token(token: str) -> SignInLink | None:
    """The usable link for ``token`` (GET: looking never uses it up), or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        _usable_links()
        .select_related("access__contact", "access__partner", "access__organization")
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def session_start(*, token: str, request=None) -> tuple[RoomSession, str] | None:
    """Use a sign-in link up and start a partner session. Returns (session, cookie token), or
    None when the link is unknown, used, expired or its grant revoked.

    The link row is locked, so two clicks start one session. With ``require_code`` the session
    waits for the one-time code, e-mailed now.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    link = (
        _usable_links().select_for_update(of=("self",)).filter(token_hash=hash_token(token)).first()
    )
    if link is None:
        return None
    now = timezone.now()
    link.used_at = now
    link.save(update_fields=["used_at"])
    access = RoomAccess.objects.select_related("contact", "partner", "organization").get(
        pk=link.access_id
    )
    raw = make_token()
    meta = client_meta(request)
    session = RoomSession.objects.create(
        access=access,
        token_hash=hash_token(raw),
        created_at=now,
        expires_at=now + SESSION_TTL,
        verified_at=None if access.require_code else now,
        **meta,
    )
    room_event_record(
        kind=RoomEvent.Kind.SIGNED_IN,
        partner=access.partner,
        access=access,
        session=session,
        request=request,
    )
    if access.require_code:
        _code_send(session=session, access=access, request=request)
    RoomAccess.objects.filter(pk=access.pk).update(last_seen_at=now)
    session.next_path = link.next_path
    return session, raw


def _code_send(*, session: RoomSession, access: RoomAccess, request=None) -> None:
    code = make_code()
    session.code_hash = hash_code(code, context=f"room-session:{session.uuid}")
    session.code_expires_at = timezone.now() + CODE_TTL
    session.save(update_fields=["code_hash", "code_expires_at"])
    email_queue(
        key=f"room-code:{session.uuid}",
        to=access.contact.email,
        template="room-code",
        language=resolve_language(access.contact, access.organization),
        context={
            "contact": access.contact,
            "partner": access.partner,
            "organization": access.organization,
            "code": code,
        },
        organization=access.organization,
        sensitive=True,
    )
    room_event_record(
        kind=RoomEvent.Kind.CODE_SENT,
        partner=access.partner,
        access=access,
        session=session,
        request=request,
    )


def session_for(raw: str, *, now=None) -> RoomSession | None:
    """The live session whose cookie token is ``raw`` (its grant still active), or None."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    now = now or timezone.now()
    return (
        RoomSession.objects.select_related(
            "access__contact", "access__partner", "access__organization"
        )
        .filter(
            token_hash=hash_token(raw),
            ended_at__isnull=True,
            expires_at__gt=now,
            access__revoked_at__isnull=True,
        )
        .first()
    )


@transaction.atomic
def code_verify(*, session: RoomSession, code: str, request=None) -> bool:
    """Check the e-mailed code. Too many wrong codes, or a late one, end the session."""
    locked = RoomSession.objects.select_for_update().get(pk=session.pk)
    access = session.access
    if locked.verified_at is not None:
        return True
    now = timezone.now()
    late = locked.code_expires_at is None or locked.code_expires_at <= now
    good = not late and code_matches(
        (code or "")[:12], locked.code_hash, context=f"room-session:{locked.uuid}"
    )
    if good:
        locked.verified_at = now
        locked.code_hash = ""
        locked.save(update_fields=["verified_at", "code_hash"])
        kind = RoomEvent.Kind.CODE_VERIFIED
    else:
        locked.code_attempts += 1
        fields = ["code_attempts"]
        if late or locked.code_attempts >= CODE_ATTEMPTS:
            locked.ended_at = now
            fields.append("ended_at")
        locked.save(update_fields=fields)
        kind = RoomEvent.Kind.CODE_FAILED
    room_event_record(
        kind=kind, partner=access.partner, access=access, session=locked, request=request
    )
    return good


def session_end(*, session: RoomSession, request=None) -> None:
    """Sign out: the session ends for good (its cookie is worthless afterwards)."""
    ended = RoomSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    if ended:
        room_event_record(
            kind=RoomEvent.Kind.SIGNED_OUT,
            partner=session.access.partner,
            access=session.access,
            session=session,
            request=request,
        )


def sessions_purge(*, now=None) -> int:
    """Delete sign-in links and sessions a day past their end (their hashes are worthless)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=1)
    links, _ = SignInLink.objects.filter(expires_at__lt=cutoff).delete()
    sessions = RoomSession.objects.filter(Q(expires_at__lt=cutoff) | Q(ended_at__lt=cutoff))
    # The audit trail keeps its lines; their session link becomes empty.
    count, _ = sessions.delete()
    return links + count


def access_validate_contact(*, contact: Contact, organization) -> None:
    """A grant is only ever for a contact of this organization."""
    if contact.organization_id != organization.pk:
        raise ValidationError({"contact": "Choose a contact of one of your partners."})
