"""The Accord REST API: one ``NinjaAPI``, version 1, mounted at ``/api/``.

- ``/api/v1/…``: the resources (one router per module in ``routes/``)
- ``/api/openapi.json``: the OpenAPI 3.1 schema, every error response documented as
  ``application/problem+json``
- ``/api/docs``: Swagger UI, served from our own static files (django-ninja ships them)
"""

from __future__ import annotations

import json
from functools import wraps
from pathlib import Path

from django.shortcuts import render
from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from . import problems
from .auth import TokenAuth
from .routes import (
    charters,
    decisions,
    evidence,
    fitcards,
    members,
    partners,
    partnerships,
    phases,
    reviews,
)

DESCRIPTION = (Path(__file__).parent / "openapi.md").read_text(encoding="utf-8")
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
ERRORS = {
    "400": "The body is not JSON.",
    "401": "No token, or one that is not valid, revoked or expired.",
    "403": "The token's scope does not allow this.",
    "404": "Not found in the token's organization.",
    "422": "The input is not valid, or a rule refused it; `errors` says why, by field.",
    "429": "Too many requests with this token; see `Retry-After`.",
}
HEADERS = {
    "401": {"WWW-Authenticate": {"schema": {"type": "string"}}},
    "429": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
}


def _errors_for(path: str, method: str, operation: dict) -> list[str]:
    codes = ["401", "422", "429"]
    if "requestBody" in operation:
        codes.append("400")
    if method in ("post", "patch", "put", "delete"):
        codes.append("403")
    if "{" in path:
        codes.append("404")
    return sorted(codes)


def document_problems(schema: dict) -> dict:
    """Add the problem responses every operation can give, and the Problem schema."""
    definition = problems.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(definition.pop("$defs", {}))
    components["Problem"] = definition
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for code in _errors_for(path, method, operation):
                if code in responses or int(code) in responses:
                    continue  # documented by the operation itself
                response = {"description": ERRORS[code], "content": PROBLEM}
                if code in HEADERS:
                    response["headers"] = HEADERS[code]
                responses[int(code)] = response
    return schema


def _problem_for_405(view):
    """Ninja answers a method a path does not have with a bare 405; make it a problem too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and problems.MEDIA_TYPE not in response.get(
            "Content-Type", ""
        ):
            allowed = response.get("Allow", "")
            return problems.problem(
                405,
                f"This path does not take {request.method}; it takes {allowed}.",
                code="method_not_allowed",
                headers={"Allow": allowed},
            )
        return response

    return wrapper


class AccordAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_problems(schema)

    @property
    def urls(self):
        patterns, app_name, namespace = NinjaAPI.urls.fget(self)
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _problem_for_405(pattern.callback)
        return patterns, app_name, namespace


class LocalSwagger(DocsBase):
    """Swagger UI from our static files (``ninja/swagger-ui-*``), in our template: no CDN.
    The scripts are same-origin files, so the site's CSP (``script-src 'self'``) allows
    them without an exemption."""

    def render_page(self, request, api, **kwargs):
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            # Deep links put a link inside each operation's toggle button (nested
            # interactive controls for a screen reader); the docs page goes without them.
            "deepLinking": False,
            "validatorUrl": None,  # the default would call validator.swagger.io
            "persistAuthorization": False,
        }
        return render(request, "api/docs.html", {"api": api, "swagger_settings": settings})


api = AccordAPI(
    title="Accord API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
for module in (partners, partnerships, phases, fitcards, evidence, decisions, charters, reviews):
    api.add_router("/v1", module.router)
api.add_router("/v1", members.router)


def schema_json() -> str:
    """The schema as served (for tests and for writing it to a file)."""
    return json.dumps(api.get_openapi_schema(path_prefix="/api/"), indent=2)
