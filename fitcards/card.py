"""The shape of a fit card, and what is still missing from it.

Three representations of a card travel through the app:

* *raw* — a flat dict of form field names to the strings last typed (what a draft stores);
* *card* — the canonical dict a revision freezes (lists for risks and artifacts, ISO dates);
* *sections* — titled label/text rows (``presentation.card_sections``), the one layout used by
  the card page, the PDF and the revision diff.

This module converts between the first two and measures completeness on raw values, so that a
half-typed draft and a finished card are judged by the same items.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from accounts.models import Membership

CONFLICT_ROWS = 3
ARTIFACT_ROWS = 4

ARTIFACT_KINDS = [
    ("pilot", "Pilot results"),
    ("reference", "Reference"),
    ("sla", "SLA history"),
    ("postmortem", "Incident postmortems"),
    ("audit", "Audit / compliance report"),
    ("other", "Other"),
]
ARTIFACT_KIND_LABELS = dict(ARTIFACT_KINDS)

# The fit card's own fields (the claim lives on the partnership).
CARD_FIELDS = [
    "capability_provided",
    "uncertainty_reduced",
    "incentives",
    "conflict_risks",
    "integration_surface",
    "single_points_of_failure",
    "evidence_artifacts",
    "exit_time",
    "exit_cost",
    "exit_data_portability",
]

# The scalar values of a card, as a draft stores them.
SCALAR_KEYS = (
    "capability_provided",
    "uncertainty_reduced",
    "incentives",
    "integration_surface",
    "single_points_of_failure",
    "exit_time",
    "exit_cost",
    "exit_data_portability",
    "claim_uncertainty",
    "claim_capability",
    "claim_boundary",
    "claim_evidence",
    "boundary_not_established",
    "deferral_condition",
    "deferral_date",
    "unwind_condition",
    "unwind_authorizer",
)


def clean_str(value) -> str:
    """``value`` stripped, or empty when it is not a string (stored data is never trusted)."""
    return value.strip() if isinstance(value, str) else ""


def raw_from_card(card: dict) -> dict[str, str]:
    """Flatten a canonical card into the form field values a draft starts from."""
    raw = {key: clean_str(card.get(key)) for key in SCALAR_KEYS}
    for i, row in enumerate(_rows(card.get("conflict_risks"))[:CONFLICT_ROWS], start=1):
        raw[f"risk_{i}"] = clean_str(row.get("risk"))
        raw[f"signal_{i}"] = clean_str(row.get("early_signal"))
    for i, row in enumerate(_rows(card.get("evidence_artifacts"))[:ARTIFACT_ROWS], start=1):
        raw[f"kind_{i}"] = clean_str(row.get("kind"))
        raw[f"artifact_{i}"] = clean_str(row.get("artifact"))
        raw[f"limit_{i}"] = clean_str(row.get("limit"))
    return raw


def _rows(value) -> list[dict]:
    """The dict rows of a stored list (anything else is ignored, not a crash)."""
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def card_from_raw(raw: dict, *, authorizer_name: str = "") -> dict:
    """Build the canonical card from (already validated) raw values."""

    def get(key: str) -> str:
        return clean_str(raw.get(key))

    card: dict = {key: get(key) for key in SCALAR_KEYS}
    card["conflict_risks"] = [
        {"risk": get(f"risk_{i}"), "early_signal": get(f"signal_{i}")}
        for i in range(1, CONFLICT_ROWS + 1)
        if get(f"risk_{i}") or get(f"signal_{i}")
    ]
    card["evidence_artifacts"] = [
        {"kind": get(f"kind_{i}"), "artifact": get(f"artifact_{i}"), "limit": get(f"limit_{i}")}
        for i in range(1, ARTIFACT_ROWS + 1)
        if get(f"artifact_{i}") or get(f"limit_{i}")
    ]
    card["unwind_authorizer_name"] = authorizer_name
    return card


def card_from_current(partnership, fit_card=None) -> dict:
    """The canonical card as it stands: the finished fit card plus the partnership's claim."""
    card: dict = {}
    if fit_card is not None:
        for key in CARD_FIELDS:
            card[key] = getattr(fit_card, key)
    authorizer = partnership.unwind_authorizer
    card.update(
        claim_uncertainty=partnership.claim_uncertainty,
        claim_capability=partnership.claim_capability,
        claim_boundary=partnership.claim_boundary,
        claim_evidence=partnership.claim_evidence,
        boundary_not_established=partnership.boundary_not_established,
        deferral_condition=partnership.deferral_condition,
        deferral_date=partnership.deferral_date.isoformat() if partnership.deferral_date else "",
        unwind_condition=partnership.unwind_condition,
        unwind_authorizer=str(authorizer.uuid) if authorizer else "",
        unwind_authorizer_name=authorizer.display_name if authorizer else "",
    )
    return card


