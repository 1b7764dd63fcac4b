"""The evidence log pages cost the same number of queries at 5 and at 50 of everything they
show: this partnership's entries, corrections, decisions (with the evidence each rests on), a
signed checkpoint on the badge, the owner's approval-rule form."""

import pytest
from django.urls import reverse

from evidence.checkpoints import write_checkpoint
from evidence.models import Decision
from tests.factories import PartnershipFactory

from .factories import log_evidence

pytestmark = pytest.mark.django_db

# Exact counts, the same at 5 and at 50 (a change here is a change to the page's cost).
ORG_LOG_QUERIES = {"viewer": 12, "owner": 13}
PARTNERSHIP_LOG_QUERIES = {"viewer": 13, "owner": 13}  # + partner entries awaiting acceptance


def _fill(partnership, count: int, manager) -> None:
    """``count`` entries, corrections and decisions on this partnership, and a second
    partnership in the log too."""
    entries = [
        log_evidence(partnership, days_ago=i % 30, artifact=f"Artifact {i}", approver=manager)
        for i in range(count)
    ]
    for original in entries[: max(1, count // 5)]:
        log_evidence(
            partnership,
            supersedes=original,
            correction_reason="The first figure counted test traffic.",
            artifact=f"Corrected {original.sequence}",
        )
    for i in range(count):
        decision = Decision.objects.create(
            organization=partnership.organization,
            partnership=partnership,
            kind="defer" if i % 2 else "renegotiate",
            rationale=f"Decision {i}",
            decided_by=manager,
            approver=manager if i % 3 == 0 else None,
        )
        decision.evidence.set(entries[i : i + 3])
    other = PartnershipFactory(organization=partnership.organization, owner=partnership.owner)
    for i in range(count):
        log_evidence(other, days_ago=i % 30, artifact=f"Other {i}")
    write_checkpoint(partnership.organization)


@pytest.fixture
def clients(owner_client, viewer_client):
    return {"owner": owner_client, "viewer": viewer_client}


@pytest.mark.parametrize("role", ["viewer", "owner"])
@pytest.mark.parametrize("count", [5, 50])
def test_the_organizations_log_has_a_fixed_query_count(
    org, owner, manager, clients, seal_keyring, role, count, django_assert_num_queries
):
    partnership = PartnershipFactory(organization=org, owner=owner, status="active")
    _fill(partnership, count, manager)
    client = clients[role]
    url = reverse("evidence:log")
    client.get(url)  # warm the session and caches
    with django_assert_num_queries(ORG_LOG_QUERIES[role]):
        response = client.get(url)
    assert b"matches the checkpoint" in response.content
    assert b"corrects #" in response.content


@pytest.mark.parametrize("role", ["viewer", "owner"])
@pytest.mark.parametrize("count", [5, 50])
def test_a_partnerships_log_has_a_fixed_query_count(
    org, owner, manager, clients, seal_keyring, role, count, django_assert_num_queries
):
    partnership = PartnershipFactory(organization=org, owner=owner, status="active")
    _fill(partnership, count, manager)
    client = clients[role]
    url = reverse("evidence:partnership_log", kwargs={"uuid": partnership.uuid})
    client.get(url)
    with django_assert_num_queries(PARTNERSHIP_LOG_QUERIES[role]):
        response = client.get(url)
    content = response.content.decode()
    assert "Decision trail" in content and content.count('class="badge decision-') >= 5
    assert "corrects #" in content
