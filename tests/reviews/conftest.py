import datetime

import pytest
from django.utils import timezone

from tests.factories import PartnershipFactory


@pytest.fixture
def make_partnership(org, owner):
    """A launched partnership in walk (reviewed every cycle) of the Northwind organization."""

    def make(**kwargs):
        kwargs.setdefault("organization", org)
        kwargs.setdefault("owner", owner)
        kwargs.setdefault("phase", "walk")
        kwargs.setdefault("status", "active")
        kwargs.setdefault("launched_on", timezone.localdate() - datetime.timedelta(days=30))
        kwargs.setdefault("phase_started_on", kwargs["launched_on"])
        return PartnershipFactory(**kwargs)

    return make
