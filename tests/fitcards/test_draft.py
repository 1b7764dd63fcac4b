"""Drafts are saved as people type and resume where they were left; finishing writes once."""

import pytest
from django.urls import reverse

from fitcards import services
from fitcards.models import FitCard, FitCardDraft, FitCardRevision
from partnerships.models import PartnershipEvent


def test_autosave_stores_typed_input_and_previews_the_claim(manager_client, partnership):
    url = reverse("fitcards:autosave", args=[partnership.uuid, "claim"])
    response = manager_client.post(
        url,
        {"claim_uncertainty": "refund latency", "claim_capability": "instant refunds"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="live-sentences" hx-swap-oob="innerHTML"' in body and "<html" not in body
    assert (
        "We believe Stripe-like Payments can reduce uncertainty about refund latency because "
        "they provide capability instant refunds" in body
    )
    assert "This partnership reduces uncertainty about refund latency" in body
    draft = FitCardDraft.objects.get(partnership=partnership)
    assert draft.data["claim_uncertainty"] == "refund latency"


def test_autosave_only_takes_the_fields_of_its_step(manager_client, partnership):
    url = reverse("fitcards:autosave", args=[partnership.uuid, "exit"])
    manager_client.post(url, {"exit_time": "Six weeks", "claim_uncertainty": "sneaky"})
    data = FitCardDraft.objects.get(partnership=partnership).data
    assert data["exit_time"] == "Six weeks"
    assert data["claim_uncertainty"] == partnership.claim_uncertainty


def test_new_draft_starts_from_the_partnerships_current_claim(manager_client, partnership):
    page = manager_client.get(reverse("fitcards:step", args=[partnership.uuid, "claim"]))
    assert partnership.claim_boundary in page.content.decode()
    assert not FitCardDraft.objects.exists()  # opening a step writes nothing


def test_coming_back_resumes_at_the_step_where_the_draft_was_left(
    manager_client, owner_client, partnership, answers
):
    for step in ("capability", "incentives", "integration"):
        url = reverse("fitcards:step", args=[partnership.uuid, step])
        manager_client.post(url, {"nav": "next", **answers[step]})
    manager_client.post(
        reverse("fitcards:autosave", args=[partnership.uuid, "evidence"]),
        {"artifact_1": "Half-typed pilot"},
    )
    # A new session (the browser was closed): the edit link resumes at the evidence step.
    response = owner_client.get(reverse("fitcards:edit", args=[partnership.uuid]))
    assert response["Location"].endswith("/edit/evidence/")
    page = owner_client.get(response["Location"]).content.decode()
    assert "Half-typed pilot" in page
    assert "Draft saved" in page


def test_completeness_lists_what_is_still_missing(manager_client, partnership, answers):
    services.draft_save(
        partnership=partnership, actor=None, step="capability", values=answers["capability"]
    )
    page = manager_client.get(reverse("fitcards:step", args=[partnership.uuid, "review"]))
    body = page.content.decode()
    assert "A conflict risk with its early signal" in body
    assert "An evidence artifact with its limit" in body
    assert "Capability provided</a>" not in body
    completeness = page.context["completeness"]
    assert 0 < completeness.percent < 100


def test_finishing_saves_a_revision_and_updates_the_partnership(
    manager_client, partnership, filled_draft, owner
):
    response = manager_client.post(reverse("fitcards:finish", args=[partnership.uuid]))
    assert response.status_code == 302
    card = FitCard.objects.get(partnership=partnership)
    assert card.revision_count == 1
    assert card.conflict_risks[0]["early_signal"].startswith("Merchants ask us")
    assert len(card.evidence_artifacts) == 2
    revision = FitCardRevision.objects.get(fit_card=card)
    assert revision.number == 1 and revision.completeness == 100
    partnership.refresh_from_db()
    assert partnership.claim_evidence == "a six-week pilot with twenty merchants"
    assert partnership.unwind_authorizer == owner
    assert "Eight weeks" in partnership.exit_path
    assert "Full transaction export" in partnership.exit_path
    assert "40k EUR" in partnership.exit_path
    event = PartnershipEvent.objects.get(partnership=partnership, kind="fit_card")
    assert "revision 1" in event.summary
    assert not FitCardDraft.objects.filter(partnership=partnership).exists()


def test_finishing_twice_writes_one_revision(manager_client, partnership, filled_draft):
    url = reverse("fitcards:finish", args=[partnership.uuid])
    manager_client.post(url)
    manager_client.post(url)
    assert FitCardRevision.objects.count() == 1
    assert PartnershipEvent.objects.filter(kind="fit_card").count() == 1


def test_finishing_an_incomplete_draft_sends_back_to_the_step_and_writes_nothing(
    manager_client, partnership, filled_draft
):
    services.draft_save(
        partnership=partnership, actor=None, step="exit", values={"exit_time": "soon"}
    )
    response = manager_client.post(
        reverse("fitcards:finish", args=[partnership.uuid]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert response.context["step"].slug == "exit"
    assert "needs attention" in response.content.decode()
    assert not FitCard.objects.exists()
    partnership.refresh_from_db()
    assert partnership.exit_path == ""


def test_discarding_the_draft_keeps_the_finished_card(manager_client, partnership, filled_draft):
    services.fitcard_finish(partnership=partnership, actor=None)
    services.draft_save(
        partnership=partnership, actor=None, step="exit", values={"exit_time": "changed"}
    )
    manager_client.post(reverse("fitcards:discard", args=[partnership.uuid]))
    assert not FitCardDraft.objects.exists()
    assert FitCard.objects.get().exit_time == "Eight weeks"


@pytest.mark.django_db
def test_a_revision_after_finishing_starts_from_the_finished_card(partnership, filled_draft):
    services.fitcard_finish(partnership=partnership, actor=None)
    raw = services.initial_raw(partnership)
    assert raw["risk_1"] == "They push merchants to their own invoicing product"
    assert raw["kind_2"] == "sla"
    assert raw["deferral_date"] == partnership.deferral_date.isoformat()


def test_review_warns_when_the_claim_was_edited_elsewhere_meanwhile(
    manager_client, partnership, filled_draft
):
    url = reverse("fitcards:step", args=[partnership.uuid, "review"])
    assert "edited elsewhere" not in manager_client.get(url).content.decode()
    partnership.claim_boundary = "Edited on the partnership page"
    partnership.save(update_fields=["claim_boundary"])
    body = manager_client.get(url).content.decode()
    assert "edited elsewhere (Boundary B)" in body
