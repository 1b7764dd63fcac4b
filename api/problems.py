"""Every API error in one shape: ``application/problem+json`` (RFC 9457).

``{"type": "about:blank", "title": "Not Found", "status": 404, "detail": "…", "code": "…",
"errors": [{"field": "phase", "message": "…"}]}`` — ``errors`` lists what was wrong with the
input, by field where a field is to blame (``field`` is null for the request as a whole). A
service's ``ValidationError`` (a gate that refused a phase change, a missing rationale, an
insufficient body of evidence) arrives here exactly as the page would show it.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .auth import Forbidden, RateLimited, Unauthenticated
from .pagination import InvalidCursor

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"


class FieldError(Schema):
    field: str | None = None
    message: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] = []


def problem(
    status: int, detail: str, *, code: str, errors: list[dict] | None = None, headers=None
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or [],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_errors(exc: DjangoValidationError) -> list[dict]:
    """A service's or form's ValidationError as a list of field errors."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": None if name == "__all__" else name, "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "message": message} for message in exc.messages]


def _ninja_field(loc) -> str | None:
    """``("body", "payload", "name")`` -> ``"name"``; ``("query", "limit")`` -> ``"limit"``."""
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or None


def on_validation(request, exc: NinjaValidationError):
    errors = [
        {"field": _ninja_field(item.get("loc", ())), "message": str(item.get("msg", "Invalid."))}
        for item in exc.errors
    ]
    return problem(
        422, "The request is not valid: see errors.", code="invalid_request", errors=errors
    )


def on_service_validation(request, exc: DjangoValidationError):
    errors = field_errors(exc)
    detail = " ".join(e["message"] for e in errors) or "The request could not be applied."
    return problem(422, detail, code="rejected", errors=errors)


def on_unauthenticated(request, exc: Exception):
    detail = getattr(exc, "detail", None) or "Send a valid API token."
    return problem(
        401, detail, code="unauthenticated", headers={"WWW-Authenticate": 'Bearer realm="api"'}
    )


def on_forbidden(request, exc: Exception):
    detail = getattr(exc, "detail", None) or str(exc) or "This token may not do this."
    return problem(403, detail, code="forbidden")


def on_not_found(request, exc: Exception):
    return problem(404, "Not found.", code="not_found")


def on_rate_limited(request, exc: RateLimited):
    return problem(
        429,
        f"Too many requests with this token ({exc.limit} per {exc.window} s). "
        f"Try again in {exc.retry_after} s.",
        code="rate_limited",
        headers={"Retry-After": str(exc.retry_after)},
    )


def on_invalid_cursor(request, exc: InvalidCursor):
    return problem(
        422,
        "The cursor is not valid for this list and ordering.",
        code="invalid_request",
        errors=[{"field": "cursor", "message": str(exc)}],
    )


def on_http_error(request, exc: HttpError):
    status = exc.status_code if 400 <= exc.status_code < 600 else 400
    code = {400: "bad_request", 401: "unauthenticated", 403: "forbidden"}.get(status, "error")
    return problem(status, str(exc) or HTTPStatus(status).phrase, code=code)


def on_unexpected(request, exc: Exception):
    log.exception("Unhandled API error on %s %s", request.method, request.path)
    return problem(500, "Something went wrong on our side.", code="server_error")


def install(api) -> None:
    """Register the handlers on ``api`` (most specific classes are looked up first)."""
    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_service_validation)
    api.add_exception_handler(Unauthenticated, on_unauthenticated)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(Forbidden, on_forbidden)
    api.add_exception_handler(PermissionDenied, on_forbidden)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(RateLimited, on_rate_limited)
    api.add_exception_handler(InvalidCursor, on_invalid_cursor)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Exception, on_unexpected)
