"""The steps of the guided Fit Card and Partnership Claim flow, in order.

One step per section of the seed's card, then the claim, then a review. The order is the
seed's: what the partner provides comes before what we claim about it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .forms import (
    CapabilityForm,
    ClaimForm,
    EvidenceForm,
    ExitForm,
    IncentivesForm,
    IntegrationForm,
    ReviewForm,
    StepForm,
)
from .text import DraftInput, draft_input


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type[StepForm]
    intro: str


STEPS: list[Step] = [
    Step(
        "capability",
        "Capability",
        CapabilityForm,
        "Capability provided (and what uncertainty it reduces).",
    ),
    Step(
        "incentives",
        "Incentives & conflicts",
        IncentivesForm,
        "Incentives and conflict risks. Draft one Fit Card. Include one conflict risk and how "
        "you would observe it early.",
    ),
    Step(
        "integration",
        "Integration",
        IntegrationForm,
        "Integration surface area and single points of failure.",
    ),
    Step(
        "evidence",
        "Evidence",
        EvidenceForm,
        "Evidence artifacts (pilot results, references, SLA history). Ensure artifacts are "
        "comparable over time; trend evidence beats one-off wins.",
    ),
    Step("exit", "Exit path", ExitForm, "Exit path (time, cost, data portability)."),
    Step(
        "claim",
        "Claim",
        ClaimForm,
        "Write one Partnership Claim: We believe Partner P can reduce uncertainty about X "
        "because they provide capability C, under boundary B, with evidence E. Add an explicit "
        "deferral trigger and one observable unwind trigger.",
    ),
    Step("review", "Review & finish", ReviewForm, "Check the card and finish it."),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}
STEP_SLUGS = [step.slug for step in STEPS]
FIRST_STEP = STEPS[0].slug


def step_input(step: Step, partnership, data) -> DraftInput:
    """The fields a step owns, taken from ``data`` as a draft may keep them (nothing else
    in ``data`` reaches the draft)."""
    return draft_input(step.form_class(partnership=partnership), data)


def neighbours(slug: str) -> tuple[str | None, str | None]:
    """The steps before and after ``slug`` (``None`` at either end)."""
    index = STEP_SLUGS.index(slug)
    previous = STEP_SLUGS[index - 1] if index > 0 else None
    following = STEP_SLUGS[index + 1] if index + 1 < len(STEP_SLUGS) else None
    return previous, following