def raw_for_forms(raw: dict) -> dict:
    """Raw values as form data (the authorizer select wants its uuid string)."""
    return {key: value for key, value in raw.items() if isinstance(value, str)}


def membership_label(partnership, user_uuid: str) -> str:
    """Display name of a member chosen as unwind authorizer (empty if not a member)."""
    try:
        parsed = uuid.UUID(str(user_uuid))
    except ValueError:
        return ""
    membership = (
        Membership.objects.select_related("user")
        .filter(organization_id=partnership.organization_id, user__uuid=parsed)
        .first()
    )
    return membership.user.display_name if membership else ""


# --- completeness ------------------------------------------------------------------------


def _filled(key: str):
    return lambda raw: bool(clean_str(raw.get(key)))


def _pair_filled(first: str, second: str, rows: int):
    return lambda raw: any(
        clean_str(raw.get(f"{first}_{i}")) and clean_str(raw.get(f"{second}_{i}"))
        for i in range(1, rows + 1)
    )


# (label, step, test on raw values)
COMPLETENESS_ITEMS = [
    ("Capability provided", "capability", _filled("capability_provided")),
    ("Uncertainty it reduces", "capability", _filled("uncertainty_reduced")),
    ("Incentives", "incentives", _filled("incentives")),
    (
        "A conflict risk with its early signal",
        "incentives",
        _pair_filled("risk", "signal", CONFLICT_ROWS),
    ),
    ("Integration surface area", "integration", _filled("integration_surface")),
    ("Single points of failure", "integration", _filled("single_points_of_failure")),
    (
        "An evidence artifact with its limit",
        "evidence",
        _pair_filled("artifact", "limit", ARTIFACT_ROWS),
    ),
    ("Exit time", "exit", _filled("exit_time")),
    ("Exit cost", "exit", _filled("exit_cost")),
    ("Data portability", "exit", _filled("exit_data_portability")),
    ("Uncertainty X", "claim", _filled("claim_uncertainty")),
    ("Capability C", "claim", _filled("claim_capability")),
    ("Boundary B", "claim", _filled("claim_boundary")),
    ("Evidence E", "claim", _filled("claim_evidence")),
    ("What it does not establish (Y)", "claim", _filled("boundary_not_established")),
    ("Deferral date D", "claim", _filled("deferral_date")),
    ("Unwind trigger", "claim", _filled("unwind_condition")),
    ("Unwind authorizer", "claim", _filled("unwind_authorizer")),
]


@dataclass(frozen=True)
class Completeness:
    done: int
    total: int
    missing: list[tuple[str, str]]  # (label, step slug)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def completeness(raw: dict) -> Completeness:
    """What is filled in and what is still missing, item by item (not a guess from lengths)."""
    missing = [(label, step) for label, step, test in COMPLETENESS_ITEMS if not test(raw)]
    total = len(COMPLETENESS_ITEMS)
    return Completeness(done=total - len(missing), total=total, missing=missing)
