"""Recording a decision flow's outcome and applying the choice.

``flow_record`` stores what the tree recommended and what the person chose (with a reason when
they differ) and then applies the choice through the same services everything else uses. The
trees themselves are data in ``partnerships.trees``.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organization

from .models import FlowRun, Partner, Partnership, Phase, Status
from .services import partnership_change_phase, partnership_change_status
from .timeline import flow_event_record
from .trees import FLOWS, Flow, choice_label, flow_walk


@transaction.atomic
def flow_record(
    *,
    organization: Organization,
    kind: str,
    answers: dict[str, str],
    final_choice: str,
    override_reason: str = "",
    actor,
    partnership: Partnership | None = None,
    partner: Partner | None = None,
    subject: str = "",
    success_criteria: str = "",
    run_uuid: uuid.UUID | None = None,
) -> FlowRun:
    """Record a completed flow and apply the final choice.

    ``run_uuid`` comes from the form (made when the decision form was rendered): submitting
    the same form twice returns the first run instead of deciding twice.

    The recommendation is recomputed here from the answers, never taken from the form, so the
    trail shows what the tree really said. Overriding it needs a reason (the seed's trees are
    defaults, not orders, but a departure must be defensible later).

    Applying a choice: a tier is set on the partnership; a go moves the phase through
    ``partnership_change_phase`` (which raises ValidationError listing every registered gate's
    blocker — nothing is recorded then); a no-go ends the partnership or restarts Crawl; the
    program choice becomes the organization's ``partner_program``.
    """
    if run_uuid is not None:
        existing = FlowRun.objects.filter(uuid=run_uuid).first()
        if existing is not None:
            if existing.organization_id != organization.pk or existing.kind != kind:
                raise ValidationError({"__all__": "This form was already used elsewhere."})
            return existing
    flow = FLOWS[kind]
    state = flow_walk(flow, answers)
    if state.outcome_key is None:
        raise ValidationError({"__all__": "Answer every question before deciding."})
    if final_choice not in dict(flow.choices):
        raise ValidationError({"final_choice": "Choose one of the options."})
    recommendation = state.outcome_key
    override_reason = override_reason.strip()
    if final_choice != recommendation and not override_reason:
        raise ValidationError(
            {"override_reason": "You chose differently from the recommendation: say why."}
        )
    needs_partnership = kind not in (FlowRun.Kind.PROGRAM, FlowRun.Kind.BUILD_VS_PARTNER)
    if needs_partnership and partnership is None:
        raise ValidationError({"__all__": "This flow needs a partnership."})
    if partnership is not None and partnership.status == Status.ENDED:
        raise ValidationError({"__all__": "This partnership has ended; nothing is left to decide."})
    run = FlowRun.objects.create(
        **({"uuid": run_uuid} if run_uuid else {}),
        organization=organization,
        kind=kind,
        partnership=partnership,
        partner=partner or (partnership.partner if partnership else None),
        subject=subject[:200],
        answers=state.answers,
        recommendation=recommendation,
        final_choice=final_choice,
        override_reason=override_reason,
        decided_by=actor,
    )
    _apply(run, flow, actor=actor, success_criteria=success_criteria)
    if partnership is not None:
        flow_event_record(run=run, partnership=partnership, actor=actor)
    return run


def _apply(run: FlowRun, flow: Flow, *, actor, success_criteria: str) -> None:
    partnership = run.partnership
    choice = run.final_choice
    reason = f"{flow.title}: {choice_label(flow, choice)}"
    if run.override_reason:
        reason += f" (override: {run.override_reason})"
    if run.kind == FlowRun.Kind.TIER:
        Partnership.objects.filter(pk=partnership.pk).update(tier=int(choice))
        partnership.tier = int(choice)
    elif run.kind == FlowRun.Kind.PROGRAM:
        Organization.objects.filter(pk=run.organization_id).update(partner_program=choice)
        run.organization.partner_program = choice
    elif run.kind in (FlowRun.Kind.CRAWL_TO_WALK, FlowRun.Kind.WALK_TO_RUN):
        expected = Phase.CRAWL if run.kind == FlowRun.Kind.CRAWL_TO_WALK else Phase.WALK
        if partnership.phase != expected:
            raise ValidationError(
                {"__all__": f"This go / no-go is for a partnership in {Phase(expected).label}."}
            )
        if choice == "go":
            to_phase = Phase.WALK if expected == Phase.CRAWL else Phase.RUN
            partnership_change_phase(
                partnership=partnership,
                to_phase=to_phase,
                actor=actor,
                reason=reason,
                success_criteria=success_criteria,
            )
        elif choice == "restart":
            # A step back to learn, not a go: the launch gates do not apply to it.
            partnership_change_phase(
                partnership=partnership,
                to_phase=Phase.CRAWL,
                actor=actor,
                reason=reason,
                success_criteria=success_criteria,
                enforce_gates=False,
            )
        else:
            partnership_change_status(
                partnership=partnership, to_status=Status.ENDED, actor=actor, reason=reason
            )
