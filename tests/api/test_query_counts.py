"""Every list costs the same number of queries with 5 rows as with 50 (SPEC §8).

The count is pinned per endpoint: two for the token (look it up with its maker's role, note
its last use), then the list's own queries (the rows, and one per prefetched relation).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charters.models import AuditEvent, Charter, SignatureRequest
from evidence.models import Decision, EvidenceEntry
from fitcards.models import FitCard, FitCardRevision
from partnerships.models import Partnership
from partnerships.services import event_record
from reviews.models import HealthReview, ReviewCycle
from tests.evidence.factories import log_evidence
from tests.factories import (
    ContactFactory,
    MembershipFactory,
    PartnerFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


def _partnership(world) -> Partnership:
    return Partnership.objects.get(uuid=world["partnership"])


def add_partners(world, org, people, n):
    for _ in range(n):
        partner = PartnerFactory(organization=org)
        ContactFactory(partner=partner)
        PartnershipFactory(organization=org, partner=partner, owner=people["manager"])


def add_contacts(world, org, people, n):
    partner = _partnership(world).partner
    for _ in range(n):
        ContactFactory(partner=partner)


def add_partnerships(world, org, people, n):
    for _ in range(n):
        PartnershipFactory(
            organization=org,
            owner=people["manager"],
            approver=people["owner"],
            unwind_authorizer=people["owner"],
        )


def add_history(world, org, people, n):
    partnership = _partnership(world)
    for i in range(n):
        event_record(
            partnership=partnership, kind="note", summary=f"Note {i}", actor=people["owner"]
        )


def add_revisions(world, org, people, n):
    card = FitCard.objects.get(partnership=_partnership(world))
    start = card.revisions.count()
    for i in range(n):
        FitCardRevision.objects.create(
            organization=org,
            fit_card=card,
            number=start + i + 1,
            data={},
            created_by=people["owner"],
        )


def add_evidence(world, org, people, n):
    partnership = PartnershipFactory(organization=org, owner=people["manager"])
    for i in range(n):
        log_evidence(partnership, user=people["manager"], days_ago=i % 9, approver=people["owner"])


def add_decisions(world, org, people, n):
    partnership = _partnership(world)
    entry = EvidenceEntry.objects.get(uuid=world["entry"])
    for _ in range(n):
        decision = Decision.objects.create(
            organization=org,
            partnership=partnership,
            kind="renegotiate",
            rationale="Terms.",
            decided_by=people["manager"],
            approver=people["owner"],
        )
        decision.evidence.set([entry])


def add_charters(world, org, people, n):
    for _ in range(n):
        partnership = PartnershipFactory(organization=org, owner=people["manager"])
        Charter.objects.create(organization=org, partnership=partnership)


def add_audit_events(world, org, people, n):
    request = SignatureRequest.objects.get(uuid=world["request"])
    signer = request.signers.first()
    for _ in range(n):
        AuditEvent.objects.create(
            organization=org,
            request=request,
            signer=signer,
            actor=people["manager"],
            kind="opened",
            document_sha256=request.version.document_sha256,
        )


def add_reviews(world, org, people, n):
    cycle = ReviewCycle.objects.get(organization=org)
    for _ in range(n):
        partnership = PartnershipFactory(organization=org, owner=people["manager"], phase="walk")
        HealthReview.objects.create(
            organization=org,
            partnership=partnership,
            cycle=cycle,
            phase="walk",
            due_on=cycle.due_on,
            submitted_by=people["owner"],
        )


def add_members(world, org, people, n):
    for _ in range(n):
        MembershipFactory(organization=org)


P = "/partnerships/{partnership}"
# path, how to add rows, queries (token: 2; the rows; one per prefetch)
LISTS = [
    ("/partners", add_partners, 5),  # partners, their contacts, their partnerships
    ("/partners/{partner}/contacts", add_contacts, 4),  # the partner, its contacts
    ("/partnerships", add_partnerships, 3),
    (P + "/history", add_history, 4),  # the partnership, the events
    (P + "/fit-card/revisions", add_revisions, 5),  # partnership, card, revisions
    ("/evidence", add_evidence, 3),
    ("/decisions", add_decisions, 4),  # decisions, their evidence
    ("/charters", add_charters, 3),
    ("/signature-requests/{request}/audit-trail", add_audit_events, 4),
    ("/reviews", add_reviews, 3),
    ("/members", add_members, 3),
]


@pytest.mark.parametrize(("path", "add", "queries"), LISTS, ids=[p for p, _a, _q in LISTS])
def test_a_list_costs_the_same_queries_for_5_and_50_rows(
    path, add, queries, world, reader, org, owner, manager, django_assert_num_queries
):
    people = {"owner": owner, "manager": manager}
    url = path.format(**{k: str(v) for k, v in world.items()})
    add(world, org, people, 5)
    with django_assert_num_queries(queries):
        small = reader.get(url, {"limit": 100})
    add(world, org, people, 45)
    with django_assert_num_queries(queries):
        large = reader.get(url, {"limit": 100})
    assert small.status_code == large.status_code == 200
    assert len(large.json()["items"]) >= len(small.json()["items"]) + 45


def test_a_page_of_the_log_is_cheap_however_long_the_log(world, reader, org, manager):
    """Keyset pages: a deep page costs what the first one costs."""
    add_evidence(world, org, {"manager": manager, "owner": manager}, 30)
    first = reader.get("/evidence", {"limit": 5}).json()
    cursor = first["next_cursor"]
    with CaptureQueriesContext(connection) as deep:
        for _ in range(4):
            body = reader.get("/evidence", {"limit": 5, "cursor": cursor}).json()
            cursor = body["next_cursor"]
    assert len(deep.captured_queries) == 4 * 3
