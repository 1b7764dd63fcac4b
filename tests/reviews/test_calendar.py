"""The personal iCalendar feed: secret URL, revocable, with the person's dates."""

import datetime
import re

import icalendar
import pytest
from django.urls import reverse

from reviews import services
from reviews.models import CalendarFeed


def create_feed(client):
    response = client.post(reverse("reviews:calendar"), {"action": "create"})
    assert response.status_code == 200
    return re.search(rb'value="(http[^"]+\.ics)"', response.content).group(1).decode()


@pytest.mark.parametrize("role", ["owner", "manager", "viewer"])
@pytest.mark.django_db
def test_member_manages_their_calendar_feed_page(role, role_clients):
    assert role_clients[role].get(reverse("reviews:calendar")).status_code == 200


@pytest.mark.django_db
def test_feed_lists_review_due_dates_deferral_and_phase_deadlines(
    org, owner, owner_client, client, make_partnership
):
    partnership = make_partnership(
        name="Payouts", deferral_date=datetime.date(2026, 6, 30), phase="walk"
    )
    services.cycle_start(organization=org, starts_on=datetime.date.today())
    url = create_feed(owner_client)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    summaries = {str(e.get("summary")) for e in cal.walk("VEVENT")}
    assert "Deferral date: Payouts" in summaries
    assert "Health review due: Payouts" in summaries
    assert "Walk time box ends: Payouts" in summaries
    dates = {e.decoded("dtstart") for e in cal.walk("VEVENT")}
    assert datetime.date(2026, 6, 30) in dates
    assert CalendarFeed.objects.get(user=owner).token_hash not in url  # only the hash is stored
    assert partnership


@pytest.mark.django_db
def test_revoked_or_replaced_feed_url_stops_working(owner_client, client):
    first = create_feed(owner_client)
    second = create_feed(owner_client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    owner_client.post(reverse("reviews:calendar"), {"action": "revoke"})
    assert client.get(second).status_code == 404
    assert client.get(reverse("reviews:feed", args=["guessed-token"])).status_code == 404


@pytest.mark.django_db
def test_feed_shows_nothing_of_others(org, manager_client, client, make_partnership, owner):
    make_partnership(name="Owner only")
    url = create_feed(manager_client)
    assert b"Owner only" not in client.get(url).content
