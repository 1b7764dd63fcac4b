"""The partner list's trust column: sorted and filtered by trust in the list's own query.

``partner_list_column`` is what ``partnerships.extensions.PARTNER_LIST_COLUMNS`` names: the
partner list (which cannot import this app) asks it for a ``ListColumn``. ``trust_column`` adds
the trust annotations to the list's queryset (``partnerships.selectors.partner_list``, with its
prefetches), the trust sorts and the "flagged for a look" filter, all in SQL; ``attach_trust``
then puts each row's explained signal on the page's partners without another query. The
column costs one query per page, the organization's threshold, whatever the list's length.
The templates are ``programs/partials/trust_column.html`` (heading, cell, filter).
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from partnerships.extensions import ListColumn

from .selectors import settings_for
from .trust import TRUST_SORTS, annotate_trust, trust_below_q, trust_signal

BELOW = "below"  # ?trust=below: only the partners flagged for a look
TEMPLATE = "programs/partials/trust_column.html"


def trust_column(
    partners: QuerySet,
    *,
    organization,
    today: datetime.date,
    sort: str | None = None,
    below: bool = False,
    threshold: int | None = None,
) -> QuerySet:
    """``partners`` with trust annotated; sorted by it for ``sort`` "trust"/"-trust" (any other
    sort is left as the list ordered it) and filtered to partners below the organization's
    threshold when ``below``. Adds no query: the annotations are subqueries of the list's own.
    """
    partners = annotate_trust(partners, organization=organization, today=today)
    if below:
        if threshold is None:
            threshold = settings_for(organization).trust_threshold
        partners = partners.filter(trust_below_q(threshold))
    if sort in TRUST_SORTS:
        partners = partners.order_by(*TRUST_SORTS[sort][1])
    return partners


def attach_trust(
    partners, *, organization, today: datetime.date, threshold: int | None = None
) -> None:
    """Set ``partner.trust`` (a ``TrustSignal``) on each annotated partner of a page."""
    if threshold is None:
        threshold = settings_for(organization).trust_threshold
    for partner in partners:
        partner.trust = trust_signal(partner, threshold=threshold, today=today)


def partner_list_column(request, *, today: datetime.date) -> ListColumn:
    """The trust column of ``request``'s partner list, its two sorts and its filter.

    Why on the list and not only on the trust page: the partners who need a look should be
    found where managers already work, next to their partnerships and flags.
    """
    organization = request.organization
    threshold = settings_for(organization).trust_threshold
    below = request.GET.get("trust") == BELOW
    sort = request.GET.get("sort") or ""
    return ListColumn(
        name="trust",
        apply=lambda partners, sort: trust_column(
            partners,
            organization=organization,
            today=today,
            sort=sort,
            below=below,
            threshold=threshold,
        ),
        attach=lambda rows: attach_trust(
            rows, organization=organization, today=today, threshold=threshold
        ),
        heading_template=f"{TEMPLATE}#heading",
        cell_template=f"{TEMPLATE}#cell",
        filter_template=f"{TEMPLATE}#filter",
        sorts={key: label for key, (label, _order) in TRUST_SORTS.items()},
        filtering=below,
        context={
            "threshold": threshold,
            "below": below,
            "sort": sort if sort in TRUST_SORTS else "",
            # The heading's link: highest first, then lowest first, then back.
            "next_sort": "trust" if sort == "-trust" else "-trust",
        },
    )
