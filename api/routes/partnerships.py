"""Partnerships: list, read, propose, edit, their history, and status changes.

Phase changes are the go / no-go decision (``routes/phases.py``), as on the page.
"""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from django.db.models import Q
from ninja import Query, Router, Status

from accounts.scoping import get_scoped_or_404, scoped
from partnerships import selectors, services
from partnerships.forms import PARTNERSHIP_FIELDS, PartnershipForm, StatusForm
from partnerships.models import Partner as PartnerModel
from partnerships.models import Partnership as PartnershipModel
from partnerships.models import PartnershipEvent
from partnerships.rules import flagged_q

from ..auth import require_write
from ..pagination import Ordering
from ..schemas.partnerships import (
    HistoryPage,
    Partnership,
    PartnershipFilters,
    PartnershipIn,
    PartnershipPage,
    PartnershipPatch,
    StatusIn,
)
from .common import form_data, page_of, pk_or_invalid, today, valid_or_raise

router = Router(tags=["Partnerships"])

ORDERINGS = {
    "name": Ordering("name", ("name", "id")),
    "-updated": Ordering("-updated", ("-updated_at", "-id")),
    "created": Ordering("created", ("created_at", "id")),
    "-created": Ordering("-created", ("-created_at", "-id")),
}
HISTORY = Ordering("-created", ("-created_at", "-id"))
PEOPLE = ("owner", "approver", "unwind_authorizer")
EDITABLE = [name for name in PARTNERSHIP_FIELDS if name not in ("partner", "tier")]


def partnerships_of(request):
    """The organization's partnerships with everything the API shows of one (no N+1)."""
    return scoped(request, PartnershipModel).select_related(
        "partner", "owner", "approver", "unwind_authorizer"
    )


def partnership_or_404(request, partnership_id: UUID) -> PartnershipModel:
    return get_scoped_or_404(request, partnerships_of(request), uuid=partnership_id)


def _people_pks(request, values: dict) -> tuple[dict, list]:
    """User ids (UUIDs) of owner / approver / unwind authorizer as the form's member choices,
    and the members (one query)."""
    people = {str(user.uuid): user for user in selectors.members(request.organization)}
    out = {
        name: "" if values[name] is None else pk_or_invalid(people.get(str(values[name])))
        for name in PEOPLE
        if name in values
    }
    return out, list(people.values())


@router.get("/partnerships", response=PartnershipPage, summary="List partnerships")
def list_partnerships(request, filters: Query[PartnershipFilters]):
    """The organization's partnerships. ``flagged`` keeps those with an anti-pattern flag
    (judged on the organization's today, as on the dashboard)."""
    qs = partnerships_of(request)
    if filters.q.strip():
        text = filters.q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(partner__name__icontains=text))
    if filters.partner:
        qs = qs.filter(partner__uuid=filters.partner)
    for name in ("tier", "phase", "status"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.owner:
        qs = qs.filter(owner__uuid=filters.owner)
    if filters.flagged:
        qs = qs.filter(flagged_q(today(request)))
    return page_of(qs, ordering=ORDERINGS[filters.sort], cursor=filters.cursor, limit=filters.limit)


@router.post("/partnerships", response={201: Partnership}, summary="Propose a partnership")
def create_partnership(request, payload: PartnershipIn):
    """Propose a partnership with a partner of the organization. It starts in crawl, status
    proposed, as from the page's form; the tier assignment and go / no-go flows come next."""
    require_write(request)
    values = payload.dict()
    if values["owner"] is None:
        values["owner"] = request.user.uuid
    people, members = _people_pks(request, values)
    partner = scoped(request, PartnerModel).filter(uuid=values.pop("partner")).first()
    request_uuid = values.pop("request_id")
    data = {**values, **people, "partner": pk_or_invalid(partner)}
    if request_uuid:
        data["request_uuid"] = str(request_uuid)
    form = PartnershipForm(data, organization=request.organization, people=members)
    cleaned = valid_or_raise(form)
    if not request_uuid:
        cleaned["request_uuid"] = None
    partnership = services.partnership_create(
        organization=request.organization, actor=request.user, **cleaned
    )
    return Status(201, partnership_or_404(request, partnership.uuid))


@router.get("/partnerships/{partnership_id}", response=Partnership, summary="Get a partnership")
def get_partnership(request, partnership_id: UUID):
    return partnership_or_404(request, partnership_id)


@router.patch(
    "/partnerships/{partnership_id}", response=Partnership, summary="Change a partnership"
)
def update_partnership(request, partnership_id: UUID, payload: PartnershipPatch):
    """Change the fields given (the timeline notes which). The partner and tier never change
    here (the tier has its own flow); phase and status have their own operations."""
    require_write(request)
    partnership = partnership_or_404(request, partnership_id)
    changes = payload.dict(exclude_unset=True)
    people, members = _people_pks(request, changes)
    changes.update(people)
    form = PartnershipForm(
        form_data(partnership, EDITABLE, changes),
        instance=partnership,
        organization=request.organization,
        people=members,
    )
    cleaned = valid_or_raise(form)
    services.partnership_update(
        partnership=partnership_or_404(request, partnership_id), actor=request.user, **cleaned
    )
    return partnership_or_404(request, partnership_id)


@router.get(
    "/partnerships/{partnership_id}/history",
    response=HistoryPage,
    summary="A partnership's history",
)
def partnership_history(
    request,
    partnership_id: UUID,
    kind: Literal[
        "created", "phase", "status", "flow", "decision", "fit_card", "charter", "review", "note"
    ]
    | None = None,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(25, ge=1, le=100),
):
    """The timeline, newest first: phase and status changes (with their reasons and the
    success criteria written at each phase start), decisions, flows, reviews."""
    partnership = partnership_or_404(request, partnership_id)
    events = PartnershipEvent.objects.filter(partnership=partnership).select_related("actor")
    if kind:
        events = events.filter(kind=kind)
    return page_of(events, ordering=HISTORY, cursor=cursor, limit=limit)


@router.post(
    "/partnerships/{partnership_id}/status",
    response=Partnership,
    summary="Change a partnership's status",
)
def change_status(request, partnership_id: UUID, payload: StatusIn):
    """Defer, renegotiate, unwind, end or reactivate, with a reason, through the same service
    as the page. Ended is final."""
    require_write(request)
    partnership = partnership_or_404(request, partnership_id)
    data = valid_or_raise(StatusForm(payload.dict()))
    services.partnership_change_status(
        partnership=partnership,
        to_status=data["to_status"],
        actor=request.user,
        reason=data["reason"],
    )
    return partnership_or_404(request, partnership_id)
