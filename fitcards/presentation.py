"""How a card reads: the claim's sentences, the exit path paragraph, the card's sections and
the comparison of two revisions.

The card page, the PDF, the live preview and the revision diff all lay a card out through
``card_sections``, so that all of them always show the same thing in the same words.
"""

from __future__ import annotations

import datetime

from core.diff import mark_words

from .card import ARTIFACT_KIND_LABELS


def _or_gap(value) -> str:
    """The user's text without a closing period (the sentence adds its own), or a visible gap."""
    if not isinstance(value, str) or not value.strip():
        return "…"
    return value.strip().rstrip(".")


def _date_text(value) -> str:
    try:
        return datetime.date.fromisoformat(value).strftime("%-d %B %Y") if value else "…"
    except (TypeError, ValueError):
        return "…"


def claim_sentences(card: dict, partner_name: str) -> dict[str, str]:
    """The claim, boundary line, deferral and unwind triggers, worded as the seed words them."""
    authorizer = card.get("unwind_authorizer_name") or "…"
    deferral = _or_gap(card.get("deferral_condition", "") or "evidence remains ambiguous")
    return {
        "claim": (
            f"We believe {partner_name} can reduce uncertainty about "
            f"{_or_gap(card.get('claim_uncertainty', ''))} because they provide capability "
            f"{_or_gap(card.get('claim_capability', ''))}, under boundary "
            f"{_or_gap(card.get('claim_boundary', ''))}, with evidence "
            f"{_or_gap(card.get('claim_evidence', ''))}."
        ),
        "boundary": (
            f"This partnership reduces uncertainty about "
            f"{_or_gap(card.get('claim_uncertainty', ''))}; it does not establish "
            f"{_or_gap(card.get('boundary_not_established', ''))}."
        ),
        "deferral": (
            f"If {deferral} by {_date_text(card.get('deferral_date'))}, "
            "we defer to preserve optionality."
        ),
        "unwind": (
            f"We unwind when: {_or_gap(card.get('unwind_condition', ''))}. "
            f"{authorizer} can authorize the unwind."
        ),
    }


EXIT_PATH_PARTS = [
    ("exit_time", "Time to exit"),
    ("exit_cost", "Cost to exit"),
    ("exit_data_portability", "Data portability"),
]


def exit_path_summary(card: dict) -> str:
    """One paragraph on the exit path, written into ``Partnership.exit_path``."""
    return " ".join(f"{label}: {_or_gap(card.get(key, ''))}." for key, label in EXIT_PATH_PARTS)


def _text(card: dict, key: str) -> str:
    value = card.get(key, "")
    return value if isinstance(value, str) else ""


def _list(card: dict, key: str) -> list[dict]:
    value = card.get(key)
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def card_sections(card: dict, partner_name: str) -> list[dict]:
    """The card laid out as titled sections of (label, text) rows."""
    sentences = claim_sentences(card, partner_name)
    risk_rows = [
        (
            f"Conflict risk {i}",
            f"{row.get('risk', '')}\nEarly signal: {row.get('early_signal', '')}",
        )
        for i, row in enumerate(_list(card, "conflict_risks"), start=1)
    ] or [("Conflict risks", "")]
    artifact_rows = [
        (
            f"Evidence artifact {i}",
            (f"[{ARTIFACT_KIND_LABELS.get(row.get('kind'), '')}] " if row.get("kind") else "")
            + f"{row.get('artifact', '')}\nLimit: {row.get('limit', '')}",
        )
        for i, row in enumerate(_list(card, "evidence_artifacts"), start=1)
    ] or [("Evidence artifacts", "")]
    return [
        {
            "slug": "capability",
            "title": "Capability provided",
            "rows": [
                ("Capability provided", _text(card, "capability_provided")),
                ("Uncertainty it reduces", _text(card, "uncertainty_reduced")),
            ],
        },
        {
            "slug": "incentives",
            "title": "Incentives and conflict risks",
            "rows": [("Incentives", _text(card, "incentives")), *risk_rows],
        },
        {
            "slug": "integration",
            "title": "Integration surface area and single points of failure",
            "rows": [
                ("Integration surface area", _text(card, "integration_surface")),
                ("Single points of failure", _text(card, "single_points_of_failure")),
            ],
        },
        {"slug": "evidence", "title": "Evidence artifacts", "rows": artifact_rows},
        {
            "slug": "exit",
            "title": "Exit path",
            "rows": [
                ("Time", _text(card, "exit_time")),
                ("Cost", _text(card, "exit_cost")),
                ("Data portability", _text(card, "exit_data_portability")),
            ],
        },
        {
            "slug": "claim",
            "title": "Partnership Claim",
            "rows": [
                ("Claim", sentences["claim"]),
                ("Boundary line", sentences["boundary"]),
                ("Deferral trigger", sentences["deferral"]),
                ("Unwind trigger", sentences["unwind"]),
            ],
        },
    ]


def compare_sections(old_sections: list[dict], new_sections: list[dict]) -> list[dict]:
    """Pair the rows of two section lists by title and label; mark what changed.

    Revisions are compared by what a reader sees (the sections), not by stored keys, so a
    change of wording in the claim shows where the claim is read.
    """
    old_by_title = {section["title"]: section for section in old_sections}
    new_by_title = {section["title"]: section for section in new_sections}
    titles = list(old_by_title) + [title for title in new_by_title if title not in old_by_title]
    result = []
    for title in titles:
        old_rows = dict(old_by_title.get(title, {}).get("rows", []))
        new_rows = dict(new_by_title.get(title, {}).get("rows", []))
        labels = list(old_rows) + [label for label in new_rows if label not in old_rows]
        rows = []
        for label in labels:
            old_text, new_text = old_rows.get(label, ""), new_rows.get(label, "")
            left, right = mark_words(old_text, new_text)
            rows.append(
                {"label": label, "left": left, "right": right, "changed": old_text != new_text}
            )
        result.append(
            {"title": title, "rows": rows, "changed": any(row["changed"] for row in rows)}
        )
    return result
