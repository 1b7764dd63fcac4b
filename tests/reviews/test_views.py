"""Review pages as owner, manager, viewer and outsider."""

import datetime

import pytest
from django.urls import reverse

from evidence.models import EvidenceEntry
from reviews import services
from reviews.models import HealthReview

MONDAY = datetime.date(2026, 3, 2)

ANSWERS = {
    "boundary_violated": "none",
    "evidence_less_trustworthy": "The partner's self-reported uptime.",
    "renegotiation_trigger": "Two weeks of dispute resolution over 10 days.",
    "health": "amber",
    "notes": "Volumes are lower than planned.",
    "evidence_boundary_status": "intact",
}


@pytest.fixture
def review(org, make_partnership):
    partnership = make_partnership(name="Dispute desk pilot")
    services.cycle_start(organization=org, starts_on=MONDAY)
    return HealthReview.objects.get(partnership=partnership)


@pytest.mark.parametrize("role", ["owner", "manager", "viewer"])
@pytest.mark.django_db
def test_members_see_the_review_list(role, role_clients, review):
    response = role_clients[role].get(reverse("reviews:list"))
    assert response.status_code == 200
    assert b"Dispute desk pilot" in response.content
    assert b"Next cycle starts" in response.content


@pytest.mark.django_db
def test_outsider_sees_no_review_of_another_organization(role_clients, review):
    response = role_clients["outsider"].get(reverse("reviews:list"))
    assert response.status_code == 200
    assert b"Dispute desk pilot" not in response.content
    for name in ("reviews:review", "reviews:history"):
        uuid = review.uuid if name == "reviews:review" else review.partnership.uuid
        assert role_clients["outsider"].get(reverse(name, args=[uuid])).status_code == 404
    response = role_clients["outsider"].post(reverse("reviews:review", args=[review.uuid]), ANSWERS)
    assert response.status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, review):
    response = client.get(reverse("reviews:review", args=[review.uuid]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["owner", "manager"])
@pytest.mark.django_db
def test_writer_submits_a_review_with_an_evidence_entry(role, role_clients, review):
    url = reverse("reviews:review", args=[review.uuid])
    assert b"What boundary was violated this cycle?" in role_clients[role].get(url).content
    data = {**ANSWERS, "evidence_artifact": "Incident postmortem #42", "evidence_quality": "pilot"}
    response = role_clients[role].post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:history", args=[review.partnership.uuid])
    review.refresh_from_db()
    assert review.state == "submitted" and review.health == "amber"
    assert EvidenceEntry.objects.filter(artifact="Incident postmortem #42").count() == 1
    # A second POST (double click, retry) changes nothing.
    again = role_clients[role].post(url, data)
    assert again.status_code == 302
    assert EvidenceEntry.objects.count() == 1


@pytest.mark.django_db
def test_viewer_cannot_submit_a_review(viewer_client, review):
    response = viewer_client.post(reverse("reviews:review", args=[review.uuid]), ANSWERS)
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.state == "due"


@pytest.mark.django_db
def test_invalid_review_rerenders_with_field_errors(manager_client, review):
    url = reverse("reviews:review", args=[review.uuid])
    data = {**ANSWERS, "health": "", "unwind_trigger_fired": "on", "notes": ""}
    response = manager_client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert b"errorlist" in response.content
    data = {**ANSWERS, "evidence_artifact": "A demo", "evidence_quality": ""}
    assert manager_client.post(url, data).status_code == 422
    review.refresh_from_db()
    assert review.state == "due"


@pytest.mark.parametrize("role", ["owner", "manager", "viewer"])
@pytest.mark.django_db
def test_history_shows_health_trend_chart(role, role_clients, review, owner):
    services.review_submit(
        review=review,
        submitted_by=owner,
        boundary_violated="",
        evidence_less_trustworthy="",
        renegotiation_trigger="x",
        unwind_trigger_fired=False,
        health="green",
    )
    response = role_clients[role].get(reverse("reviews:history", args=[review.partnership.uuid]))
    assert response.status_code == 200
    assert b"<svg" in response.content and b"dot-green" in response.content
    assert b'style="' not in response.content  # CSP: no inline styles


@pytest.mark.django_db
def test_review_list_query_count_does_not_grow_with_rows(
    org, owner_client, make_partnership, django_assert_num_queries
):
    from reviews.models import ReviewCycle

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(reverse("reviews:list") + "?state=all").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        make_partnership()
    services.cycle_start(organization=org, starts_on=MONDAY)
    five = count_queries()
    for _ in range(45):
        make_partnership()
    ReviewCycle.objects.all().delete()
    services.cycle_start(organization=org, starts_on=MONDAY)
    assert HealthReview.objects.count() == 50
    with django_assert_num_queries(five):
        owner_client.get(reverse("reviews:list") + "?state=all")


@pytest.mark.django_db
def test_dashboard_panel_shows_when_the_next_cycle_starts(rf, owner, org, review):
    from django.template.loader import render_to_string

    from reviews.panels import dashboard_panel

    org.time_zone, org.review_weekday, org.review_hour = "America/New_York", 0, 9
    request = rf.get("/")
    request.user = owner
    request.organization = org
    panel = dashboard_panel(request)
    assert panel["next_start"].weekday() == 0 and panel["next_start"].hour == 9
    assert panel["counts"] == {"due": 1, "overdue": 0, "mine": 1}
    html = render_to_string(panel["template"], {"panel": panel, "organization": org})
    assert "Next cycle starts" in html and "America/New_York" in html


@pytest.mark.django_db
def test_partnership_panel_links_the_open_review(rf, owner, org, review):
    from reviews.panels import partnership_panel

    request = rf.get("/")
    request.user = owner
    request.organization = org
    panel = partnership_panel(request, review.partnership)
    assert panel["open_review"] == review
    assert panel["history_url"].endswith(f"{review.partnership.uuid}/")


@pytest.mark.django_db
def test_history_query_count_does_not_grow_with_rows(
    org, owner_client, make_partnership, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partnership = make_partnership()
    monday = MONDAY
    for _ in range(5):
        services.cycle_start(organization=org, starts_on=monday)
        monday -= datetime.timedelta(weeks=1)
    url = reverse("reviews:history", args=[partnership.uuid])
    with CaptureQueriesContext(connection) as ctx:
        owner_client.get(url)
    for _ in range(45):
        services.cycle_start(organization=org, starts_on=monday)
        monday -= datetime.timedelta(weeks=1)
    with django_assert_num_queries(len(ctx.captured_queries)):
        owner_client.get(url)


@pytest.mark.django_db
def test_htmx_request_gets_only_the_rows_partial(owner_client, review):
    response = owner_client.get(reverse("reviews:list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="review-rows"' in response.content
    assert b"<html" not in response.content


@pytest.mark.django_db
def test_viewer_reads_a_review_without_the_form(viewer_client, review):
    response = viewer_client.get(reverse("reviews:review", args=[review.uuid]))
    assert response.status_code == 200
    assert b"Viewers can read reviews" in response.content
    assert b"Submit review" not in response.content


@pytest.mark.django_db
def test_partnership_page_shows_the_reviews_panel(owner_client, review):
    url = reverse("partnerships:partnership_detail", args=[review.partnership.uuid])
    response = owner_client.get(url)
    assert response.status_code == 200
    assert reverse("reviews:review", args=[review.uuid]).encode() in response.content
    assert reverse("reviews:history", args=[review.partnership.uuid]).encode() in response.content


@pytest.mark.django_db
def test_yours_filter_lists_only_reviews_of_partnerships_you_own(
    org, manager, manager_client, make_partnership
):
    make_partnership(name="Owned by the owner")
    make_partnership(name="Owned by the manager", owner=manager)
    services.cycle_start(organization=org, starts_on=MONDAY)
    response = manager_client.get(reverse("reviews:list") + "?state=mine")
    assert b"Owned by the manager" in response.content
    assert b"Owned by the owner" not in response.content


@pytest.mark.django_db
def test_htmx_history_restore_gets_the_whole_list_page(owner_client, review):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = owner_client.get(reverse("reviews:list") + "?state=all", headers=headers)
    assert response.status_code == 200
    assert b"<html" in response.content and b'id="review-rows"' in response.content
    assert b"<h1>Health reviews</h1>" in response.content


@pytest.mark.django_db
def test_filters_and_pages_swap_the_rows_and_push_the_url(owner_client, review):
    content = owner_client.get(reverse("reviews:list")).content.decode()
    assert 'hx-get="?state=all" hx-target="#review-rows"' in content
    assert 'hx-push-url="true"' in content


@pytest.mark.django_db
def test_a_service_error_on_an_evidence_field_is_shown_on_that_field(
    manager_client, review, monkeypatch
):
    from django.core.exceptions import ValidationError

    from reviews.views import reviews as views

    def refuse(**kwargs):
        raise ValidationError({"observed_on": "Evidence cannot be dated in the future."})

    monkeypatch.setattr(views, "review_submit", refuse)
    data = {**ANSWERS, "evidence_artifact": "A log", "evidence_quality": "pilot"}
    response = manager_client.post(reverse("reviews:review", args=[review.uuid]), data)
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["evidence_observed_on"] == ["Evidence cannot be dated in the future."]
