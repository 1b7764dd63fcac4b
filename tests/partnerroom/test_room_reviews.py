"""The partner answers the health review in the room, and sees where the sides disagree."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerroom.models import RoomEvent
from reviews import services
from reviews.models import HealthReview, PartnerReview, ReviewDisagreement

pytestmark = pytest.mark.django_db

ANSWERS = {
    "boundary_violated": "Settlement files were late twice: outside the agreed window.",
    "evidence_less_trustworthy": "Their SLA export.",
    "renegotiation_trigger": "A third late week.",
    "health": "amber",
    "notes": "",
}


@pytest.fixture
def due(org, acquiring, lena, grant, deliver):
    grant(lena, reviews_health=True)
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    with deliver():
        services.cycle_start(organization=org, starts_on=monday)
    return PartnerReview.objects.get(partnership=acquiring)


def test_the_health_review_contact_answers_in_the_room(due, lena, owner, signed_in):
    client = signed_in(lena, reviews_health=True)
    home = client.get(reverse("partnerroom:home")).content
    assert b'data-testid="open-reviews"' in home
    url = reverse("partnerroom:review", args=[due.uuid])
    assert b"Submit our review" in client.get(url).content
    response = client.post(url, ANSWERS)
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.state == "submitted" and due.submitted_by_contact == lena and due.health == "amber"
    assert RoomEvent.objects.filter(kind=RoomEvent.Kind.REVIEW_ANSWERED, contact=lena).exists()
    # twice is refused, not applied again
    assert client.post(url, {**ANSWERS, "health": "red"}).status_code == 302
    due.refresh_from_db()
    assert due.health == "amber"


def test_the_partner_sees_the_disagreement_but_not_our_prose(due, lena, owner, signed_in):
    review = HealthReview.objects.get(pk=due.review_id)
    services.review_submit(
        review=review,
        submitted_by=owner,
        boundary_violated="None: Our-private-wording about them.",
        evidence_less_trustworthy="Our-private-seam-note",
        renegotiation_trigger="x",
        unwind_trigger_fired=False,
        health="green",
    )
    client = signed_in(lena, reviews_health=True)
    client.post(reverse("partnerroom:review", args=[due.uuid]), ANSWERS)
    found = ReviewDisagreement.objects.get()
    assert found.health_differs and found.boundary_differs and not found.unwind_differs
    page = client.get(reverse("partnerroom:review", args=[due.uuid])).content.decode()
    assert 'data-testid="room-disagreement"' in page
    assert "overall health, boundary violated or intact" in page
    assert "Our-private-wording" not in page and "Our-private-seam-note" not in page
    assert "Green" in page and "intact" in page and "violated" in page
    home = client.get(reverse("partnerroom:home")).content
    assert b"Disagreement" in home


def test_a_contact_who_is_not_the_health_review_contact_only_reads(due, priya, lena, signed_in):
    client = signed_in(lena)  # access, but not the health-review contact
    services.partner_reviewer_set(contact=lena, on=False)
    url = reverse("partnerroom:review", args=[due.uuid])
    page = client.get(url)
    assert page.status_code == 200 and b"Submit our review" not in page.content
    client.post(url, ANSWERS)
    due.refresh_from_db()
    assert due.state == "due"


def test_bad_answers_are_422_not_500(due, lena, signed_in):
    client = signed_in(lena, reviews_health=True)
    url = reverse("partnerroom:review", args=[due.uuid])
    for data in (
        {},
        {"health": "purple", "renegotiation_trigger": "x"},
        {**ANSWERS, "unwind_trigger_fired": "on"},  # fired needs notes
        {**ANSWERS, "notes": "\x00" * 10},
        {**ANSWERS, "boundary_violated": "x" * 5000},
    ):
        assert client.post(url, data).status_code == 422, data
    due.refresh_from_db()
    assert due.state == "due"
