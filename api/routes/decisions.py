"""The decision trail: record a decision on its evidence, and approve or reject one.

Recording runs ``evidence.services.decision_record``: commit and go pass the evidence
sufficiency rule first (the problem's errors list exactly what is missing), and a decision
that needs the approver waits for them. Only the named approver may approve or reject.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Query, Router, Status

from accounts.scoping import get_scoped_or_404, scoped
from evidence.forms import ReviewForm
from evidence.models import Decision as DecisionModel
from evidence.models import EvidenceEntry as EntryModel
from evidence.services import decision_record, decision_review
from partnerships.models import Partnership as PartnershipModel

from ..auth import require_write
from ..pagination import Ordering
from ..schemas.evidence import Decision, DecisionFilters, DecisionIn, DecisionPage, ReviewIn
from .common import page_of, valid_or_raise

router = Router(tags=["Decisions"])

NEWEST_FIRST = Ordering("-decided", ("-decided_at", "-id"))


def decisions_of(request):
    return (
        scoped(request, DecisionModel)
        .select_related("partnership__partner", "decided_by", "approver")
        .prefetch_related("evidence")
    )


def _decision(request, decision_id: UUID) -> DecisionModel:
    return get_scoped_or_404(request, decisions_of(request), uuid=decision_id)


@router.get("/decisions", response=DecisionPage, summary="List decisions")
def list_decisions(request, filters: Query[DecisionFilters]):
    """The decision trail, newest first."""
    qs = decisions_of(request)
    if filters.partnership:
        qs = qs.filter(partnership__uuid=filters.partnership)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return page_of(qs, ordering=NEWEST_FIRST, cursor=filters.cursor, limit=filters.limit)


@router.post("/decisions", response={201: Decision}, summary="Record a decision")
def create_decision(request, payload: DecisionIn):
    """Commit, defer, renegotiate, unwind, go or no-go, with the rationale and the entries it
    rests on. In effect at once, or ``pending`` until the approver approves."""
    require_write(request)
    partnership = scoped(request, PartnershipModel).filter(uuid=payload.partnership).first()
    if partnership is None:
        raise ValidationError({"partnership": "Choose one of your partnerships."})
    wanted = set(payload.evidence)
    entries = list(EntryModel.objects.filter(partnership=partnership, uuid__in=wanted))
    if len(entries) != len(wanted):
        raise ValidationError({"evidence": "Evidence must come from this partnership's log."})
    decision = decision_record(
        partnership=partnership,
        kind=payload.kind,
        rationale=payload.rationale,
        evidence=entries,
        decided_by=request.user,
    )
    return Status(201, _decision(request, decision.uuid))


@router.get("/decisions/{decision_id}", response=Decision, summary="Get a decision")
def get_decision(request, decision_id: UUID):
    return _decision(request, decision_id)


def _review(request, decision_id: UUID, payload: ReviewIn, *, approve: bool):
    require_write(request)
    decision = _decision(request, decision_id)
    if decision.approver_id != request.user.pk:
        raise PermissionDenied("Only the named approver may approve or reject this decision.")
    data = valid_or_raise(ReviewForm(payload.dict()))
    decision_review(decision=decision, reviewer=request.user, approve=approve, note=data["note"])
    return _decision(request, decision_id)


@router.post(
    "/decisions/{decision_id}/approve", response=Decision, summary="Approve a pending decision"
)
def approve_decision(request, decision_id: UUID, payload: ReviewIn):
    """The named approver approves, with a reason; the decision takes effect (a go changes
    the phase, through the same gates)."""
    return _review(request, decision_id, payload, approve=True)


@router.post(
    "/decisions/{decision_id}/reject", response=Decision, summary="Reject a pending decision"
)
def reject_decision(request, decision_id: UUID, payload: ReviewIn):
    return _review(request, decision_id, payload, approve=False)
