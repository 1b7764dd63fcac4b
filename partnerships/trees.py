"""The seeds' decision trees as data, and the walk through them.

A tree is a dict of nodes: a ``Question`` leads to another node on yes and on no; an
``Outcome`` is a leaf, the tree's recommendation. ``flow_walk`` replays the answers given so
far and returns the next question or the recommendation, so a guided flow is just a page that
carries its answers in the URL, one question at a time.

Nothing here writes: recording a flow's outcome is ``partnerships.flows.flow_record``, and
putting it on the timeline is ``partnerships.timeline.flow_event_record``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from accounts.models import Organization

from .models import FlowRun, Tier


@dataclass(frozen=True)
class Question:
    text: str
    yes: str
    no: str
    help: str = ""
    # The URL name of a fragment that answers the question with the organization's own data
    # (loaded into the question by the flow page), so a choice is not made from belief alone.
    data: str = ""


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
    title=_("Build vs partner"),
    start="core",
    nodes={
        "core": Question(
            _("Is this capability core to our product differentiation?"),
            yes="build",
            no="roadmap",
            help=_("What customers choose us for. Core capability you own, never rent."),
        ),
        "roadmap": Question(
            _("Would building this delay our roadmap by more than 6 months?"),
            yes="partner",
            no="needs_us",
        ),
        "needs_us": Question(
            _("Is there a credible partner who needs us too?"),
            yes="partner",
            no="build",
            help=_("If they need us too, both sides have something to lose."),
        ),
        "build": Outcome(_("Build"), _("Build it yourself.")),
        "partner": Outcome(
            _("Partner"),
            _("Partner for it: write the Partnership Claim next."),
        ),
    },
    choices=[("build", _("Build")), ("partner", _("Partner"))],
)

TIER = Flow(
    kind=FlowRun.Kind.TIER,
    title=_("Tier assignment"),
    start="self_serve",
    nodes={
        "self_serve": Question(
            _("Does the partner have engineering resources to self-serve?"),
            yes="1",
            no="marquee",
        ),
        "marquee": Question(
            _("Is this a marquee logo that shifts our positioning?"), yes="3", no="2"
        ),
        "1": Outcome(
            Tier(1).label,
            _("Start at Tier 1 (self-serve); evaluate for Tier 2 after 6 months."),
        ),
        "2": Outcome(Tier(2).label, _("Tier 2: joint development.")),
        "3": Outcome(Tier(3).label, _("Tier 3: strategic, co-development and white-glove.")),
    },
    choices=[(str(value), label) for value, label in Tier.choices],
)

CRAWL_TO_WALK = Flow(
    kind=FlowRun.Kind.CRAWL_TO_WALK,
    title=_("Crawl → walk go / no-go"),
    start="crawl_met",
    nodes={
        "crawl_met": Question(
            _("Did the Crawl phase meet its success criteria?"),
            yes="go",
            no="end",
            help=_("Judge against the criteria written when Crawl started, not against effort."),
        ),
        "go": Outcome(_("Go: move to Walk"), _("Move to Walk — this is the launch.")),
        "end": Outcome(
            _("No-go: end the partnership"),
            _("End the partnership and learn from the failure. Failing in Crawl is cheap."),
        ),
        # Reached only when the tree says go but a gate refuses it (``flows.recommendation``).
        "wait": Outcome(
            _("Not yet: stay in Crawl and close the gaps"),
            _(
                "A go is not possible yet: close what is missing (listed above), then take the "
                "go / no-go again before the time box ends. If the gaps cannot be closed, end it."
            ),
        ),
    },
    choices=[
        ("go", _("Go: move to Walk")),
        ("wait", _("Not yet: stay in Crawl and close the gaps")),
        ("end", _("No-go: end the partnership")),
    ],
)

WALK_TO_RUN = Flow(
    kind=FlowRun.Kind.WALK_TO_RUN,
    title=_("Walk → run go / no-go"),
    start="walk_met",
    nodes={
        "walk_met": Question(
            _("Did the Walk phase meet its success criteria?"), yes="go", no="change"
        ),
        "change": Question(
            _("Is there a change worth testing in a new Crawl (scope, integration or terms)?"),
            yes="restart",
            no="end",
            help=_("The seed: end the partnership or restart Crawl with changes."),
        ),
        "go": Outcome(_("Go: move to Run"), _("Move to Run.")),
        "restart": Outcome(
            _("No-go: restart Crawl with changes"),
            _("Restart Crawl with the changes written down."),
        ),
        "end": Outcome(_("No-go: end the partnership"), _("End the partnership.")),
        # Reached only when the tree says go but a gate refuses it (``flows.recommendation``).
        "wait": Outcome(
            _("Not yet: stay in Walk and close the gaps"),
            _(
                "A go is not possible yet: close what is missing (listed above), then take the "
                "go / no-go again before the time box ends. If they cannot be closed, restart "
                "Crawl with changes or end it."
            ),
        ),
    },
    choices=[
        ("go", _("Go: move to Run")),
        ("wait", _("Not yet: stay in Walk and close the gaps")),
        ("restart", _("No-go: restart Crawl with changes")),
        ("end", _("No-go: end the partnership")),
    ],
)

PROGRAM = Flow(
    kind=FlowRun.Kind.PROGRAM,
    title=_("Curated vs open partner program"),
    start="brand_risk",
    nodes={
        "brand_risk": Question(
            _("Is brand damage risk high if low-quality partners join?"),
            yes="curated",
            no="scale_review",
            help=_("For example: regulated or security-critical products."),
        ),
        "scale_review": Question(
            _("Can you scale human review of partners?"),
            yes="curated",
            no="open",
            help=_("Dozens of partners: yes. Thousands of potential partners: no."),
            data="programs:capacity",  # the queue's length, the median wait, the partners
        ),
        "curated": Outcome(
            Organization.Program.CURATED.label,
            _("Curate: review partners before they join."),
        ),
        "open": Outcome(
            Organization.Program.OPEN.label,
            _("Open: control comes from discovery and trust layers, not submission gatekeeping."),
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
    for _step in range(len(flow.nodes)):
        node = flow.nodes[key]
        if isinstance(node, Outcome):
            return FlowState(flow, asked, None, None, key, node)
        answer = answers.get(key)
        if answer not in ("yes", "no"):
            return FlowState(flow, asked, key, node, None, None)
        asked.append((key, node, answer))
        key = node.yes if answer == "yes" else node.no
    raise ValueError(f"Flow {flow.kind} has a cycle")  # pragma: no cover


def choice_label(flow: Flow, value: str) -> str:
    """The label a person saw for ``value`` (a recommendation or a final choice)."""
    return dict(flow.choices).get(value, value)
