"""Paging for logs of a million entries.

Two costs dominate a deep or filtered page of a large log, and both are avoided here:

- counting the matches: the count is shown only when it is free or cheap (the unfiltered
  organization log: sequences are gap-free, so the last sequence *is* the number of entries;
  one partnership's unfiltered log: a count over its index). Filtered pages fetch one row more
  than they show to know whether there is a next page;
- skipping rows with OFFSET: the offset runs over the entries' ``sequence`` only (an index-only
  scan on the ordering index), then the page's 25 rows are fetched by sequence. Sequences are
  unique per organization and every log query is scoped to one organization.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

PAGE_SIZE = 25


@dataclass
class LogPage:
    number: int
    per_page: int
    object_list: list = field(default_factory=list)
    has_next: bool = False
    total: int | None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        if self.total is None:
            return None
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


# No log is this long (a billion entries at 25 a page); beyond it a page number is noise, and an
# OFFSET computed from it must stay far inside PostgreSQL's bigint.
MAX_PAGE = 40_000_000


def page_number(value) -> int:
    """The page asked for in the query string: 1 for anything that is not a positive number,
    and never past MAX_PAGE (``?page=922337203685477581`` must not overflow the OFFSET)."""
    try:
        number = int(str(value).strip()) if value is not None else 1
    except (TypeError, ValueError):
        return 1
    return min(max(1, number), MAX_PAGE)


def log_page(qs, number, *, per_page: int, total: int | None = None) -> LogPage:
    """One page of ``qs`` (ordered, scoped to one organization) in two queries."""
    number = page_number(number)
    if total is not None:
        number = min(number, max(1, math.ceil(total / per_page)))
    offset = (number - 1) * per_page
    keys = list(qs.values_list("sequence", flat=True)[offset : offset + per_page + 1])
    has_next = len(keys) > per_page
    keys = keys[:per_page]
    rows = list(qs.filter(sequence__in=keys)) if keys else []
    return LogPage(
        number=number, per_page=per_page, object_list=rows, has_next=has_next, total=total
    )
