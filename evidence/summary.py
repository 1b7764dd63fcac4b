"""The partnership's evidence summary (trend chart, sufficiency), cached."""

from __future__ import annotations

from django.core.cache import cache
from django.utils.safestring import mark_safe

from core.clock import org_today

from .charts import trend_svg
from .models import EvidenceEntry
from .selectors import trend_points
from .sufficiency import sufficiency_missing


def partnership_summary(partnership) -> dict:
    """Trend chart and sufficiency, cached until the partnership's log grows.

    Entries are never edited or deleted, so the number of entries (a cheap index count)
    changes exactly when either result can change; the date, the dependency and the review
    weekday are in the key too.
    """
    count = EvidenceEntry.objects.filter(partnership=partnership).count()
    organization = partnership.organization
    key = (
        f"evidence-summary:{partnership.uuid}:{count}:{org_today(organization).isoformat()}:"
        f"{partnership.dependency}:{organization.review_weekday}"
    )
    summary = cache.get(key)
    if summary is None:
        summary = {
            "chart": str(trend_svg(trend_points(partnership))),
            "missing": sufficiency_missing(partnership=partnership),
        }
        cache.set(key, summary, 6 * 3600)
    return {"chart": mark_safe(summary["chart"]), "missing": summary["missing"]}  # noqa: S308
