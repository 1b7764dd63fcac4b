"""The public pages: apply, confirm by e-mailed link, and the partner directory.

No account, no session needed. Abuse is contained here: a request-size cap, rate limits per
client IP (``core.client.client_ip``) and per e-mail address (Django's cache), a honeypot, and
one identical reply to every well-formed application, whether or not we know the company or
the address, and whether or not it was stored. GET never uses a confirmation link up (mail
scanners open links); confirming is a POST.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from charters.ratelimit import rate_limited
from core.client import client_ip
from core.tokens import hash_token

from .. import selectors, services
from ..forms import ApplicationForm

MAX_BODY = 32 * 1024  # bytes: the form's limits with room to spare
GET_LIMIT = (120, 300)  # requests per window (seconds), per IP
APPLY_LIMIT_IP = (10, 3600)
APPLY_LIMIT_ADDRESS = (3, 24 * 3600)
CONFIRM_LIMIT_IP = (30, 300)


def _ip(request) -> str:
    return client_ip(request) or "unknown"


def _limited(request, scope: str, key: str, limit: tuple[int, int]) -> bool:
    return rate_limited(scope=f"programs-{scope}", key=key, limit=limit[0], window=limit[1])


def _too_many(request) -> HttpResponse:
    response = render(request, "programs/public/limited.html", status=429)
    response["Retry-After"] = "300"
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY
    except ValueError:
        return True


@require_http_methods(["GET", "POST"])
def apply(request, org_slug: str):
    """The organization's application form (404 unless an owner turned it on)."""
    if _limited(request, f"get-{request.method}", _ip(request), GET_LIMIT):
        return _too_many(request)
    organization, _settings = selectors.public_organization(org_slug, need="applications_open")
    context = {"program_org": organization}
    if request.method == "GET":
        context["form"] = ApplicationForm()
        return _private(render(request, "programs/public/apply.html", context))
    if _too_large(request):
        return _private(render(request, "programs/public/too_large.html", context, status=413))
    if _limited(request, "apply-ip", _ip(request), APPLY_LIMIT_IP):
        return _too_many(request)
    form = ApplicationForm(request.POST)
    if form.is_bot:
        return redirect("programs:apply_sent", org_slug=organization.slug)
    if not form.is_valid():
        context["form"] = form
        return _private(render(request, "programs/public/apply.html", context, status=422))
    address = hash_token(form.cleaned_data["contact_email"].strip().lower())
    if not _limited(request, "apply-address", address, APPLY_LIMIT_ADDRESS):
        services.application_submit(
            organization=organization,
            answers=form.answers(),
            language=translation.get_language() or "",
        )
    return redirect("programs:apply_sent", org_slug=organization.slug)


@require_GET
def apply_sent(request, org_slug: str):
    """The one reply every accepted submission gets."""
    organization, _settings = selectors.public_organization(org_slug, need="applications_open")
    return _private(
        render(request, "programs/public/apply_sent.html", {"program_org": organization})
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """The e-mailed link: GET shows what will be confirmed, POST confirms (once)."""
    if _limited(request, "confirm", _ip(request), CONFIRM_LIMIT_IP):
        return _too_many(request)
    if request.method == "GET":
        pending = selectors.pending_for_token(token)
        if pending is None:
            return _private(render(request, "programs/public/confirm_invalid.html", status=404))
        return _private(render(request, "programs/public/confirm.html", {"pending": pending}))
    application = services.application_confirm(token=token)
    if application is None:
        return _private(render(request, "programs/public/confirm_invalid.html", status=404))
    return _private(
        render(
            request,
            "programs/public/confirm_done.html",
            {"application": application, "program_org": application.organization},
        )
    )


@require_GET
def directory(request, org_slug: str):
    """The public partner directory: admitted partners that agreed, with what they integrate."""
    if _limited(request, "get-GET", _ip(request), GET_LIMIT):
        return _too_many(request)
    organization, _settings = selectors.public_organization(org_slug, need="directory_public")
    listings = selectors.public_directory(organization)
    return render(
        request,
        "programs/public/directory.html",
        {"program_org": organization, "listings": listings},
    )
