"""The partnership's timeline: the one place that writes its entries.

Every app that changes a partnership (phase and status changes, decision flows, fit cards,
evidence decisions, charters, health reviews) appends here, so the timeline says who changed
what, when and why, in one format. Entries are never edited.

Both the services (phase and status changes) and the decision flows write entries, and the
flows call the services, so the writing lives in this module of its own that imports neither.
"""

from __future__ import annotations

from accounts.fresh_sign_in import record_fields

from .models import FlowRun, Partnership, PartnershipEvent
from .trees import FLOWS, choice_label


def event_record(
    *,
    partnership: Partnership,
    kind: str,
    summary: str,
    actor=None,
    detail: str = "",
    from_value: str = "",
    to_value: str = "",
    by_system: bool = False,
    url: str = "",
) -> PartnershipEvent:
    """Append one entry to the partnership's timeline (the summary is cut to its column); an
    entry written by a commitment view says whether it was confirmed with a fresh sign-in."""
    return PartnershipEvent.objects.create(
        organization_id=partnership.organization_id,
        partnership=partnership,
        kind=kind,
        summary=summary[:300],
        detail=detail,
        from_value=from_value,
        to_value=to_value,
        actor=actor,
        by_system=by_system,
        url=url,
        **record_fields(None if by_system else actor),
    )


def flow_event_record(
    *, run: FlowRun, partnership: Partnership, actor, missing: list[str] = ()
) -> PartnershipEvent:
    """Put a flow's outcome on the partnership's timeline: every answer, the recommendation,
    the choice and, when they differ, the reason, so the decision can be defended later;
    ``missing`` is what the phase gates said a go still needs."""
    flow = FLOWS[run.kind]
    summary = f"{flow.title}: {choice_label(flow, run.final_choice)}"
    lines = [f"{flow.nodes[key].text} {answer.capitalize()}" for key, answer in run.answers.items()]
    lines.append(f"Recommendation: {choice_label(flow, run.recommendation)}")
    lines.extend(f"Missing for a go: {reason}" for reason in missing)
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
