"""Exact query count of the reviews list, at 5 and at 50 rows.

Nothing is switched off: every dashboard and partnership panel stays registered, and the rows
are this organization's own reviews. A change in either number is a change in the
page's cost and must be made on purpose.
"""

import datetime

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import HealthReview
from tests.factories import UserFactory

MONDAY = datetime.date(2026, 3, 2)

# Session, user, membership (middleware); the paginator's count; the open-review counts; the
# navigation's memberships (context processor); the page of reviews with their partnership,
# partner, owner, cycle and submitter joined in.
REVIEWS_LIST_QUERIES = 7


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.django_db
def test_reviews_list_query_count_is_pinned(
    rows, org, owner, owner_client, make_partnership, django_assert_num_queries
):
    for i in range(rows):
        owner_i = UserFactory()
        org.memberships.create(user=owner_i, role="manager")
        make_partnership(owner=owner_i if i % 2 else owner)
    services.cycle_start(organization=org, starts_on=MONDAY)
    assert HealthReview.objects.filter(organization=org).count() == rows
    url = reverse("reviews:list") + "?state=all"
    owner_client.get(url)  # warm the session and caches as a person's second page would be
    with django_assert_num_queries(REVIEWS_LIST_QUERIES):
        response = owner_client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"review-state-") == min(rows, 25)
