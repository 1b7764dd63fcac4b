"""Helpers to log evidence in tests through the real service (the chain must stay valid)."""

import datetime
import itertools

from core.clock import org_today
from evidence.services import evidence_record

_counter = itertools.count(1)


def log_evidence(
    partnership, *, user=None, quality="pilot", days_ago=0, boundary="intact", **extra
):
    return evidence_record(
        partnership=partnership,
        claim=extra.pop("claim", "Dispute desk resolves EU chargebacks within 5 days"),
        artifact=extra.pop(
            "artifact",
            f"Pilot report {next(_counter)}: 18 of 20 merchants resolved disputes in time",
        ),
        quality=quality,
        observed_on=org_today(partnership.organization) - datetime.timedelta(days=days_ago),
        boundary_status=boundary,
        recorded_by=user or partnership.owner,
        **extra,
    )
