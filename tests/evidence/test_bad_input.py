"""Bad query parameters are a clear 404 or an ignored filter, never a 500."""

import pytest
from django.urls import reverse

from evidence.paging import MAX_PAGE, page_number
from tests.factories import PartnershipFactory

from .factories import log_evidence

pytestmark = pytest.mark.django_db

NOT_UUIDS = ["abc", "1", "%00", "\x00", "' OR 1=1 --", "0" * 500, "{}", "[]", "é"]


@pytest.fixture
def partnership(org, owner):
    partnership = PartnershipFactory(organization=org, owner=owner, status="active")
    log_evidence(partnership)
    return partnership


@pytest.mark.parametrize("value", NOT_UUIDS)
@pytest.mark.parametrize(
    "name", ["evidence:entry_new", "evidence:export_csv", "evidence:export_pdf"]
)
def test_a_partnership_parameter_that_is_not_a_uuid_is_a_404(manager_client, name, value):
    response = manager_client.get(reverse(name), {"partnership": value})
    assert response.status_code == 404


def test_posting_evidence_for_a_malformed_partnership_is_a_404(manager_client):
    response = manager_client.post(reverse("evidence:entry_new") + "?partnership=abc", {})
    assert response.status_code == 404


def test_an_unknown_uuid_is_a_404_and_an_empty_one_means_no_partnership(manager_client):
    unknown = "6f1c3b0e-8c1d-4c7e-9a4e-2d5b1f0c9a77"
    assert (
        manager_client.get(reverse("evidence:export_csv"), {"partnership": unknown}).status_code
        == 404
    )
    assert (
        manager_client.get(reverse("evidence:export_csv"), {"partnership": ""}).status_code == 200
    )
    assert manager_client.get(reverse("evidence:entry_new"), {"partnership": ""}).status_code == 200


@pytest.mark.parametrize(
    "page", ["922337203685477581", "9" * 30, "1" * 5000, "-5", "0", "1e9", "two", "", "\x00", "٣"]
)
@pytest.mark.parametrize("filtered", [True, False])
def test_any_page_number_gives_a_page(viewer_client, partnership, page, filtered):
    query = {"page": page, **({"q": "x"} if filtered else {})}
    response = viewer_client.get(reverse("evidence:log"), query)
    assert response.status_code == 200
    url = reverse("evidence:partnership_log", kwargs={"uuid": partnership.uuid})
    assert viewer_client.get(url, query).status_code == 200


def test_page_numbers_are_clamped_to_a_safe_range():
    assert page_number("922337203685477581") == MAX_PAGE
    assert page_number(None) == 1 and page_number("-3") == 1 and page_number("x") == 1
    assert page_number(" 7 ") == 7
    assert (MAX_PAGE - 1) * 25 < 2**63 - 1


@pytest.mark.parametrize(
    "query",
    [
        {"approver": "abc"},
        {"approver": "99999999999999999999999"},
        {"partner": "abc"},
        {"partner": "-1"},
        {"quality": "legendary"},
        {"date_from": "99999-01-01"},
        {"date_to": "2026-02-30"},
        {"date_from": "2026-03-01", "date_to": "2026-01-01"},
        {"q": "chargeback\x00"},
        {"q": "x" * 10_000},
        {"q": "!!! & | ( ) : * ' \""},
        {"decision": ["go", "no_go"]},
    ],
)
def test_bad_filters_are_ignored_not_a_500(viewer_client, partnership, query):
    for name, kwargs in (
        ("evidence:log", {}),
        ("evidence:partnership_log", {"uuid": partnership.uuid}),
        ("evidence:export_csv", {}),
    ):
        response = viewer_client.get(reverse(name, kwargs=kwargs), query)
        assert response.status_code == 200, name
        if response.streaming:
            b"".join(response.streaming_content)
