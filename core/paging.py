"""A paginator that counts with a cheaper query than the one it pages.

A list page orders its rows through a join (partnerships by their partner's name, over the
partner's ``(organization, name)`` index) and Django's paginator counts that same query, join
included: at ten thousand rows the count cost more than the page. When a plainer queryset is
known to select exactly the same rows (``count_from``), the paginator counts that instead.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count_from: QuerySet, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_from = count_from

    @cached_property
    def count(self) -> int:
        """The number of rows, from ``count_from`` (the same rows, without the join)."""
        return self.count_from.order_by().count()
