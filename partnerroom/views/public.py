"""The room's doors: asking for a sign-in link, using it, the optional code, signing out.

No account and no partner session are needed here. Asking for a link answers the same page
whatever the address (known, unknown, revoked, rate-limited): nobody learns who our contacts
are. Limits per client IP and per address (the address's SHA-256, never the address itself)
live in the cache. Opening a link (GET) never uses it up (mail scanners open links); signing
in is a POST.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from charters.ratelimit import rate_limited
from core.client import client_ip
from core.tokens import hash_token

from ..forms import AccessRequestForm, CodeForm
from ..services import access as services
from ..session import cookie_clear, cookie_set, current_session, private

ASK_LIMIT_IP = (20, 3600)  # access requests per IP per hour
ASK_LIMIT_ADDRESS = (3, 3600)  # e-mailed links per address per hour
OPEN_LIMIT_IP = (60, 300)  # sign-in link pages per IP per five minutes
CODE_LIMIT_IP = (20, 300)


def _ip(request) -> str:
    return client_ip(request) or "unknown"


def _limited(scope: str, key: str, limit: tuple[int, int]) -> bool:
    return rate_limited(scope=f"room-{scope}", key=key, limit=limit[0], window=limit[1])


def _too_many(request):
    response = render(request, "partnerroom/public/limited.html", status=429)
    response["Retry-After"] = "300"
    return private(response)


@require_http_methods(["GET", "POST"])
def access(request):
    """Ask for a sign-in link by e-mail address."""
    if request.method == "GET":
        form = AccessRequestForm(initial={"next": request.GET.get("next", "")[:300]})
        return private(render(request, "partnerroom/public/access.html", {"form": form}))
    if _limited("ask-ip", _ip(request), ASK_LIMIT_IP):
        return _too_many(request)
    form = AccessRequestForm(request.POST)
    if not form.is_valid():
        return private(
            render(request, "partnerroom/public/access.html", {"form": form}, status=422)
        )
    email = form.cleaned_data["email"].strip().lower()
    if not _limited("ask-address", hash_token(email), ASK_LIMIT_ADDRESS):
        services.access_request(
            email=email, next_path=form.cleaned_data.get("next") or "", request=request
        )
    return private(redirect("partnerroom:access_sent"))


@require_GET
def access_sent(request):
    """The one answer every well-formed request gets."""
    return private(render(request, "partnerroom/public/access_sent.html"))


@require_http_methods(["GET", "POST"])
def sign_in(request, token: str):
    """The e-mailed link: GET shows a button, POST uses the link and starts the session."""
    if _limited("open-ip", _ip(request), OPEN_LIMIT_IP):
        return _too_many(request)
    if request.method == "GET":
        link = services.link_for_token(token)
        if link is None:
            return private(render(request, "partnerroom/public/link_invalid.html", status=404))
        return private(render(request, "partnerroom/public/sign_in.html", {"link": link}))
    started = services.session_start(token=token, request=request)
    if started is None:
        return private(render(request, "partnerroom/public/link_invalid.html", status=404))
    session, raw = started
    if session.verified_at is None:
        response = redirect("partnerroom:code")
    else:
        response = redirect(session.next_path or "partnerroom:home")
    cookie_set(response, raw, session)
    return private(response)


@require_http_methods(["GET", "POST"])
def code(request):
    """The one-time code, when the grant asks for one."""
    session = current_session(request)
    if session is None:
        return private(redirect("partnerroom:access"))
    if session.verified_at is not None:
        return private(redirect("partnerroom:home"))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _limited("code-ip", _ip(request), CODE_LIMIT_IP):
            return _too_many(request)
        if form.is_valid() and services.code_verify(
            session=session, code=form.cleaned_data["code"], request=request
        ):
            return private(redirect("partnerroom:home"))
        if current_session(request) is None:  # too many wrong codes, or too late
            response = render(request, "partnerroom/public/link_invalid.html", status=403)
            cookie_clear(response)
            return private(response)
        form.add_error("code", _("That code is not right. Check the e-mail and try again."))
        status = 422
    return private(render(request, "partnerroom/public/code.html", {"form": form}, status=status))


@require_POST
def sign_out(request):
    session = current_session(request)
    if session is not None:
        services.session_end(session=session, request=request)
    response = redirect("partnerroom:access")
    cookie_clear(response)
    return private(response)
