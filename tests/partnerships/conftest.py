"""Fixtures for the partnerships tests.

Other apps plug gates and panels into this one; these tests judge this app alone, so every
test starts with no registered gates and no panels (a test that needs a gate adds a fake one).
"""

import datetime

import pytest
from django.utils import timezone

from tests.factories import PartnerFactory, PartnershipFactory


@pytest.fixture(autouse=True)
def isolated_registries(monkeypatch):
    from partnerships import extensions, gates

    monkeypatch.setattr(gates, "_gates", [])
    monkeypatch.setattr(extensions, "_dashboard", {})
    monkeypatch.setattr(extensions, "_partnership", {})


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
