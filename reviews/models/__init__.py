"""Health reviews: our side (``reviews``) and the partner's side with disagreements (``partner``).

Everything other apps, demo data and tests import stays importable from ``reviews.models``.
"""

from .partner import PartnerReview, PartnerReviewer, ReviewDisagreement
from .reviews import (
    HEALTH_SCORE,
    CalendarFeed,
    DeferralEnforcement,
    Health,
    HealthReview,
    PhaseTimeBoxFlag,
    ReviewCycle,
)

__all__ = [
    "HEALTH_SCORE",
    "CalendarFeed",
    "DeferralEnforcement",
    "Health",
    "HealthReview",
    "PartnerReview",
    "PartnerReviewer",
    "PhaseTimeBoxFlag",
    "ReviewCycle",
    "ReviewDisagreement",
]
