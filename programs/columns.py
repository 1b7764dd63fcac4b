"""The partner list's trust column: what the partnerships list calls to sort and filter by trust.

``trust_column`` takes the partner list's queryset (``partnerships.selectors.partner_list``,
with its prefetches) and adds the trust annotations, the trust sorts and the "flagged for a
look" filter, all in SQL; ``attach_trust`` then puts each row's explained signal on the page's
partners without another query. The cell is ``programs/partials/trust_cell.html``.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from .selectors import settings_for
from .trust import TRUST_SORTS, annotate_trust, trust_below_q, trust_signal


def trust_column(
    partners: QuerySet,
    *,
    organization,
    today: datetime.date,
    sort: str | None = None,
    below: bool = False,
) -> QuerySet:
    """``partners`` with trust annotated; sorted by it for ``sort`` "trust"/"-trust" (any other
    sort is left as the list ordered it) and filtered to partners below the organization's
    threshold when ``below``. Adds no query: the annotations are subqueries of the list's own.
    """
    partners = annotate_trust(partners, organization=organization, today=today)
    if below:
        partners = partners.filter(trust_below_q(settings_for(organization).trust_threshold))
    if sort in TRUST_SORTS:
        partners = partners.order_by(*TRUST_SORTS[sort][1])
    return partners


def attach_trust(partners, *, organization, today: datetime.date) -> None:
    """Set ``partner.trust`` (a ``TrustSignal``) on each annotated partner of a page."""
    threshold = settings_for(organization).trust_threshold
    for partner in partners:
        partner.trust = trust_signal(partner, threshold=threshold, today=today)
