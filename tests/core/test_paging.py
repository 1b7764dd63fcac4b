"""List pages ordered through a join count their rows without it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.paging import CountedPaginator
from partnerships.models import Partnership
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def _count_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize("name", ["charters:list", "fitcards:index"])
def test_a_list_ordered_by_partner_name_counts_without_joining_partners(
    viewer_client, org, owner, name
):
    for _ in range(3):
        PartnershipFactory(organization=org, owner=owner)
    counts = [sql for sql in _count_queries(viewer_client, reverse(name)) if "partnership" in sql]
    assert counts, "the page counts its partnerships"
    assert all("JOIN" not in sql.upper() for sql in counts), counts


def test_the_counted_paginator_pages_its_rows_and_counts_the_other_queryset(org, owner):
    for _ in range(5):
        PartnershipFactory(organization=org, owner=owner)
    rows = Partnership.objects.filter(organization=org).order_by("partner__name", "pk")
    paginator = CountedPaginator(rows, 2, count_from=Partnership.objects.filter(organization=org))
    assert paginator.count == 5 and paginator.num_pages == 3
    assert list(paginator.page(3)) == list(rows)[4:]
