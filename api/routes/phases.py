"""Phase changes: the go / no-go decision of the current phase, as the page asks it.

Crawl → walk and walk → run are decisions, not edits: the seed's tree is asked, its
recommendation recorded with the choice (an override needs a reason), and a go moves the
phase through ``partnerships.services.partnership_change_phase``, where every registered
gate (an executed charter before walk, sufficient evidence) may refuse. A refusal is a 422
whose errors name each reason, exactly what the page lists.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from ninja import Router, Status

from partnerships.flows import FLOWS, Question, flow_record
from partnerships.gates import phase_change_blockers
from partnerships.models import FlowRun, Phase

from ..auth import require_write
from ..schemas.partnerships import GoNoGo, GoNoGoIn, GoNoGoResult
from .partnerships import partnership_or_404

router = Router(tags=["Partnerships"])

FLOW_OF_PHASE = {Phase.CRAWL: FlowRun.Kind.CRAWL_TO_WALK, Phase.WALK: FlowRun.Kind.WALK_TO_RUN}
NEXT_PHASE = {Phase.CRAWL: Phase.WALK, Phase.WALK: Phase.RUN}


@router.get(
    "/partnerships/{partnership_id}/go-no-go",
    response=GoNoGo,
    summary="The go / no-go decision of the current phase",
)
def go_no_go(request, partnership_id: UUID):
    """The questions to answer, the choices, and what the gates would refuse a go for now
    (for example "the charter is not executed yet")."""
    partnership = partnership_or_404(request, partnership_id)
    kind = FLOW_OF_PHASE.get(partnership.phase)
    if kind is None:
        return {"flow": None, "title": None, "questions": [], "choices": [], "blockers": []}
    flow = FLOWS[kind]
    return {
        "flow": kind,
        "title": str(flow.title),  # the trees' texts are translated lazily (issue 16)
        "questions": [
            {"key": key, "text": str(node.text), "help": str(node.help)}
            for key, node in flow.nodes.items()
            if isinstance(node, Question)
        ],
        "choices": [value for value, _label in flow.choices],
        "blockers": phase_change_blockers(partnership, NEXT_PHASE[partnership.phase]),
    }


@router.post(
    "/partnerships/{partnership_id}/go-no-go",
    response={201: GoNoGoResult},
    summary="Decide go / no-go (changes the phase)",
)
def decide_go_no_go(request, partnership_id: UUID, payload: GoNoGoIn):
    """Record the decision and apply it: go moves to the next phase (if every gate allows),
    restart goes back to crawl with changes (walk only), end ends the partnership. The same
    ``request_id`` twice records one decision."""
    require_write(request)
    partnership = partnership_or_404(request, partnership_id)
    kind = FLOW_OF_PHASE.get(partnership.phase)
    if kind is None:
        raise ValidationError(
            {"final_choice": "A partnership in run has no go / no-go; change its status instead."}
        )
    run = flow_record(
        organization=request.organization,
        kind=kind,
        answers=dict(payload.answers),
        final_choice=payload.final_choice,
        override_reason=payload.override_reason,
        actor=request.user,
        partnership=partnership,
        success_criteria=payload.success_criteria,
        run_uuid=payload.request_id,
    )
    result = {
        "recommendation": run.recommendation,
        "final_choice": run.final_choice,
        "overridden": run.overridden,
        "partnership": partnership_or_404(request, partnership_id),
    }
    return Status(201, result)
