"""The decision stays honest: review capacity from data, and a suggestion at the threshold."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from partnerships.flows import flow_record
from partnerships.models import FlowRun
from programs import services
from programs.models import Application, RevisitSuggestion
from programs.selectors import review_capacity, scale_review_answer, settings_for
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def waiting(org, n, *, days_ago=0):
    now = timezone.now() - datetime.timedelta(days=days_ago)
    Application.objects.bulk_create(
        Application(
            organization=org,
            program="curated",
            submitted_at=now,
            confirmed_at=now,
            company=f"Applicant {i}",
            contact_name="A",
            contact_email=f"a{i}@applicant.example",
            offer="o",
            value_to_them="v",
            value_to_customers="c",
            they_lose="l",
        )
        for i in range(n)
    )


def test_review_capacity_answers_can_you_scale_human_review(curated, confirmed, manager):
    PartnerFactory.create_batch(3, organization=curated)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=6)):
        first = confirmed(curated, contact_email="one@x.example")
        second = confirmed(curated, contact_email="two@x.example")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=4)):
        services.application_decline(application=first, actor=manager, reason="No")
    services.application_decline(application=second, actor=manager, reason="No")
    confirmed(curated, contact_email="three@x.example")
    capacity = review_capacity(curated)
    assert capacity.waiting == 1
    assert capacity.oldest_wait_days == 0
    assert capacity.median_wait_days == pytest.approx(4.0, abs=0.1)  # waits of 2 and 6 days
    assert capacity.decided == 2
    assert capacity.partners == 3


def test_the_capacity_fragment_shows_the_numbers(curated, viewer_client):
    waiting(curated, 3, days_ago=2)
    response = viewer_client.get(reverse("programs:capacity"))
    assert response.status_code == 200
    assert b"What your data says" in response.content
    assert b"<strong>3</strong> applications waiting, the oldest for 2 days" in response.content
    assert b"Yes, review keeps up" in response.content


def test_the_data_answers_no_once_the_queue_reaches_the_limits(curated):
    limits = settings_for(curated)
    assert scale_review_answer(review_capacity(curated), limits) == ""  # no data yet
    waiting(curated, 24)
    assert scale_review_answer(review_capacity(curated), limits) == "yes"
    waiting(curated, 1)
    assert scale_review_answer(review_capacity(curated), limits) == "no"


def test_no_suggestion_below_the_threshold(curated):
    waiting(curated, 24, days_ago=13)
    assert services.revisit_check(organization=curated) is None
    assert not RevisitSuggestion.objects.exists()


def test_a_suggestion_at_twenty_five_waiting(curated):
    waiting(curated, 25)
    suggestion = services.revisit_check(organization=curated)
    assert suggestion is not None
    assert suggestion.waiting == 25
    assert "25 applications are waiting (your limit is 25)" in suggestion.reason
    # recorded once: checking again finds the same open suggestion
    assert services.revisit_check(organization=curated) == suggestion
    assert RevisitSuggestion.objects.count() == 1


def test_a_suggestion_at_fourteen_days_oldest_wait(curated):
    waiting(curated, 1, days_ago=14)
    suggestion = services.revisit_check(organization=curated)
    assert suggestion is not None
    assert "waited 14 days (your limit is 14)" in suggestion.reason


def test_the_organization_sets_its_own_threshold(curated, owner):
    services.program_settings_save(organization=curated, actor=owner, revisit_queue_length=3)
    waiting(curated, 3)
    assert services.revisit_check(organization=curated) is not None


def test_the_confirmation_that_fills_the_queue_records_the_suggestion(curated, owner, confirmed):
    services.program_settings_save(organization=curated, actor=owner, revisit_queue_length=2)
    confirmed(curated, contact_email="one@x.example")
    assert not RevisitSuggestion.objects.exists()
    confirmed(curated, contact_email="two@x.example")
    assert RevisitSuggestion.objects.filter(resolved_at__isnull=True).count() == 1


def test_an_open_program_gets_no_suggestion(open_program):
    waiting(open_program, 30, days_ago=20)
    assert services.revisit_check(organization=open_program) is None


def test_running_the_decision_again_answers_the_suggestion(curated, owner):
    waiting(curated, 25)
    suggestion = services.revisit_check(organization=curated)
    flow_record(
        organization=curated,
        kind=FlowRun.Kind.PROGRAM,
        answers={"brand_risk": "yes"},
        final_choice=Organization.Program.CURATED,
        actor=owner,
    )
    # a team that just looked at the numbers is not nagged again for a month
    assert services.revisit_check(organization=curated) is None
    suggestion.refresh_from_db()
    assert suggestion.resolved_at is not None and suggestion.resolution == "decided"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert services.revisit_check(organization=curated) is not None


def test_the_daily_scan_and_the_pages_show_the_suggestion(curated, owner_client, manager_client):
    waiting(curated, 25)
    assert services.revisit_check_all() == 1
    queue = manager_client.get(reverse("programs:index"))
    assert b'data-testid="revisit"' in queue.content
    decisions = manager_client.get(reverse("programs:revisit"))
    assert b"25 applications are waiting" in decisions.content
    suggestion = RevisitSuggestion.objects.get()
    dismiss = reverse("programs:revisit_dismiss", kwargs={"suggestion_uuid": suggestion.uuid})
    assert manager_client.post(dismiss).status_code == 403
    assert owner_client.post(dismiss).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.resolution == "dismissed"


def test_a_dismissed_suggestion_is_not_made_again_for_a_month(curated, owner):
    waiting(curated, 25)
    services.revisit_dismiss(suggestion=services.revisit_check(organization=curated), actor=owner)
    assert services.revisit_check(organization=curated) is None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert services.revisit_check(organization=curated) is not None
