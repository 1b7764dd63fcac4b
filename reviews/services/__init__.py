"""Writes for health reviews, by stage of the weekly cycle.

- ``cycles``: which organizations are due, starting a cycle, the owners' digests
- ``submissions``: answering a review
- ``partner``: the partner's side: health-review contacts, partner reviews, the partner's e-mail
- ``reminders``: overdue marks, reminders and escalations
- ``rules``: deferral by default (rule 5), phase time boxes (rule 6), ghosting (rule 7)
- ``feeds``: the personal calendar feed's secret URL

Code inside this app imports from the stage modules. This package re-exports only the names
that other apps, demo data and tests import from ``reviews.services``.
"""

from .cycles import _cycle_get_or_create, cycle_start, cycles_due
from .partner import (
    is_partner_reviewer,
    partner_review_submit,
    partner_reviewer_set,
    partner_reviews_open,
)
from .reminders import reminders_send
from .rules import REVIEWED_STATUSES, deferrals_apply, reviewed_phases, timeboxes_flag
from .submissions import review_submit

__all__ = [
    "cycles_due",
    "REVIEWED_STATUSES",
    "_cycle_get_or_create",
    "cycle_start",
    "deferrals_apply",
    "is_partner_reviewer",
    "partner_review_submit",
    "partner_reviewer_set",
    "partner_reviews_open",
    "reminders_send",
    "review_submit",
    "reviewed_phases",
    "timeboxes_flag",
]
