"""One loader per app, each reading its part of ``demo/data`` and calling that app's services.

``seed`` runs them in the order the apps depend on each other: people and organizations
first, then partnerships, whose fit cards, evidence, charters and reviews come after, and
the partner rooms last (the partner answers reviews and confirms decisions that exist).
"""

from __future__ import annotations

from collections.abc import Callable

from . import (
    accounts,
    charters,
    evidence,
    fitcards,
    partnerroom,
    partnerships,
    programs,
    reviews,
)

# (name, load(orgs, users)) after accounts, in dependency order.
LOADERS: list[tuple[str, Callable]] = [
    ("partnerships", partnerships.load),
    ("fitcards", fitcards.load),
    ("evidence", evidence.load),
    ("charters", charters.load),
    ("reviews", reviews.load),
    # After reviews: the partner answers cycles that exist, and confirms decisions.
    ("partnerroom", partnerroom.load),
    ("programs", programs.load),
]


def seed(report: Callable[[str], None] = lambda _line: None):
    """Load every part of the demo; safe to run twice. Returns (orgs, users)."""
    orgs, users = accounts.load()
    report("  demo data: accounts")
    for name, load in LOADERS:
        load(orgs, users)
        report(f"  demo data: {name}")
    return orgs, users
