"""Every error is application/problem+json with the same members, and field errors name
the field at fault: the input's shape (pydantic), the pages' forms, and the services' rules."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

MEMBERS = {"type", "title", "status", "detail", "code", "errors"}


def _problem(response, status):
    assert response.status_code == status, response.content[:400]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == MEMBERS
    assert body["status"] == status
    return body


def _fields(body) -> dict:
    found: dict[str, list[str]] = {}
    for error in body["errors"]:
        found.setdefault(error["field"], []).append(error["message"])
    return found


def test_no_token_is_a_401_problem(anonymous):
    body = _problem(anonymous.get("/partners"), 401)
    assert body["code"] == "unauthenticated"
    assert "Bearer" in body["detail"]


def test_a_malformed_body_is_a_400_problem(writer, world):
    response = writer.client.post(
        "/api/v1/partners",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {writer.token}"},
    )
    assert _problem(response, 400)["code"] == "bad_request"


def test_a_body_of_the_wrong_shape_names_each_field(writer, world):
    body = _problem(writer.post("/partnerships", {"tier": 7, "name": 3}), 422)
    assert body["code"] == "invalid_request"
    fields = _fields(body)
    assert {"partner", "leverage", "claim_uncertainty", "tier", "name"} <= set(fields)


def test_a_bad_query_parameter_names_it(reader, world):
    body = _problem(reader.get("/partners", {"limit": 0, "tier": "nine"}), 422)
    assert {"limit", "tier"} <= set(_fields(body))


def test_a_malformed_id_in_the_path_is_a_422_naming_it(reader, world):
    body = _problem(reader.get("/partnerships/not-a-uuid"), 422)
    assert "partnership_id" in _fields(body)


def test_nul_characters_are_refused_not_a_server_error(writer, reader, world):
    body = _problem(writer.post("/partners", {"name": "Ini\x00tech"}), 422)
    assert "name" in _fields(body)
    _problem(reader.get("/evidence", {"q": "pilot\x00"}), 422)


def test_the_pages_form_rules_apply(writer, world):
    body = _problem(writer.post("/partners", {"name": "acme payments"}), 422)
    assert body["code"] == "rejected"
    assert _fields(body) == {"name": ["You already have a partner with this name."]}


def test_a_service_rule_is_a_422_with_its_message(writer, world):
    url = f"/partnerships/{world['partnership']}/status"
    writer.post(url, {"to_status": "ended", "reason": "Done."})
    body = _problem(writer.post(url, {"to_status": "active", "reason": "Again."}), 422)
    assert _fields(body) == {
        "status": ["This partnership has ended. Propose a new partnership to start again."]
    }


def test_an_unknown_object_is_a_404_problem(reader, world):
    body = _problem(reader.get("/partners/00000000-0000-4000-8000-000000000000"), 404)
    assert body["code"] == "not_found"


def test_an_invalid_cursor_is_a_422_naming_it(reader, world):
    body = _problem(reader.get("/partners", {"cursor": "made-up"}), 422)
    assert "cursor" in _fields(body)


def test_the_schema_documents_problem_responses(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/partnerships/{partnership_id}/status"]["post"]
    for code in ("400", "401", "403", "404", "422", "429"):
        content = operation["responses"][code]["content"]
        assert content == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert schema["components"]["schemas"]["Problem"]["required"]
