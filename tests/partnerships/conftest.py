"""Fixtures for the partnerships tests.

Other apps plug gates and panels into this one; these tests judge this app alone, so every
test starts with no gates and no panels (switched off through the registry's own API; a test
that needs a gate or panel adds a fake one from ``tests.partnerships.helpers``). The query-count
tests turn every panel and gate back on.
"""

import datetime

import pytest
from django.utils import timezone

from partnerships.extensions import (
    DASHBOARD_PANELS,
    PARTNERSHIP_PANELS,
    PHASE_GATES,
)
from tests.factories import PartnerFactory, PartnershipFactory


@pytest.fixture(autouse=True)
def isolated_registries():
    with DASHBOARD_PANELS.only(), PARTNERSHIP_PANELS.only(), PHASE_GATES.only():
        yield


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def partner(org):
    return PartnerFactory(organization=org, name="PayHarbor")


@pytest.fixture
def partnership(org, partner, manager, approver):
    return PartnershipFactory(
        organization=org,
        partner=partner,
        name="PayHarbor EU acquiring",
        owner=manager,
        approver=approver,
        unwind_authorizer=approver,
        integration_pathway="Enable card payments in Settings.",
    )


@pytest.fixture
def foreign_partnership(other_org, outsider):
    return PartnershipFactory(organization=other_org, owner=outsider, name="Globex secret")


def weeks_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(weeks=n)
