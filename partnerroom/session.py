"""The partner session on a request: its cookie, and the decorator every room page wears.

Partner contacts have no Django account, so the room does not use Django's auth or session:
the cookie ``accord_room`` (HttpOnly, SameSite=Lax, Secure outside development, path
``/room/``) carries a random token whose SHA-256 names a live ``RoomSession``. ``room_required``
loads it (one query), refuses anything else — a missing, expired, ended or revoked session goes
to the access page — and writes one audit line for every page opened, including refusals of a
page inside the room (404). A room page is rendered in its contact's language
(``core.i18n.resolve_language``: their own setting, then the switcher's cookie, then the
organization's default, then the browser), like their e-mails and their signing page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation

from core.i18n import resolve_language

from .audit import room_event_record
from .models import RoomAccess, RoomEvent, RoomSession
from .services.access import session_for

if TYPE_CHECKING:
    from accounts.models import Organization
    from partnerships.models import Contact, Partner

COOKIE = "accord_room"
COOKIE_PATH = "/room/"


@dataclass
class Room:
    """Whose room this request is in: everything a room page may reach hangs off ``partner``."""

    session: RoomSession
    access: RoomAccess
    contact: Contact
    partner: Partner
    organization: Organization
    partnership: object = None  # set by a page about one partnership (for the audit line)


class RoomRequest(HttpRequest):
    room: Room


def cookie_set(response, raw: str, session: RoomSession) -> None:
    response.set_cookie(
        COOKIE,
        raw,
        max_age=max(int((session.expires_at - timezone.now()).total_seconds()), 0),
        path=COOKIE_PATH,
        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        httponly=True,
        samesite="Lax",
    )


def cookie_clear(response) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Lax")


def current_session(request) -> RoomSession | None:
    """The live session of the request's cookie (verified or not), or None."""
    return session_for(request.COOKIES.get(COOKIE, ""))


def private(response):
    """Room pages are personal: never cached, never indexed."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _to_access_page(request):
    query = urlencode({"next": request.get_full_path()[:300]})
    return private(redirect(f"{reverse('partnerroom:access')}?{query}"))


def room_required(view):
    """Require a live, verified partner session; attach ``request.room``; audit the page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        session = current_session(request)
        if session is None:
            return _to_access_page(request)
        if session.verified_at is None:
            return private(redirect("partnerroom:code"))
        access = session.access
        request.room = Room(
            session=session,
            access=access,
            contact=access.contact,
            partner=access.partner,
            organization=access.organization,
        )
        language = resolve_language(access.contact, access.organization, request)
        request.LANGUAGE_CODE = language
        try:
            with translation.override(language):
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
        except Http404:
            _audit(request, "not found")
            raise
        response["Content-Language"] = language
        _audit(request, "" if response.status_code < 400 else f"status {response.status_code}")
        return private(response)

    wrapper.partner_room = True
    return wrapper


def _audit(request, detail: str) -> None:
    room = request.room
    kind = getattr(request, "room_event_kind", RoomEvent.Kind.VIEWED)
    room_event_record(
        kind=kind,
        partner=room.partner,
        access=room.access,
        contact=room.contact,
        session=room.session,
        partnership=room.partnership,
        path=f"{request.method} {request.path}",
        detail=detail,
        request=request,
    )
