"""No query parameter or form value makes a reviews or operations page answer 500, and nothing
stored elsewhere (a far-off date) breaks them later."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifications.models import OutboundEmail
from reviews import services
from reviews.models import HealthReview
from reviews.services import feeds
from reviews.services.rules import daily_scan

EXTREMES = [
    "",
    "\x00",
    "1\x00",
    "-1",
    "0",
    "922337203685477581",
    "9223372036854775808",
    "1" * 400,
    "1e9999",
    "NaN",
    "١٢",
    "💥",
    "' OR 1=1 --",
    "%00",
    "9999-12-31",
    "0001-01-01",
]
values = st.one_of(
    st.sampled_from(EXTREMES),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def review(org, owner, make_partnership):
    partnership = make_partnership(name="Dispute desk pilot")
    services.cycle_start(organization=org, starts_on=datetime.date(2026, 3, 2))
    OutboundEmail.objects.create(
        organization=org, key="fuzz:1", to="a@northwind.test", subject="s", body_text="b"
    )
    return HealthReview.objects.get(partnership=partnership)


def _pages(review):
    return [
        reverse("reviews:list"),
        reverse("reviews:history", args=[review.partnership.uuid]),
        reverse("reviews:review", args=[review.uuid]),
        reverse("reviews:calendar"),
        reverse("notifications:outbox"),
    ]


@pytest.mark.django_db
@FUZZ
@given(state=values, page=values, htmx=st.booleans())
def test_no_query_parameter_makes_a_page_fail(owner_client, review, state, page, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    for url in _pages(review):
        for params in ({"state": state}, {"page": page}, {"state": [state, page], "page": page}):
            response = owner_client.get(url, params, headers=headers)
            assert response.status_code < 500, (url, params)


@pytest.mark.django_db
@FUZZ
@given(value=values, other=values)
def test_no_posted_value_makes_a_form_fail(owner_client, review, value, other):
    posts = [
        (reverse("reviews:calendar"), {"action": value}),
        (
            reverse("reviews:review", args=[review.uuid]),
            {
                "boundary_violated": value,
                "renegotiation_trigger": other,
                "health": value,
                "notes": other,
                "unwind_trigger_fired": value,
                "evidence_artifact": other,
                "evidence_quality": value,
                "evidence_observed_on": value,
                "evidence_boundary_status": other,
            },
        ),
        (
            reverse("notifications:retry", args=[OutboundEmail.objects.get(key="fuzz:1").uuid]),
            {"state": value},
        ),
    ]
    for url, data in posts:
        assert owner_client.post(url, data).status_code < 500, (url, data)
    for url in _pages(review):
        assert owner_client.get(url).status_code == 200, url


@pytest.mark.django_db
@FUZZ
@given(token=st.text(min_size=1, max_size=300).filter(lambda t: "/" not in t))
def test_no_feed_token_makes_the_feed_fail(client, token):
    response = client.get(reverse("reviews:feed", args=[token]))
    assert response.status_code == 404, token


@pytest.mark.django_db
def test_a_phase_started_in_year_9999_breaks_neither_the_feed_nor_the_daily_scan(
    org, owner, client, make_partnership
):
    make_partnership(
        name="Typo", phase="walk", phase_started_on=datetime.date(9999, 12, 1), owner=owner
    )
    _feed, token = feeds.calendar_feed_create(organization=org, user=owner)
    response = client.get(reverse("reviews:feed", args=[token]))
    assert response.status_code == 200
    icalendar.Calendar.from_ical(response.content)
    assert daily_scan(organization=org)["timeboxes"] == 0
