"""Cursor pagination over each list's own ordering, stable under inserts.

A list is ordered by a few columns ending in a unique one (``-observed_on, -sequence``;
``name, id``). A page is the first ``limit`` rows after the last row of the previous page,
found by comparing those columns (keyset pagination), never by counting rows: a row inserted
while a client pages cannot shift the pages, so nothing is skipped or shown twice, and a deep
page costs what the first page costs.

The cursor is the previous page's last row's values, signed (``django.core.signing``) so it
is opaque to clients and a hand-made one is refused instead of reaching the database. It is
bound to the ordering it was made for.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core import signing
from django.db.models import Q, QuerySet

SALT = "accord.api.cursor"
DEFAULT_LIMIT = 25
MAX_LIMIT = 100


class InvalidCursor(ValueError):
    """The cursor was not made by this API for this ordering."""


@dataclass(frozen=True)
class Ordering:
    """A public ordering name and the ORM columns behind it (the last one unique)."""

    name: str
    columns: tuple[str, ...]


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def _value_of(row, column: str):
    value = row
    for part in column.lstrip("-").split("__"):
        value = getattr(value, "pk" if part == "id" else part)
    return value


def encode_cursor(ordering: Ordering, row) -> str:
    values = [_plain(_value_of(row, column)) for column in ordering.columns]
    return signing.dumps({"o": ordering.name, "v": values}, salt=SALT, compress=True)


def decode_cursor(ordering: Ordering, cursor: str) -> list:
    try:
        data = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidCursor("Use the next_cursor of the previous page unchanged.") from None
    if (
        not isinstance(data, dict)
        or data.get("o") != ordering.name
        or len(data.get("v") or []) != len(ordering.columns)
    ):
        raise InvalidCursor("This cursor was made for another ordering.")
    return data["v"]


def _after(ordering: Ordering, values: list) -> Q:
    """Rows strictly after ``values`` in the ordering: (a > x) or (a = x and b > y) or …"""
    condition = Q(pk__in=[])
    equal = Q()
    for column, value in zip(ordering.columns, values, strict=True):
        name = column.lstrip("-")
        lookup = "lt" if column.startswith("-") else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    return condition


@dataclass
class Page:
    items: list
    next_cursor: str | None


def paginate(qs: QuerySet, *, ordering: Ordering, cursor: str | None, limit: int) -> Page:
    """One page of ``qs`` in ``ordering``, in one query (plus the queryset's prefetches)."""
    limit = max(1, min(int(limit or DEFAULT_LIMIT), MAX_LIMIT))
    qs = qs.order_by(*ordering.columns)
    if cursor:
        qs = qs.filter(_after(ordering, decode_cursor(ordering, cursor)))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=encode_cursor(ordering, rows[-1]) if more else None)


def pick(orderings: dict[str, Ordering], name: str | None, default: str) -> Ordering:
    return orderings.get(name or default) or orderings[default]
