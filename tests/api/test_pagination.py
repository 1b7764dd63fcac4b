"""Cursor pagination: every row once, in the list's order, even when rows are added while a
client pages; cursors are bound to their ordering."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from partnerships.models import Partner
from tests.evidence.factories import log_evidence
from tests.factories import PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def _all_pages(reader, path, **params):
    seen, cursor, pages = [], None, 0
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = reader.get(path, query).json()
        seen += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


def test_pages_cover_every_row_once_in_order(reader, org):
    for n in range(23):
        PartnerFactory(organization=org, name=f"Partner {n:02d}")
    items, pages = _all_pages(reader, "/partners", limit=5)
    names = [p["name"] for p in items]
    assert names == sorted(names) and len(names) == 23 and pages == 5
    backwards, _ = _all_pages(reader, "/partners", limit=4, sort="-name")
    assert [p["name"] for p in backwards] == names[::-1]


def test_rows_added_while_paging_shift_no_page(reader, org, manager):
    partnership = PartnershipFactory(organization=org, owner=manager)
    for days in range(10):
        log_evidence(partnership, user=manager, days_ago=days)
    first = reader.get("/evidence", {"limit": 4}).json()
    # New evidence dated today sorts before everything already seen.
    for _ in range(3):
        log_evidence(partnership, user=manager, days_ago=0)
    rest, cursor = [], first["next_cursor"]
    while cursor:
        body = reader.get("/evidence", {"limit": 4, "cursor": cursor}).json()
        rest += body["items"]
        cursor = body["next_cursor"]
    seen = [e["id"] for e in first["items"] + rest]
    assert len(seen) == len(set(seen)) == 10  # the three new ones come on a fresh listing
    dates = [e["observed_on"] for e in first["items"] + rest]
    assert dates == sorted(dates, reverse=True)


def test_ties_are_broken_so_equal_values_are_not_lost(reader, org, manager):
    partnership = PartnershipFactory(organization=org, owner=manager)
    for _ in range(7):
        log_evidence(partnership, user=manager, days_ago=3)  # all on the same date
    items, _ = _all_pages(reader, "/evidence", limit=2)
    assert len({e["id"] for e in items}) == 7
    assert [e["sequence"] for e in items] == sorted((e["sequence"] for e in items), reverse=True)


def test_the_activity_sort_pages_through_an_annotation(reader, org):
    base = timezone.now() - datetime.timedelta(days=30)
    for n in range(6):
        partner = PartnerFactory(organization=org, name=f"P{n}")
        Partner.objects.filter(pk=partner.pk).update(updated_at=base + datetime.timedelta(days=n))
    items, pages = _all_pages(reader, "/partners", limit=2, sort="-activity")
    assert [p["name"] for p in items] == ["P5", "P4", "P3", "P2", "P1", "P0"] and pages == 3


def test_a_cursor_is_bound_to_its_ordering(reader, org):
    for n in range(4):
        PartnerFactory(organization=org, name=f"Partner {n}")
    cursor = reader.get("/partners", {"limit": 2}).json()["next_cursor"]
    response = reader.get("/partners", {"limit": 2, "sort": "-name", "cursor": cursor})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_a_tampered_cursor_is_refused(reader, org):
    for n in range(4):
        PartnerFactory(organization=org, name=f"Partner {n}")
    cursor = reader.get("/partners", {"limit": 2}).json()["next_cursor"]
    response = reader.get("/partners", {"limit": 2, "cursor": cursor[:-3] + "abc"})
    assert response.status_code == 422
