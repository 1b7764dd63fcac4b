"""Each step validates its own fields, keeps what was typed, and moves on only when valid."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from fitcards.models import FitCardDraft
from tests.factories import MembershipFactory, UserFactory


def _post(client, partnership, step, data, nav="next", **extra):
    url = reverse("fitcards:step", args=[partnership.uuid, step])
    return client.post(url, {"nav": nav, **data}, **extra)


def _errors(response) -> dict:
    form = response.context["form"]
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


@pytest.mark.parametrize("step", ["capability", "incentives", "integration", "evidence", "exit"])
def test_valid_step_moves_to_the_next_one(step, manager_client, partnership, answers):
    response = _post(manager_client, partnership, step, answers[step])
    assert response.status_code == 302
    draft = FitCardDraft.objects.get(partnership=partnership)
    following = ["capability", "incentives", "integration", "evidence", "exit", "claim"]
    assert draft.current_step == following[following.index(step) + 1]
    assert response["Location"].endswith(f"/edit/{draft.current_step}/")


def test_capability_step_requires_capability_and_uncertainty(manager_client, partnership):
    response = _post(manager_client, partnership, "capability", {"capability_provided": " "})
    assert response.status_code == 422
    assert set(_errors(response)) == {"capability_provided", "uncertainty_reduced"}
    assert FitCardDraft.objects.get(partnership=partnership).current_step == "capability"


def test_incentives_step_requires_a_conflict_risk_with_its_early_signal(
    manager_client, partnership
):
    response = _post(manager_client, partnership, "incentives", {"incentives": "Fees"})
    assert response.status_code == 422
    assert "at least one conflict risk" in _errors(response)["risk_1"][0]

    response = _post(
        manager_client,
        partnership,
        "incentives",
        {"incentives": "Fees", "risk_1": "They favour their own product"},
    )
    assert response.status_code == 422
    assert "observe this risk early" in _errors(response)["signal_1"][0]

    response = _post(
        manager_client,
        partnership,
        "incentives",
        {"incentives": "Fees", "risk_1": "A", "signal_1": "B", "signal_2": "orphan signal"},
    )
    assert response.status_code == 422
    assert list(_errors(response)) == ["risk_2"]


def test_integration_step_requires_surface_and_single_points_of_failure(
    manager_client, partnership
):
    response = _post(manager_client, partnership, "integration", {"integration_surface": "API"})
    assert response.status_code == 422
    assert list(_errors(response)) == ["single_points_of_failure"]


def test_evidence_step_requires_each_artifact_to_state_its_limit(manager_client, partnership):
    response = _post(manager_client, partnership, "evidence", {})
    assert "at least one evidence artifact" in _errors(response)["artifact_1"][0]
    response = _post(
        manager_client, partnership, "evidence", {"kind_1": "pilot", "artifact_1": "Pilot"}
    )
    assert response.status_code == 422
    assert "limitation" in _errors(response)["limit_1"][0]
    response = _post(manager_client, partnership, "evidence", {"kind_1": "bogus"})
    assert "kind_1" in _errors(response)


def test_exit_step_requires_time_cost_and_portability(manager_client, partnership):
    response = _post(manager_client, partnership, "exit", {"exit_time": "Two months"})
    assert response.status_code == 422
    assert set(_errors(response)) == {"exit_cost", "exit_data_portability"}


def test_claim_step_requires_every_part_of_the_claim(manager_client, partnership):
    response = _post(manager_client, partnership, "claim", {})
    assert response.status_code == 422
    errors = _errors(response)
    for name in (
        "claim_uncertainty",
        "claim_capability",
        "claim_boundary",
        "claim_evidence",
        "boundary_not_established",
        "deferral_date",
        "unwind_condition",
        "unwind_authorizer",
    ):
        assert name in errors


def test_claim_boundary_line_must_not_repeat_x(manager_client, partnership, answers):
    data = {**answers["claim"], "boundary_not_established": "Chargeback handling at our scale"}
    response = _post(manager_client, partnership, "claim", data)
    assert response.status_code == 422
    assert "must differ from X" in _errors(response)["boundary_not_established"][0]


def test_claim_deferral_date_cannot_be_a_new_date_in_the_past(manager_client, partnership, answers):
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    data = {**answers["claim"], "deferral_date": past}
    response = _post(manager_client, partnership, "claim", data)
    assert response.status_code == 422
    assert "future" in _errors(response)["deferral_date"][0]


def test_unwind_authorizer_must_be_a_manager_or_owner_of_the_organization(
    manager_client, partnership, answers, viewer, outsider, org
):
    for person in (viewer, outsider):
        data = {**answers["claim"], "unwind_authorizer": str(person.uuid)}
        response = _post(manager_client, partnership, "claim", data)
        assert response.status_code == 422
        assert "unwind_authorizer" in _errors(response)
    colleague = UserFactory(email="colleague@northwind.test")
    MembershipFactory(organization=org, user=colleague, role=Role.MANAGER)
    data = {**answers["claim"], "unwind_authorizer": str(colleague.uuid)}
    assert _post(manager_client, partnership, "claim", data).status_code == 302


def test_invalid_step_keeps_what_was_typed(manager_client, partnership):
    _post(manager_client, partnership, "capability", {"capability_provided": "Dispute desk"})
    draft = FitCardDraft.objects.get(partnership=partnership)
    assert draft.data["capability_provided"] == "Dispute desk"
    page = manager_client.get(reverse("fitcards:step", args=[partnership.uuid, "capability"]))
    assert "Dispute desk" in page.content.decode()


def test_back_saves_input_without_validating(manager_client, partnership):
    response = _post(manager_client, partnership, "incentives", {"incentives": "Half"}, nav="back")
    assert response.status_code == 302
    assert response["Location"].endswith("/edit/capability/")
    draft = FitCardDraft.objects.get(partnership=partnership)
    assert draft.data["incentives"] == "Half"
    assert draft.current_step == "capability"


def test_save_draft_stays_on_the_step(manager_client, partnership, answers):
    response = _post(manager_client, partnership, "exit", answers["exit"], nav="save")
    assert response.status_code == 302
    assert response["Location"].endswith("/edit/exit/")


def test_htmx_next_swaps_the_flow_and_pushes_the_step_url(manager_client, partnership, answers):
    response = _post(
        manager_client, partnership, "capability", answers["capability"], HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"].endswith("/edit/incentives/")
    body = response.content.decode()
    assert 'id="flow"' in body and "<html" not in body
    assert "Step 2 of 7" in body


def test_htmx_invalid_step_returns_422_with_field_errors(manager_client, partnership):
    response = _post(manager_client, partnership, "exit", {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    body = response.content.decode()
    assert "errorlist" in body and "<html" not in body


def test_each_field_shows_the_seed_wording_as_help(manager_client, partnership):
    def page(step):
        url = reverse("fitcards:step", args=[partnership.uuid, step])
        return manager_client.get(url).content.decode()

    assert "Capability provided (and what uncertainty it reduces)" in page("capability")
    assert "Include one conflict risk and how you would observe it early" in page("incentives")
    assert "single points of failure" in page("integration").lower()
    assert "pilot results, references, SLA history" in page("evidence")
    assert "what would it cost to unwind" in page("exit").lower()
    claim = page("claim")
    assert "it does not establish Y" in claim
    assert "If evidence remains ambiguous by date D, we defer" in claim
    assert "Define one unwind trigger that is observable" in claim


def test_claim_deferral_date_of_the_organizations_today_is_not_in_the_past(
    manager_client, partnership, answers, org
):
    """At 20:00 in Honolulu UTC is already on the next day; the organization's today counts."""
    import time_machine

    org.time_zone = "Pacific/Honolulu"
    org.save(update_fields=["time_zone"])
    honolulu = ZoneInfo("Pacific/Honolulu")
    day = timezone.now().astimezone(honolulu).date() + datetime.timedelta(days=1)
    local_evening = datetime.datetime.combine(day, datetime.time(20, 0), tzinfo=honolulu)
    with time_machine.travel(local_evening, tick=False):
        assert timezone.now().date() > day  # UTC is on the next day
        data = {**answers["claim"], "deferral_date": day.isoformat()}
        response = _post(manager_client, partnership, "claim", data)
        assert response.status_code == 302
        assert response["Location"].endswith("/edit/review/")
        yesterday = (day - datetime.timedelta(days=1)).isoformat()
        response = _post(manager_client, partnership, "claim", {**data, "deferral_date": yesterday})
        assert response.status_code == 422
        assert "future" in _errors(response)["deferral_date"][0]
