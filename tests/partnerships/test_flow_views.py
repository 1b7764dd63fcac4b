"""The decision flows as pages: one question at a time, gates shown before a go."""

from django.urls import reverse

from partnerships.extensions import PHASE_GATES
from partnerships.models import FlowRun, Phase
from tests.partnerships.helpers import HTMX, detail_url, fake_gate, flow_url

# --- flows ----------------------------------------------------------------------------------


def test_flow_asks_one_question_at_a_time(manager_client, partnership):
    page = manager_client.get(flow_url(partnership, "tier")).content.decode()
    assert "engineering resources to self-serve" in page and "marquee" not in page
    page = manager_client.get(flow_url(partnership, "tier"), {"self_serve": "no"}, **HTMX)
    body = page.content.decode()
    assert "<html" not in body and "marquee logo" in body
    page = manager_client.get(
        flow_url(partnership, "tier"), {"self_serve": "no", "marquee": "no"}
    ).content.decode()
    assert "Recommendation: Tier 2" in page


def test_flow_override_needs_a_reason(manager_client, partnership):
    data = {"self_serve": "yes", "final_choice": "3", "override_reason": ""}
    response = manager_client.post(flow_url(partnership, "tier"), data, **HTMX)
    assert response.status_code == 422
    assert "say why" in response.content.decode()
    data["override_reason"] = "Marquee logo after all"
    response = manager_client.post(flow_url(partnership, "tier"), data)
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.tier == 3
    page = manager_client.get(detail_url(partnership)).content.decode()
    assert "overrode the recommendation" in page and "Marquee logo after all" in page


def test_go_decision_shows_gate_blockers(manager_client, partnership):
    charter = fake_gate(lambda p, to: ["The charter must be executed by both sides before walk."])
    with PHASE_GATES.only(charter):
        response = manager_client.post(
            flow_url(partnership, "crawl-to-walk"),
            {"crawl_met": "yes", "final_choice": "go", "success_criteria": "x"},
            **HTMX,
        )
    assert response.status_code == 422
    assert "The charter must be executed by both sides before walk." in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.phase == Phase.CRAWL


def test_go_no_go_page_for_the_wrong_phase_says_so(manager_client, partnership):
    page = manager_client.get(flow_url(partnership, "walk-to-run")).content.decode()
    assert "This go / no-go is for a partnership in Walk" in page


def test_unknown_flow_is_404(manager_client, partnership):
    assert manager_client.get(flow_url(partnership, "program")).status_code == 404


def test_build_vs_partner_leads_to_the_create_form(manager_client, partner):
    url = reverse("partnerships:flow_build_vs_partner")
    response = manager_client.post(
        url,
        {
            "core": "no",
            "roadmap": "yes",
            "final_choice": "partner",
            "subject": "Card acquiring",
            "partner": str(partner.uuid),
        },
    )
    run = FlowRun.objects.get()
    assert response.status_code == 302
    assert f"flow={run.uuid}" in response["Location"]
    form = manager_client.get(response["Location"]).content.decode()
    assert "Build vs partner said" in form and "Card acquiring" in form


def test_build_decision_goes_to_the_decision_history(manager_client):
    url = reverse("partnerships:flow_build_vs_partner")
    response = manager_client.post(
        url, {"core": "yes", "final_choice": "build", "subject": "Invoice editor"}
    )
    assert response["Location"] == reverse("partnerships:flow_history")
    page = manager_client.get(response["Location"]).content.decode()
    assert "Invoice editor" in page


def test_go_no_go_page_previews_what_blocks_a_go(manager_client, partnership):
    evidence = fake_gate(lambda p, to: [f"Need 2 pilot entries before {to}."])
    with PHASE_GATES.only(evidence):
        page = manager_client.get(flow_url(partnership, "crawl-to-walk")).content.decode()
    assert "A go is not possible yet" in page and "Need 2 pilot entries before walk." in page


def test_the_go_no_go_recommends_what_can_be_done_under_a_refusing_gate(
    manager_client, partnership
):
    evidence = fake_gate(lambda p, to: ["Evidence: two pilot entries."], phases=(Phase.WALK,))
    with PHASE_GATES.only(evidence):
        page = manager_client.get(
            flow_url(partnership, "crawl-to-walk"), {"crawl_met": "yes"}
        ).content.decode()
        assert "Recommendation: Go" not in page
        assert "Recommendation: Not yet: stay in Crawl and close the gaps" in page
        assert "Evidence: two pilot entries." in page
        assert 'value="wait" id="id_final_choice_1" required checked>' in page
        response = manager_client.post(
            flow_url(partnership, "crawl-to-walk"), {"crawl_met": "yes", "final_choice": "wait"}
        )
    assert response.status_code == 302
    run = FlowRun.objects.get()
    assert run.recommendation == "wait" and run.final_choice == "wait"
    partnership.refresh_from_db()
    assert partnership.phase == Phase.CRAWL
