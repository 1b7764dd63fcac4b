"""Pages stay constant in queries as partnerships grow (5 vs 50), with every other app's panel
and gate on: these are the pages people see."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.launch import launch_plan_create
from partnerships.models import PartnershipEvent
from tests.factories import PartnerFactory, PartnershipFactory, UserFactory


@pytest.fixture(autouse=True)
def isolated_registries():
    """Overrides the package's fixture: every listed panel and gate stays on."""
    yield


def _grow(org, owner, approver, count, start=0):
    today = datetime.date.today()
    for n in range(start, start + count):
        partner = PartnerFactory(organization=org, name=f"Partner {n:03d}")
        p = PartnershipFactory(
            organization=org,
            partner=partner,
            owner=owner,
            approver=approver,
            unwind_authorizer=approver if n % 2 else None,
            tier=1 + n % 3,
            phase=["crawl", "walk", "run"][n % 3],
            leverage="co_marketing" if n % 4 == 0 else "economic",
            deferral_date=today + datetime.timedelta(days=n % 40),
            launched_on=today if n % 3 else None,
        )
        PartnershipEvent.objects.create(
            organization=org, partnership=p, kind="note", summary=f"Note {n}", actor=owner
        )
        if n % 5 == 0:
            launch_plan_create(
                partnership=p, launch_on=today + datetime.timedelta(days=10), actor=owner
            )


def _count(client, url):
    cache.clear()  # the evidence summary is cached; measure every page cold
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "url",
    [
        reverse("partnerships:partner_list"),
        reverse("partnerships:partner_list") + "?flagged=on&sort=-activity",
        reverse("partnerships:partner_list") + "?tier=2&sort=-partnerships&q=Partner",
        reverse("dashboard"),
    ],
)
def test_list_and_dashboard_queries_do_not_grow(
    manager_client, org, manager, approver, django_assert_num_queries, url
):
    _grow(org, manager, approver, 5)
    baseline = _count(manager_client, url)
    _grow(org, manager, approver, 45, start=5)
    cache.clear()
    with django_assert_num_queries(baseline):
        manager_client.get(url)


def test_partnership_page_queries_do_not_grow(
    manager_client, org, manager, approver, partnership, django_assert_num_queries
):
    launch_plan_create(partnership=partnership, launch_on=datetime.date.today(), actor=manager)
    _grow(org, manager, approver, 5)
    url = reverse("partnerships:partnership_detail", kwargs={"partnership_uuid": partnership.uuid})
    baseline = _count(manager_client, url)
    _grow(org, manager, approver, 45, start=5)
    for n in range(45):
        actor = UserFactory() if n % 10 == 0 else manager
        PartnershipEvent.objects.create(
            organization=org, partnership=partnership, kind="note", summary=f"E{n}", actor=actor
        )
    cache.clear()
    with django_assert_num_queries(baseline):
        manager_client.get(url)


def test_partner_page_queries_do_not_grow(
    manager_client, org, manager, approver, partner, django_assert_num_queries
):
    for n in range(5):
        PartnershipFactory(organization=org, partner=partner, owner=manager, name=f"P{n}")
    url = reverse("partnerships:partner_detail", kwargs={"uuid": partner.uuid})
    baseline = _count(manager_client, url)
    for n in range(5, 50):
        PartnershipFactory(organization=org, partner=partner, owner=manager, name=f"P{n}")
    cache.clear()
    with django_assert_num_queries(baseline):
        manager_client.get(url)
