"""Schemathesis against our OpenAPI schema, through the Django WSGI application, with a write
token: for every operation, bounded generated requests (valid and invalid) get no server
error and no response that breaks the schema (status, content type, headers, body).

Path ids are pointed at real Northwind objects, so operations run on data instead of only
answering 404; the access matrix covers unknown and foreign ids.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CONFIG = {
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "generation": {"max-examples": 10},
}
# Path parameter -> the world's object it names.
OBJECTS = {
    "partner_id": "partner",
    "contact_id": "contact",
    "partnership_id": "partnership",
    "entry_id": "entry",
    "decision_id": "decision",
    "charter_id": "charter",
    "version_id": "version",
    "request_id": "request",
    "review_id": "review",
}


# Loaded from the schema the application serves, through Django's real WSGI handler.
schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", WSGIHandler(), config=schemathesis.Config.from_dict(CONFIG)
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection(db):
    """The WSGI handler closes "old" connections around each request, which would close the
    test's transaction; the test client avoids it the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
def test_the_api_keeps_to_its_schema(case, world, write_token):
    for name in list(case.path_parameters or {}):
        if name in OBJECTS:
            case.path_parameters[name] = str(world[OBJECTS[name]])
    case.call_and_validate(headers={"Authorization": f"Bearer {write_token}"}, checks=CHECKS)
