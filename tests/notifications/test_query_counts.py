"""Exact query count of the operations page, at 5 and at 50 rows (sensitive ones among them).

Nothing is switched off: every panel stays registered. A change in the number is a change in
the page's cost and must be made on purpose.
"""

import pytest
from django.urls import reverse

from notifications.models import OutboundEmail

# Session, user, membership (middleware); the paginator's count; the navigation's memberships
# (context processor); the page of e-mails.
OPERATIONS_PAGE_QUERIES = 6


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.django_db
def test_operations_page_query_count_is_pinned(
    rows, org, owner, owner_client, django_assert_num_queries
):
    OutboundEmail.objects.bulk_create(
        OutboundEmail(
            organization=org,
            key=f"count:{i}",
            to=f"p{i}@northwind.test",
            subject=f"Digest {i}",
            body_text="Hello",
            sensitive=bool(i % 2),
        )
        for i in range(rows)
    )
    url = reverse("notifications:outbox")
    owner_client.get(url)
    with django_assert_num_queries(OPERATIONS_PAGE_QUERIES):
        response = owner_client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"Retry</button>") == rows
