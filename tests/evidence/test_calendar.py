"""Evidence dates are days on the organization's calendar, not UTC's."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from evidence.forms import EvidenceForm
from evidence.models import EvidenceEntry
from tests.factories import PartnershipFactory

from .factories import log_evidence

pytestmark = pytest.mark.django_db

# 09:00 in Auckland (UTC+13 in March) is 20:00 the day before in UTC.
AUCKLAND_MORNING = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Pacific/Auckland"))
# 20:00 in Honolulu (UTC-10) is 06:00 the next day in UTC.
HONOLULU_EVENING = datetime.datetime(2026, 3, 2, 20, 0, tzinfo=ZoneInfo("Pacific/Honolulu"))


def _set_zone(org, zone):
    org.time_zone = zone
    org.save(update_fields=["time_zone"])


def _post(client, partnership, day):
    return client.post(
        reverse("evidence:entry_new"),
        {
            "partnership": partnership.pk,
            "claim": "Dispute desk resolves chargebacks",
            "artifact": f"Pilot report of {day}",
            "quality": "pilot",
            "observed_on": day.isoformat(),
            "boundary_status": "intact",
            "decision": "none",
        },
    )


@pytest.mark.parametrize(
    ("zone", "moment"),
    [("Pacific/Auckland", AUCKLAND_MORNING), ("Pacific/Honolulu", HONOLULU_EVENING)],
)
def test_evidence_dated_the_organizations_today_is_accepted_and_tomorrow_refused(
    org, owner, manager_client, zone, moment
):
    _set_zone(org, zone)
    partnership = PartnershipFactory(organization=org, owner=owner, status="active")
    local_today = moment.date()
    with time_machine.travel(moment, tick=False):
        assert _post(manager_client, partnership, local_today).status_code == 302
        tomorrow = local_today + datetime.timedelta(days=1)
        refused = _post(manager_client, partnership, tomorrow)
        assert refused.status_code == 422
        assert b"cannot be dated in the future" in refused.content
    assert list(EvidenceEntry.objects.values_list("observed_on", flat=True)) == [local_today]


@pytest.mark.parametrize(
    ("zone", "moment"),
    [("Pacific/Auckland", AUCKLAND_MORNING), ("Pacific/Honolulu", HONOLULU_EVENING)],
)
def test_the_form_starts_on_the_organizations_today(org, zone, moment):
    _set_zone(org, zone)
    with time_machine.travel(moment, tick=False):
        form = EvidenceForm(organization=org)
    assert form.fields["observed_on"].initial == moment.date()


def test_the_service_refuses_a_date_after_the_organizations_today(org, owner):
    _set_zone(org, "Pacific/Honolulu")
    partnership = PartnershipFactory(organization=org, owner=owner)
    # UTC is already on 3 March; Honolulu is still on 2 March.
    with time_machine.travel(HONOLULU_EVENING, tick=False), pytest.raises(ValidationError) as exc:
        log_evidence(partnership, days_ago=-1)
    assert "observed_on" in exc.value.message_dict
