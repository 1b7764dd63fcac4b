"""The seeds' decision trees as data, and the one function that records a flow's outcome.

A tree is a dict of nodes: a ``Question`` leads to another node on yes and on no; an
``Outcome`` is a leaf, the tree's recommendation. ``flow_walk`` replays the answers given so
far and returns the next question or the recommendation, so a guided flow is just a page that
carries its answers in the URL, one question at a time.

``flow_record`` stores what the tree recommended and what the person chose (with a reason when
they differ) and then applies the choice through the same services everything else uses.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organization

from .models import FlowRun, Partner, Partnership, PartnershipEvent, Phase, Status, Tier
from .services import event_record, partnership_change_phase, partnership_change_status


@dataclass(frozen=True)
class Question:
    text: str
    yes: str
    no: str
    help: str = ""


@dataclass(frozen=True)
class Outcome:
    label: str
    explanation: str


@dataclass(frozen=True)
class Flow:
    kind: str
    title: str
    start: str
    nodes: dict[str, Question | Outcome]
    # The choices a person may make at the end (value, label), whatever the tree said.
    choices: list[tuple[str, str]] = field(default_factory=list)


BUILD_VS_PARTNER = Flow(
    kind=FlowRun.Kind.BUILD_VS_PARTNER,
    title="Build vs partner",
    start="core",
    nodes={
        "core": Question(
            "Is this capability core to our product differentiation?",
            yes="build",
            no="roadmap",
            help="What customers choose us for. Core capability you own, never rent.",
        ),
        "roadmap": Question(
            "Would building this delay our roadmap by more than 6 months?",
            yes="partner",
            no="needs_us",
        ),
        "needs_us": Question(
            "Is there a credible partner who needs us too?",
            yes="partner",
            no="build",
            help="If they need us too, both sides have something to lose.",
        ),
        "build": Outcome("Build", "Build it yourself."),
        "partner": Outcome("Partner", "Partner for it: write the Partnership Claim next."),
    },
    choices=[("build", "Build"), ("partner", "Partner")],
)

TIER = Flow(
    kind=FlowRun.Kind.TIER,
    title="Tier assignment",
    start="self_serve",
    nodes={
        "self_serve": Question(
            "Does the partner have engineering resources to self-serve?",
            yes="1",
            no="marquee",
        ),
        "marquee": Question("Is this a marquee logo that shifts our positioning?", yes="3", no="2"),
        "1": Outcome(
            Tier(1).label, "Start at Tier 1 (self-serve); evaluate for Tier 2 after 6 months."
        ),
        "2": Outcome(Tier(2).label, "Tier 2: joint development."),
        "3": Outcome(Tier(3).label, "Tier 3: strategic, co-development and white-glove."),
    },
    choices=[(str(value), label) for value, label in Tier.choices],
)

CRAWL_TO_WALK = Flow(
    kind=FlowRun.Kind.CRAWL_TO_WALK,
    title="Crawl → walk go / no-go",
    start="crawl_met",
    nodes={
        "crawl_met": Question(
            "Did the Crawl phase meet its success criteria?",
            yes="go",
            no="end",
            help="Judge against the criteria written when Crawl started, not against effort.",
        ),
        "go": Outcome("Go: move to Walk", "Move to Walk — this is the launch."),
        "end": Outcome(
            "No-go: end the partnership",
            "End the partnership and learn from the failure. Failing in Crawl is cheap.",
        ),
    },
    choices=[("go", "Go: move to Walk"), ("end", "No-go: end the partnership")],
)

WALK_TO_RUN = Flow(
    kind=FlowRun.Kind.WALK_TO_RUN,
    title="Walk → run go / no-go",
    start="walk_met",
    nodes={
        "walk_met": Question(
            "Did the Walk phase meet its success criteria?", yes="go", no="change"
        ),
        "change": Question(
            "Is there a change worth testing in a new Crawl (scope, integration or terms)?",
            yes="restart",
            no="end",
            help="The seed: end the partnership or restart Crawl with changes.",
        ),
        "go": Outcome("Go: move to Run", "Move to Run."),
        "restart": Outcome(
            "No-go: restart Crawl with changes", "Restart Crawl with the changes written down."
        ),
        "end": Outcome("No-go: end the partnership", "End the partnership."),
    },
    choices=[
        ("go", "Go: move to Run"),
        ("restart", "No-go: restart Crawl with changes"),
        ("end", "No-go: end the partnership"),
    ],
)

PROGRAM = Flow(
    kind=FlowRun.Kind.PROGRAM,
    title="Curated vs open partner program",
    start="brand_risk",
    nodes={
        "brand_risk": Question(
            "Is brand damage risk high if low-quality partners join?",
            yes="curated",
            no="scale_review",
            help="For example: regulated or security-critical products.",
        ),
        "scale_review": Question(
            "Can you scale human review of partners?",
            yes="curated",
            no="open",
            help="Dozens of partners: yes. Thousands of potential partners: no.",
        ),
        "curated": Outcome(
            Organization.Program.CURATED.label, "Curate: review partners before they join."
        ),
        "open": Outcome(
            Organization.Program.OPEN.label,
            "Open: control comes from discovery and trust layers, not submission gatekeeping.",
        ),
    },
    choices=[
        (Organization.Program.CURATED, Organization.Program.CURATED.label),
        (Organization.Program.OPEN, Organization.Program.OPEN.label),
    ],
)

FLOWS: dict[str, Flow] = {
    flow.kind: flow for flow in (BUILD_VS_PARTNER, TIER, CRAWL_TO_WALK, WALK_TO_RUN, PROGRAM)
}
# URL slugs for the flows (kinds use underscores).
SLUGS = {kind: kind.replace("_", "-") for kind in FLOWS}
KINDS = {slug: kind for kind, slug in SLUGS.items()}


@dataclass
class FlowState:
    flow: Flow
    asked: list[tuple[str, Question, str]]  # (key, question, "yes"/"no")
    next_key: str | None
    next_question: Question | None
    outcome_key: str | None
    outcome: Outcome | None

    @property
    def answers(self) -> dict[str, str]:
        return {key: answer for key, _q, answer in self.asked}


def flow_walk(flow: Flow, answers: dict[str, str]) -> FlowState:
    """Replay ``answers`` through the tree; stop at the first unanswered question or a leaf.

    Answers to questions off the path are ignored, so a stale or hand-edited URL can never
    produce a recommendation the tree would not give.
    """
    asked: list[tuple[str, Question, str]] = []
    key = flow.start
    for _ in range(len(flow.nodes)):
        node = flow.nodes[key]
        if isinstance(node, Outcome):
            return FlowState(flow, asked, None, None, key, node)
        answer = answers.get(key)
        if answer not in ("yes", "no"):
            return FlowState(flow, asked, key, node, None, None)
        asked.append((key, node, answer))
        key = node.yes if answer == "yes" else node.no
    raise ValueError(f"Flow {flow.kind} has a cycle")  # pragma: no cover


def _choice_label(flow: Flow, value: str) -> str:
    return dict(flow.choices).get(value, value)


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


def flow_event_record(*, run: FlowRun, partnership: Partnership, actor) -> PartnershipEvent:
    """Put a flow's outcome on the partnership's timeline (answers, choice, override)."""
    flow = FLOWS[run.kind]
    chosen = _choice_label(flow, run.final_choice)
    summary = f"{flow.title}: {chosen}"
    lines = [f"{flow.nodes[key].text} {answer.capitalize()}" for key, answer in run.answers.items()]
    lines.append(f"Recommendation: {_choice_label(flow, run.recommendation)}")
    if run.overridden:
        summary += " — overrode the recommendation"
        lines.append(f"Override reason: {run.override_reason}")
    return event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.FLOW,
        summary=summary,
        detail="\n".join(lines),
        actor=actor,
    )


def _apply(run: FlowRun, flow: Flow, *, actor, success_criteria: str) -> None:
    partnership = run.partnership
    choice = run.final_choice
    reason = f"{flow.title}: {_choice_label(flow, choice)}"
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
