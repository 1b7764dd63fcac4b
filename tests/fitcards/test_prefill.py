"""A new card starts from what the partnership already says, and the step says where the
text came from until someone changes it (issue 18.7)."""

import re

import pytest
from django.urls import reverse

from fitcards import services
from fitcards.models import FitCardDraft
from fitcards.prefill import split_exit_path
from fitcards.presentation import exit_path_summary


def _step(client, partnership, slug) -> str:
    return client.get(reverse("fitcards:step", args=[partnership.uuid, slug])).content.decode()


def _value(body: str, name: str) -> str:
    """The text a textarea or input of the page holds."""
    found = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', body, re.DOTALL)
    if found:
        return found.group(1)
    found = re.search(rf'<input type="text" name="{name}" value="([^"]*)"', body)
    return found.group(1) if found else ""


def test_capability_step_starts_from_the_partnerships_claim_and_says_so(
    manager_client, partnership
):
    body = _step(manager_client, partnership, "capability")
    assert _value(body, "capability_provided") == "a managed dispute desk"
    assert _value(body, "uncertainty_reduced") == "chargeback handling at our scale"
    assert "Prefilled from the partnership&#x27;s claim (Capability C)" in body
    assert "Prefilled from the partnership&#x27;s claim (Uncertainty X)" in body
    assert reverse("partnerships:partnership_detail", args=[partnership.uuid]) in body


def test_exit_step_starts_from_the_partnerships_exit_path(manager_client, partnership):
    partnership.exit_path = "Six weeks to drop the connector; customers export mappings as CSV."
    partnership.save(update_fields=["exit_path"])
    body = _step(manager_client, partnership, "exit")
    assert _value(body, "exit_time") == partnership.exit_path
    assert "Prefilled from the partnership&#x27;s exit path" in body


def test_an_exit_path_written_by_a_finished_card_splits_back_into_its_parts():
    card = {"exit_time": "2.5 weeks", "exit_cost": "€25k.", "exit_data_portability": "CSV"}
    assert split_exit_path(exit_path_summary(card)) == {
        "exit_time": "2.5 weeks",
        "exit_cost": "€25k",
        "exit_data_portability": "CSV",
    }
    assert split_exit_path("") == {}


def test_the_source_note_goes_once_the_text_is_changed(manager_client, partnership):
    url = reverse("fitcards:autosave", args=[partnership.uuid, "capability"])
    manager_client.post(
        url,
        {
            "capability_provided": "A dispute desk staffed around the clock",
            "uncertainty_reduced": "chargeback handling at our scale\r\n",
        },
    )
    body = _step(manager_client, partnership, "capability")
    assert "(Capability C)" not in body
    assert "(Uncertainty X)" in body  # unchanged (a browser's line end does not count)


def test_a_prefilled_draft_finishes_with_the_prefilled_text(partnership, manager, answers):
    for slug in ("incentives", "integration", "evidence", "claim"):
        services.draft_save(partnership=partnership, actor=manager, step=slug, values=answers[slug])
    services.draft_save(
        partnership=partnership,
        actor=manager,
        step="exit",
        values={"exit_time": "Eight weeks", "exit_cost": "40k", "exit_data_portability": "CSV"},
    )
    assert FitCardDraft.objects.get().data["capability_provided"] == "a managed dispute desk"
    services.fitcard_finish(partnership=partnership, actor=manager)
    assert partnership.fit_card.capability_provided == "a managed dispute desk"


@pytest.mark.django_db
def test_a_finished_cards_own_text_is_not_replaced(partnership, filled_draft, manager):
    services.fitcard_finish(partnership=partnership, actor=manager)
    raw = services.initial_raw(partnership)
    assert raw["capability_provided"] == "A managed dispute desk for card chargebacks"
    assert "capability_provided" not in raw.get("_prefilled", {})
