"""Every API operation × {read token, write token, another organization's token, no token}.

A read token reads everything and writes nothing (403); a write token does both; another
organization's token never reaches a Northwind object (404, or a 422 naming the field when a
Northwind id is only in the body) and never sees one in a list; without a token it is 401.
"""

from __future__ import annotations

import json
import re

import pytest

from api.main import api

pytestmark = pytest.mark.django_db

P = "/partnerships/{partnership}"
# (method, path, body, status for a read token, status for a write token, status for Globex)
CASES = [
    ("get", "/partners", None, 200, 200, 200),
    ("post", "/partners", {"name": "Globex Ledger"}, 403, 201, 201),
    ("get", "/partners/{partner}", None, 200, 200, 404),
    ("patch", "/partners/{partner}", {"category": "Fintech"}, 403, 200, 404),
    ("get", "/partners/{partner}/contacts", None, 200, 200, 404),
    (
        "post",
        "/partners/{partner}/contacts",
        {"name": "Carl Contact", "email": "carl@acme.example"},
        403,
        201,
        404,
    ),
    ("patch", "/partners/{partner}/contacts/{contact}", {"title": "CTO"}, 403, 200, 404),
    ("get", "/partnerships", None, 200, 200, 200),
    (
        "post",
        "/partnerships",
        {
            "partner": "{partner}",
            "name": "Payouts",
            "leverage": "economic",
            "claim_uncertainty": "payout timing",
        },
        403,
        201,
        422,
    ),
    ("get", P, None, 200, 200, 404),
    ("patch", P, {"exit_path": "Four weeks; CSV export."}, 403, 200, 404),
    ("get", P + "/history", None, 200, 200, 404),
    ("post", P + "/status", {"to_status": "renegotiating", "reason": "Terms."}, 403, 200, 404),
    ("get", P + "/go-no-go", None, 200, 200, 404),
    # A go is refused by the gates (no executed charter, too little evidence): 422.
    (
        "post",
        P + "/go-no-go",
        {"answers": {"crawl_met": "yes"}, "final_choice": "go"},
        403,
        422,
        404,
    ),
    ("get", P + "/fit-card", None, 200, 200, 404),
    ("get", P + "/fit-card/revisions", None, 200, 200, 404),
    ("get", P + "/fit-card/revisions/1", None, 200, 200, 404),
    ("get", P + "/charter", None, 200, 200, 404),
    ("get", "/evidence", None, 200, 200, 200),
    (
        "post",
        "/evidence",
        {
            "partnership": "{partnership}",
            "claim": "Disputes resolved in 5 days",
            "artifact": "Week 3 report: 19 of 20 in time",
            "quality": "pilot",
            "observed_on": "2025-01-06",
        },
        403,
        201,
        422,
    ),
    ("get", "/evidence/{entry}", None, 200, 200, 404),
    (
        "post",
        "/evidence/{entry}/corrections",
        {"correction_reason": "Wrong count.", "artifact": "17 of 20 in time"},
        403,
        201,
        404,
    ),
    ("get", "/evidence/{entry}/file", None, 200, 200, 404),
    ("get", "/decisions", None, 200, 200, 200),
    (
        "post",
        "/decisions",
        {"partnership": "{partnership}", "kind": "renegotiate", "rationale": "Terms changed."},
        403,
        201,
        422,
    ),
    ("get", "/decisions/{decision}", None, 200, 200, 404),
    ("post", "/decisions/{decision}/approve", {"note": "Agreed."}, 403, 200, 404),
    ("post", "/decisions/{decision}/reject", {"note": "Not yet."}, 403, 200, 404),
    ("get", "/charters", None, 200, 200, 200),
    ("get", "/charters/{charter}", None, 200, 200, 404),
    ("get", "/charter-versions/{version}", None, 200, 200, 404),
    ("get", "/charter-versions/{version}/document.pdf", None, 200, 200, 404),
    ("get", "/signature-requests/{request}", None, 200, 200, 404),
    ("get", "/signature-requests/{request}/audit-trail", None, 200, 200, 404),
    # Not executed yet: 404 for everyone.
    ("get", "/signature-requests/{request}/executed.pdf", None, 404, 404, 404),
    ("get", "/reviews", None, 200, 200, 200),
    ("get", "/reviews/{review}", None, 200, 200, 404),
    (
        "post",
        "/reviews/{review}/submit",
        {"renegotiation_trigger": "Two slow weeks.", "health": "green"},
        403,
        200,
        404,
    ),
    ("get", "/members", None, 200, 200, 200),
]


def _fill(template: str, world: dict) -> str:
    for name, value in world.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def _body(body, world):
    return None if body is None else json.loads(_fill(json.dumps(body), world))


def _call(client, method, path, body):
    if method == "get":
        return client.get(path)
    return client.send(method, path, body)


def _template(path: str) -> str:
    """``/api/v1/partners/{partner_id}`` -> ``/partners/{}`` (to compare with CASES)."""
    return re.sub(r"\{[^}]+\}|(?<=/)1$", "{}", path.removeprefix("/api/v1"))


def test_every_operation_of_the_schema_is_in_the_matrix():
    schema = api.get_openapi_schema(path_prefix="/api/")
    operations = {
        (method, _template(path)) for path, methods in schema["paths"].items() for method in methods
    }
    covered = {(method, _template(path)) for method, path, *_ in CASES}
    assert operations == covered


def _ids(content: bytes) -> str:
    return content.decode()


@pytest.mark.parametrize(
    ("method", "path", "body", "read", "write", "foreign"),
    CASES,
    ids=[f"{c[0]} {c[1]}" for c in CASES],
)
def test_each_token_gets_the_status_its_role_allows(
    method, path, body, read, write, foreign, world, reader, writer, stranger, anonymous
):
    url, data = _fill(path, world), _body(body, world)
    assert _call(anonymous, method, url, data).status_code == 401
    response = _call(stranger, method, url, data)
    assert response.status_code == foreign, response.content[:300]
    if method == "get" and foreign == 200:
        assert not any(str(value) in _ids(response.content) for value in world.values())
    assert _call(reader, method, url, data).status_code == read
    response = _call(writer, method, url, data)
    assert response.status_code == write, response.content[:500]
