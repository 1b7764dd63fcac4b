"""Every fit card URL tried as owner, manager, viewer and outsider."""

import pytest
from django.urls import reverse

from fitcards import services

ROLES = ["owner", "manager", "viewer", "outsider"]


@pytest.fixture
def finished(partnership, manager, filled_draft):
    services.fitcard_finish(partnership=partnership, actor=manager)
    services.draft_save(
        partnership=partnership,
        actor=manager,
        step="capability",
        values={"capability_provided": "Changed", "uncertainty_reduced": "Also changed"},
    )
    services.fitcard_finish(partnership=partnership, actor=manager)
    return partnership


def _read_urls(p):
    uuid = p.uuid
    return [
        reverse("fitcards:detail", args=[uuid]),
        reverse("fitcards:history", args=[uuid]),
        reverse("fitcards:compare", args=[uuid]) + "?a=1&b=2",
        reverse("fitcards:pdf", args=[uuid]),
        reverse("fitcards:pdf", args=[uuid]) + "?revision=1",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_card_pages_are_readable_by_members_and_hidden_from_outsiders(role, role_clients, finished):
    expected = 404 if role == "outsider" else 200
    for url in _read_urls(finished):
        assert role_clients[role].get(url).status_code == expected, url


@pytest.mark.parametrize("role", ROLES)
def test_list_and_blank_templates_open_for_every_member(role, role_clients, finished):
    for name in ("fitcards:index", "fitcards:blank_fitcard", "fitcards:blank_evidence_log"):
        response = role_clients[role].get(reverse(name))
        assert response.status_code == 200, name


def test_outsider_list_does_not_show_another_organizations_partnerships(outsider_client, finished):
    body = outsider_client.get(reverse("fitcards:index")).content.decode()
    assert finished.name not in body


def test_anonymous_visitor_is_sent_to_login(client, partnership):
    response = client.get(reverse("fitcards:detail", args=[partnership.uuid]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def _write_requests(p):
    uuid = p.uuid
    return [
        ("get", reverse("fitcards:edit", args=[uuid]), {}, 302),
        ("get", reverse("fitcards:step", args=[uuid, "capability"]), {}, 200),
        ("get", reverse("fitcards:step", args=[uuid, "review"]), {}, 200),
        (
            "post",
            reverse("fitcards:step", args=[uuid, "capability"]),
            {"nav": "save", "capability_provided": "x", "uncertainty_reduced": "y"},
            302,
        ),
        (
            "post",
            reverse("fitcards:autosave", args=[uuid, "capability"]),
            {"capability_provided": "typed"},
            200,
        ),
        ("post", reverse("fitcards:finish", args=[uuid]), {}, 422),
        ("post", reverse("fitcards:discard", args=[uuid]), {}, 302),
    ]


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_writers_can_use_the_flow(role, role_clients, partnership):
    for method, url, data, expected in _write_requests(partnership):
        response = getattr(role_clients[role], method)(url, data)
        assert response.status_code == expected, (method, url)


def test_viewer_cannot_edit_the_fit_card(viewer_client, partnership):
    for method, url, data, _expected in _write_requests(partnership):
        response = getattr(viewer_client, method)(url, data)
        assert response.status_code == 403, (method, url)
    from fitcards.models import FitCardDraft

    assert not FitCardDraft.objects.exists()


def test_outsider_cannot_reach_the_flow_of_another_organization(outsider_client, partnership):
    for method, url, data, _expected in _write_requests(partnership):
        response = getattr(outsider_client, method)(url, data)
        assert response.status_code == 404, (method, url)
    from fitcards.models import FitCardDraft

    assert not FitCardDraft.objects.exists()


def test_viewer_sees_no_edit_link_on_the_card(viewer_client, finished):
    body = viewer_client.get(reverse("fitcards:detail", args=[finished.uuid])).content.decode()
    assert reverse("fitcards:edit", args=[finished.uuid]) not in body
    assert "Download PDF" in body


def test_unknown_step_is_404(manager_client, partnership):
    url = reverse("fitcards:step", args=[partnership.uuid, "nonsense"])
    assert manager_client.get(url).status_code == 404
