"""The exact number of queries of the real pages: the dashboard, the partner list, a partner
and a partnership, with every other app's panel and gate on, at 5 and at 50 of everything each
page shows (partnerships and their flags, deadlines and launch items across the organization;
this partnership's evidence, decisions, reviews, charter versions and timeline events).

The counts are pinned, not only compared: a panel that starts querying per row, or a page
that loses its prefetch, changes the number here. Every page is measured cold (the evidence
summary is cached), as the first visitor after a change sees it.
"""

import datetime
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charters.models import Charter, CharterVersion, SignatureRequest
from core.clock import org_today
from evidence.models import Decision
from fitcards.models import FitCardDraft
from partnerships.launch import launch_plan_create
from partnerships.models import PartnershipEvent
from reviews.models import HealthReview, ReviewCycle
from tests.evidence.factories import log_evidence
from tests.factories import PartnerFactory, PartnershipFactory, UserFactory

# Queries per page (the same at 5 and at 50 of everything).
EXPECTED = {
    "dashboard": 19,  # + open disagreements, + partner confirmations and evidence to accept
    # + the trust column's threshold (programs.columns); its trust is in the partners query
    "partner_list": 9,
    "partner_list_flagged": 9,
    "partner_list_searched": 9,
    "partner_list_page_2": 9,
    "partner_list_by_trust": 9,
    "partner_detail": 7,
    "partnership_detail": 26,  # + open disagreements, + the partner room panel (4)
}

SECTIONS = {
    "mutual_goals": "Twenty pilot merchants live.",
    "value_exchange": "Volume for a dispute desk.",
    "timeline": "Crawl until January.",
    "measurement": "Median resolution time.",
    "decision_cadence": "Weekly.",
    "escalation_path": "Owners, then VPs.",
    "breakage_ownership": "Each side owns its outages.",
}


@pytest.fixture(autouse=True)
def isolated_registries():
    """Overrides the package's fixture: every listed panel and gate stays on."""
    yield


class World:
    """One organization that grows: ``grow(n)`` adds n of everything the pages show."""

    def __init__(self, org, owner, manager, partnership, partner):
        self.org, self.owner, self.manager = org, owner, manager
        self.partnership, self.partner = partnership, partner
        self.today = org_today(org)
        self.charter = Charter.objects.create(organization=org, partnership=partnership)
        self.counter = itertools.count()

    def grow(self, n: int) -> None:
        for _ in range(n):
            self._one(next(self.counter))

    def _one(self, n: int) -> None:
        org, today = self.org, self.today
        other = PartnershipFactory(
            organization=org,
            partner=PartnerFactory(organization=org, name=f"Partner {n:03d}"),
            owner=self.manager if n % 2 else self.owner,
            approver=self.owner,
            unwind_authorizer=self.owner if n % 3 else None,
            tier=1 + n % 3,
            phase=["crawl", "walk", "run"][n % 3],
            leverage="co_marketing" if n % 4 == 0 else "economic",
            deferral_date=today + datetime.timedelta(days=n % 30),
            launched_on=today if n % 3 else None,
        )
        PartnershipFactory(  # the partner page lists every partnership of its partner
            organization=org, partner=self.partner, owner=self.manager, name=f"Also {n:03d}"
        )
        PartnershipEvent.objects.create(
            organization=org, partnership=other, kind="note", summary=f"Note {n}"
        )
        if n % 5 == 0:
            launch_plan_create(
                partnership=other, launch_on=today + datetime.timedelta(days=10), actor=self.owner
            )
        FitCardDraft.objects.create(
            organization=org, partnership=other, started_by=self.owner, updated_by=self.manager
        )
        # This partnership: evidence, decisions, reviews, charter versions, timeline events.
        p = self.partnership
        entry = log_evidence(p, user=self.manager if n % 2 else self.owner, days_ago=n % 20)
        decision = Decision.objects.create(
            organization=org,
            partnership=p,
            kind="commit",
            rationale=f"Decision {n}",
            decided_by=self.manager,
            approver=self.owner,
            state=Decision.State.PENDING,
        )
        decision.evidence.add(entry)
        starts = today - datetime.timedelta(weeks=n + 1)
        cycle = ReviewCycle.objects.create(
            organization=org,
            starts_on=starts,
            starts_at=timezone.now() - datetime.timedelta(weeks=n + 1),
            due_on=starts + datetime.timedelta(days=2),
            remind_on=starts + datetime.timedelta(days=3),
            escalate_on=starts + datetime.timedelta(days=5),
            ends_on=starts + datetime.timedelta(days=6),
        )
        HealthReview.objects.create(
            organization=org, partnership=p, cycle=cycle, phase=p.phase, due_on=cycle.due_on
        )
        version = CharterVersion.objects.create(
            organization=org,
            charter=self.charter,
            number=n + 1,
            title=f"Charter v{n + 1}",
            created_by=self.manager,
            frozen_at=timezone.now(),
            **SECTIONS,
        )
        SignatureRequest.objects.create(
            organization=org,
            version=version,
            sent_by=self.manager,
            expires_at=timezone.now() + datetime.timedelta(days=14),
        )
        PartnershipEvent.objects.create(
            organization=org,
            partnership=p,
            kind="note",
            summary=f"Event {n}",
            actor=UserFactory() if n % 10 == 0 else self.manager,
        )


@pytest.fixture
def world(org, owner, manager, approver, partnership, partner):
    return World(org, owner, manager, partnership, partner)


def _queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def _pages(world) -> dict[str, str]:
    partner_list = reverse("partnerships:partner_list")
    return {
        "dashboard": reverse("dashboard"),
        "partner_list": partner_list,
        "partner_list_flagged": partner_list + "?flagged=on&sort=-activity",
        "partner_list_searched": partner_list + "?tier=2&sort=-partnerships&q=Partner",
        "partner_list_page_2": partner_list + "?page=2",
        "partner_list_by_trust": partner_list + "?sort=trust",
        "partner_detail": reverse(
            "partnerships:partner_detail", kwargs={"uuid": world.partner.uuid}
        ),
        "partnership_detail": reverse(
            "partnerships:partnership_detail",
            kwargs={"partnership_uuid": world.partnership.uuid},
        ),
    }


def test_the_pages_run_a_pinned_number_of_queries_at_5_and_at_50(owner_client, world):
    world.grow(5)
    at_5 = {name: _queries(owner_client, url) for name, url in _pages(world).items()}
    world.grow(45)
    at_50 = {name: _queries(owner_client, url) for name, url in _pages(world).items()}
    assert at_5 == at_50 == EXPECTED, f"at 5: {at_5}; at 50: {at_50}"


def test_the_measured_pages_show_every_panel(owner_client, world):
    world.grow(6)
    page = owner_client.get(_pages(world)["partnership_detail"]).content.decode()
    for heading in ("Partner Fit Card", "Evidence", "Partnership Charter", "Health reviews"):
        assert f">{heading}</h2>" in page
    assert "Event 5" in page
    dashboard = owner_client.get(_pages(world)["dashboard"]).content.decode()
    for heading in (
        "Decisions awaiting your approval",
        "Partner Fit Cards",
        "Charters awaiting signatures",
        "Health reviews",
        "Next 30 days",
    ):
        assert f">{heading}</h2>" in dashboard
