"""The organization's members (read only: roles change on the Members page, by an owner)."""

from __future__ import annotations

from ninja import Query, Router

from accounts.models import Membership
from accounts.scoping import scoped

from ..pagination import Ordering
from ..schemas.common import MemberPage
from .common import page_of

router = Router(tags=["Members"])

OLDEST_FIRST = Ordering("created", ("created_at", "id"))


@router.get("/members", response=MemberPage, summary="List the organization's members")
def list_members(
    request,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(25, ge=1, le=100),
):
    """Members with their role and whether they may approve decisions. A user's ``id`` is what
    ``owner``, ``approver`` and ``unwind_authorizer`` take."""
    members = scoped(request, Membership).select_related("user")
    return page_of(members, ordering=OLDEST_FIRST, cursor=cursor, limit=limit)
