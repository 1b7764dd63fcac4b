"""The fit cards index costs the same number of queries at 5 and at 50 cards (issue 12.5).

Nothing is switched off: the panel registries stay as the apps register them, and every
partnership has a finished card, half of them a draft too, so each badge the page can show
is shown.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from fitcards.models import FitCard, FitCardDraft
from tests.factories import PartnershipFactory

# The session, the user, the current membership with its organization, the page's count,
# the layout's organization switcher (the user's memberships), and the page's rows
# (partnerships with their partner, card and draft joined).
INDEX_QUERIES = 6


def _cards(org, owner, count: int) -> None:
    for i in range(count):
        partnership = PartnershipFactory(organization=org, owner=owner)
        FitCard.objects.create(
            organization=org,
            partnership=partnership,
            capability_provided=f"Capability {i}",
            revision_count=1 + i % 3,
            finished_at=timezone.now(),
            finished_by=owner,
        )
        if i % 2:
            FitCardDraft.objects.create(
                organization=org, partnership=partnership, data={}, updated_by=owner
            )


@pytest.mark.parametrize("count", [5, 50])
def test_index_query_count_is_pinned_at_5_and_50_cards(
    count, manager_client, org, owner, django_assert_num_queries
):
    _cards(org, owner, count)
    url = reverse("fitcards:index")
    manager_client.get(url)  # warm the session and any one-time lookups
    with django_assert_num_queries(INDEX_QUERIES):
        response = manager_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("badge-ok") == min(count, 25)
    assert "badge-info" in body  # drafts are shown
    with django_assert_num_queries(INDEX_QUERIES):
        assert manager_client.get(url + "?page=2").status_code == 200
