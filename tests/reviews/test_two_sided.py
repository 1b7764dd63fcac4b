"""Two-sided health reviews: the partner's health-review contact answers the same questions in
the partner room; where the two sides differ it is a disagreement, shown to both."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import OutboundEmail
from reviews import disagreements, services
from reviews.disagreements import boundary_violated_in
from reviews.models import HealthReview, PartnerReview, ReviewDisagreement
from reviews.selectors import health_trend
from tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)
SAME = {
    "boundary_violated": "None this week.",
    "evidence_less_trustworthy": "Nothing new.",
    "renegotiation_trigger": "Two weeks of late settlement files.",
    "unwind_trigger_fired": False,
    "health": "green",
    "notes": "",
}


@pytest.fixture
def partner(org):
    return PartnerFactory(organization=org, name="PayHarbor")


@pytest.fixture
def reviewer(partner, owner):
    contact = ContactFactory(partner=partner, name="Lena Vogt", email="lena@payharbor.example")
    services.partner_reviewer_set(contact=contact, on=True, actor=owner)
    return contact


@pytest.fixture
def partnership(make_partnership, partner):
    return make_partnership(partner=partner, name="PayHarbor EU card acquiring")


@pytest.fixture
def cycle(org, partnership, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.cycle_start(organization=org, starts_on=MONDAY)


def ours_submit(partnership, owner, **answers):
    review = HealthReview.objects.get(partnership=partnership)
    return services.review_submit(review=review, submitted_by=owner, **{**SAME, **answers})


def theirs_submit(partnership, contact, **answers):
    item = PartnerReview.objects.get(partnership=partnership)
    return services.partner_review_submit(
        partner_review=item, contact=contact, **{**SAME, **answers}
    )


def test_the_cycle_opens_one_partner_review_and_one_email_even_when_run_twice(
    org, partnership, reviewer, make_partnership, partner, django_capture_on_commit_callbacks
):
    second = make_partnership(partner=partner, name="PayHarbor payouts")
    other = make_partnership()  # a partner without a health-review contact
    mail.outbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            cycle = services.cycle_start(organization=org, starts_on=MONDAY)
    assert PartnerReview.objects.filter(cycle=cycle).count() == 2
    assert not PartnerReview.objects.filter(partnership=other).exists()
    sent = [m for m in mail.outbox if m.to == [reviewer.email]]
    assert len(sent) == 1
    body = sent[0].body
    assert partnership.name in body and second.name in body
    for item in PartnerReview.objects.filter(cycle=cycle):
        assert reverse("partnerroom:review", args=[item.uuid]) in body
    assert OutboundEmail.objects.filter(key__startswith="partner-review-request:").count() == 1


def test_each_health_review_contact_gets_their_own_email(
    org, partnership, reviewer, partner, owner, django_capture_on_commit_callbacks
):
    colleague = ContactFactory(partner=partner, email="tomas@payharbor.example")
    services.partner_reviewer_set(contact=colleague, on=True, actor=owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_start(organization=org, starts_on=MONDAY)
    requests = OutboundEmail.objects.filter(key__startswith="partner-review-request:")
    assert sorted(requests.values_list("to", flat=True)) == [
        reviewer.email,
        colleague.email,
    ]


def test_an_unanswered_partner_review_is_missed_when_the_next_cycle_starts(org, cycle):
    services.cycle_start(organization=org, starts_on=MONDAY + datetime.timedelta(weeks=1))
    states = dict(PartnerReview.objects.values_list("cycle__starts_on", "state"))
    assert states == {MONDAY: "skipped", MONDAY + datetime.timedelta(weeks=1): "due"}


@pytest.mark.parametrize(
    ("answer", "violated"),
    [
        ("", False),
        ("None", False),
        ("none.", False),
        ("None: all disputes stayed within scope.", False),
        ("No boundary was violated", False),
        ("Nothing", False),
        ("N/A", False),
        ("-", False),
        ("Support answered tickets outside the agreed hours.", True),
        ("Nonetheless, a merchant export left the EU.", True),
        ("Data left the boundary", True),
    ],
)
def test_how_a_boundary_answer_maps_to_violated_or_intact(answer, violated):
    assert boundary_violated_in(answer) is violated


KINDS = {
    "health": ({"health": "green"}, {"health": "amber"}, "health_differs"),
    "boundary": (
        {"boundary_violated": "None."},
        {"boundary_violated": "Our support desk was bypassed twice."},
        "boundary_differs",
    ),
    "unwind": (
        {"unwind_trigger_fired": False},
        {"unwind_trigger_fired": True, "notes": "Resolution took 12 days."},
        "unwind_differs",
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("second", ["partner answers last", "we answer last"])
def test_each_kind_of_disagreement_is_detected_and_shown(
    kind, second, cycle, partnership, owner, reviewer, owner_client, client
):
    ours, theirs, flag = KINDS[kind]
    if second == "partner answers last":
        ours_submit(partnership, owner, **ours)
        assert not ReviewDisagreement.objects.exists()
        theirs_submit(partnership, reviewer, **theirs)
    else:
        theirs_submit(partnership, reviewer, **theirs)
        assert not ReviewDisagreement.objects.exists()
        ours_submit(partnership, owner, **ours)
    found = ReviewDisagreement.objects.get()
    assert [
        getattr(found, f) for f in ("health_differs", "boundary_differs", "unwind_differs")
    ] == [f == flag for f in ("health_differs", "boundary_differs", "unwind_differs")]
    assert disagreements.open_for(partnership) == [found]
    assert list(disagreements.open_for_organization(partnership.organization)) == [found]
    # flagged on the history (both answers side by side), the list, the review page
    history = owner_client.get(reverse("reviews:history", args=[partnership.uuid])).content
    assert b'data-testid="disagreements"' in history and b"Partner disagrees" in history
    listing = owner_client.get(reverse("reviews:list") + "?state=all").content
    assert b'data-testid="disagreement-flag"' in listing
    filtered = owner_client.get(reverse("reviews:list") + "?state=disagreements").content
    assert partnership.name.encode() in filtered
    review = owner_client.get(reverse("reviews:review", args=[found.review.uuid])).content
    assert b'data-testid="partner-answer"' in review
    # the owner heard at once
    assert OutboundEmail.objects.filter(key=f"review-disagreement:{found.pk}:{owner.pk}").exists()


def test_agreeing_answers_make_no_disagreement(cycle, partnership, owner, reviewer):
    ours_submit(partnership, owner)
    theirs_submit(partnership, reviewer, boundary_violated="no", notes="All fine.")
    assert not ReviewDisagreement.objects.exists()


def test_the_disagreement_is_in_both_sides_next_digests(
    org, cycle, partnership, owner, reviewer, django_capture_on_commit_callbacks
):
    ours_submit(partnership, owner, health="green")
    theirs_submit(partnership, reviewer, health="red")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_start(organization=org, starts_on=MONDAY + datetime.timedelta(weeks=1))
    to = {m.to[0]: m for m in mail.outbox}
    assert "open disagreement" in to[owner.email].subject
    assert "overall health" in to[owner.email].body
    assert reverse("reviews:history", args=[partnership.uuid]) in to[owner.email].body
    assert "overall health" in to[reviewer.email].body
    assert "differ" in to[reviewer.email].body


def test_a_resolved_disagreement_leaves_the_open_lists(cycle, partnership, owner, reviewer):
    ours_submit(partnership, owner, health="green")
    theirs_submit(partnership, reviewer, health="amber")
    found = ReviewDisagreement.objects.get()
    disagreements.disagreement_resolve(
        disagreement=found, actor=owner, resolution="Agreed amber after a call."
    )
    assert disagreements.open_for(partnership) == []
    found.refresh_from_db()
    assert found.resolved_by == owner and found.resolution


def test_a_viewer_cannot_resolve_and_managers_must_say_how(
    cycle, partnership, owner, reviewer, viewer_client, manager_client
):
    ours_submit(partnership, owner, health="green")
    theirs_submit(partnership, reviewer, health="amber")
    url = reverse("reviews:disagreement_resolve", args=[ReviewDisagreement.objects.get().uuid])
    assert viewer_client.post(url, {"resolution": "x"}).status_code == 403
    assert manager_client.post(url, {"resolution": ""}).status_code == 302
    assert ReviewDisagreement.objects.get().is_open
    assert manager_client.post(url, {"resolution": "Talked."}).status_code == 302
    assert not ReviewDisagreement.objects.get().is_open


def test_only_the_partners_health_review_contact_answers_once(
    cycle, partnership, reviewer, partner
):
    from django.core.exceptions import ValidationError

    stranger = ContactFactory(partner=partner)
    with pytest.raises(ValidationError):
        theirs_submit(partnership, stranger)
    theirs_submit(partnership, reviewer)
    with pytest.raises(ValidationError):
        theirs_submit(partnership, reviewer)


def test_the_trend_draws_both_lines(cycle, partnership, owner, reviewer, owner_client):
    ours_submit(partnership, owner, health="green")
    theirs_submit(partnership, reviewer, health="red")
    reviews = list(HealthReview.objects.select_related("partner_review"))
    trend = health_trend(reviews, two_sided=True)
    assert [p["health"] for p in trend["points"]] == ["green"]
    assert [p["health"] for p in trend["partner_points"]] == ["red"]
    html = owner_client.get(reverse("reviews:history", args=[partnership.uuid])).content
    assert b"partner-dot-red" in html and b"dot-green" in html
    assert b'style="' not in html  # CSP: no inline styles
