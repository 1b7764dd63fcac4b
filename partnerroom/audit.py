"""Writing the room's audit trail: one line per page opened and per step taken.

Every line names the organization and partner (the room), and where known the access, contact,
session, partnership and member of ours, with the client's address and user agent as
``core.client`` reads them. Lines are only ever added.
"""

from __future__ import annotations

from core.client import client_ip, user_agent

from .models import RoomEvent


def client_meta(request) -> dict:
    """The client's address and user agent, as every audit line stores them."""
    if request is None:
        return {"ip_address": None, "user_agent": ""}
    return {"ip_address": client_ip(request), "user_agent": user_agent(request)}


def room_event_record(
    *,
    kind: str,
    partner,
    access=None,
    contact=None,
    session=None,
    partnership=None,
    actor=None,
    path: str = "",
    detail: str = "",
    request=None,
) -> RoomEvent:
    """Append one line to the partner's room audit trail."""
    if contact is None and access is not None:
        contact = access.contact
    return RoomEvent.objects.create(
        organization_id=partner.organization_id,
        partner=partner,
        access=access,
        contact=contact,
        session=session,
        partnership=partnership,
        actor=actor,
        kind=kind,
        path=(path or "")[:300],
        detail=(detail or "")[:500],
        **client_meta(request),
    )
