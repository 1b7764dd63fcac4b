"""Dates that make sense: deferral, phase start, launch and checklist dates (issue 12.3)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.clock import org_today
from partnerships.launch import launch_plan_create
from partnerships.models import Partnership, Phase
from partnerships.services import partnership_change_phase, partnership_create
from tests.partnerships.helpers import HTMX, detail_url, flow_url, partnership_form

DAY = datetime.timedelta(days=1)


def _create_url():
    return reverse("partnerships:partnership_create")


def test_a_deferral_date_in_the_past_is_refused_on_create(manager_client, org, partner, manager):
    yesterday = (org_today(org) - DAY).isoformat()
    response = manager_client.post(
        _create_url(), partnership_form(partner, manager, deferral_date=yesterday), **HTMX
    )
    assert response.status_code == 422
    assert "this is when you will defer" in response.content.decode()
    assert not Partnership.objects.exists()
    today = org_today(org).isoformat()
    response = manager_client.post(
        _create_url(), partnership_form(partner, manager, deferral_date=today)
    )
    assert response.status_code == 302


def test_the_service_refuses_a_past_deferral_date_too(org, partner, manager):
    with pytest.raises(ValidationError) as exc:
        partnership_create(
            organization=org,
            actor=manager,
            partner=partner,
            name="Backdated",
            leverage="economic",
            owner=manager,
            claim_uncertainty="x",
            deferral_date=org_today(org) - DAY,
        )
    assert "deferral_date" in exc.value.message_dict


def test_a_deferral_date_that_has_passed_may_stay_while_editing_but_not_move_into_the_past(
    manager_client, partnership, manager
):
    passed = org_today(partnership.organization) - datetime.timedelta(days=5)
    Partnership.objects.filter(pk=partnership.pk).update(deferral_date=passed)
    partnership.refresh_from_db()
    data = partnership_form(
        partnership.partner,
        manager,
        name=partnership.name,
        deferral_date=passed.isoformat(),
        exit_path="Two weeks",
        unwind_condition=partnership.unwind_condition,
        unwind_authorizer=partnership.unwind_authorizer.pk,
        approver=partnership.approver.pk,
    )
    url = reverse("partnerships:partnership_edit", kwargs={"partnership_uuid": partnership.uuid})
    assert manager_client.post(url, data).status_code == 302
    data["deferral_date"] = (passed - DAY).isoformat()
    assert manager_client.post(url, data, **HTMX).status_code == 422


def test_the_deferral_field_says_the_allowed_range(manager_client, org):
    page = manager_client.get(_create_url()).content.decode()
    today = org_today(org)
    assert f"From today ({today.day} {today:%b %Y})" in page


def test_a_passed_deferral_date_is_flagged_on_the_page_and_the_dashboard(
    manager_client, partnership
):
    passed = org_today(partnership.organization) - DAY
    Partnership.objects.filter(pk=partnership.pk).update(deferral_date=passed)
    assert (
        'data-flag="deferral_passed"'
        in manager_client.get(detail_url(partnership)).content.decode()
    )
    dashboard = manager_client.get(reverse("dashboard")).content.decode()
    assert "Deferral date passed" in dashboard and partnership.name in dashboard


def test_a_go_needs_the_next_phases_success_criteria(manager_client, partnership):
    data = {"crawl_met": "yes", "final_choice": "go", "success_criteria": "  "}
    response = manager_client.post(flow_url(partnership, "crawl-to-walk"), data, **HTMX)
    assert response.status_code == 422
    assert "next phase&#x27;s success criteria" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.phase == Phase.CRAWL
    data = {"crawl_met": "no", "final_choice": "end"}  # ending starts no phase
    assert manager_client.post(flow_url(partnership, "crawl-to-walk"), data).status_code == 302


def test_a_phase_cannot_start_in_the_future_or_before_the_current_one(partnership, manager):
    today = org_today(partnership.organization)
    for day in (today + DAY, partnership.phase_started_on - DAY):
        with pytest.raises(ValidationError):
            partnership_change_phase(
                partnership=partnership, to_phase=Phase.WALK, actor=manager, reason="r", on_date=day
            )
    partnership.refresh_from_db()
    assert partnership.phase == Phase.CRAWL


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2100-01-01"])
def test_a_launch_date_out_of_range_is_a_form_error_not_a_500(manager_client, partnership, value):
    url = reverse("partnerships:launch_plan", kwargs={"partnership_uuid": partnership.uuid})
    response = manager_client.post(url, {"launch_on": value})
    assert response.status_code == 422
    assert "Choose a launch date from" in response.content.decode()
    with pytest.raises(ValidationError):
        launch_plan_create(
            partnership=partnership, launch_on=datetime.date.fromisoformat(value), actor=None
        )


def test_a_checklist_item_is_due_within_a_year_of_the_launch(manager_client, partnership, manager):
    today = org_today(partnership.organization)
    plan = launch_plan_create(partnership=partnership, launch_on=today, actor=manager)
    item = plan.items.first()
    url = reverse("partnerships:launch_item_edit", kwargs={"item_uuid": item.uuid})
    page = manager_client.get(url, **HTMX).content.decode()
    assert "Within a year of the launch" in page
    late = (today + datetime.timedelta(days=400)).isoformat()
    response = manager_client.post(url, {"owner": manager.pk, "due_on": late}, **HTMX)
    assert response.status_code == 422
    item.refresh_from_db()
    assert item.due_on != datetime.date.fromisoformat(late)
