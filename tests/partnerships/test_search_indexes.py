"""The partner list's search is served by trigram indexes on PostgreSQL: the index expression
must be the one Django writes for ``icontains``, or the planner can never use it."""

import pytest
from django.conf import settings
from django.db import connection

from partnerships.models import Partner, Partnership
from tests.factories import PartnerFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="trigram indexes are PostgreSQL's"),
]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Only a bitmap scan is left, and only an index that matches the condition gives one
        # (a plain index scan of the primary key, filtering every row, is not the point).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Partner.objects.filter(name__icontains="harb"), "partnerships_partner_name_trgm"),
        (
            lambda: Partner.objects.filter(category__icontains="pay"),
            "partnerships_partner_category_trgm",
        ),
        (
            lambda: Partnership.objects.filter(name__icontains="dispute"),
            "partnerships_partnership_name_trgm",
        ),
    ],
)
def test_a_search_in_the_middle_of_a_name_can_use_its_trigram_index(org, queryset, index):
    PartnerFactory(organization=org, name="PayHarbor", category="Payments")
    assert index in _plan(queryset())
