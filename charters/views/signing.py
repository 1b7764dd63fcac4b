"""The signer's page and its five actions, reached by a personal link (no account) or by a
signed-in member of ours.

GET never uses a link up (mail scanners open links); every change is a POST to the action's
own URL: consent, e-mail a code, verify the code, sign, decline. Both routes share the same
page and the same actions, so a member of ours signs on exactly the page a partner signer
sees; only the proof differs (the link, or the signed-in session).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from accounts.reauthentication import commitment
from accounts.scoping import OrgRequest, get_scoped_or_404, member_required
from core.client import client_ip
from core.forms import apply_validation_error
from core.i18n import signer_language

from ..forms import CodeForm, ConsentForm, ReasonForm, SendCodeForm, SignForm
from ..models import SignatureRequest, Signer
from ..ratelimit import rate_limited
from ..services.common import ClientMeta
from ..services.signing import (
    CONSENT_VERSION,
    LinkState,
    document_available,
    needs_code,
    signed_in_as_signer,
    signer_consent,
    signer_decline,
    signer_for_token,
    signer_record_open,
    signer_send_code,
    signer_sign,
    signer_state,
    signer_verify_code,
    waiting_for,
)

GET_LIMIT = (120, 300)  # requests per window (seconds), per IP
POST_LIMIT_IP = (30, 300)
POST_LIMIT_SIGNER = (20, 300)

CLOSED_STATUS = {
    LinkState.VOIDED: 410,
    LinkState.EXPIRED: 410,
    LinkState.CLOSED: 410,
    LinkState.DECLINED: 410,
    LinkState.REPLACED: 410,
}
ACTIONS = ["consent", "send_code", "verify_code", "sign", "decline"]


@dataclass(frozen=True)
class Access:
    """One signer, reached one way, with the URLs of their page."""

    signer: Signer
    page_url: str
    document_url: str
    executed_url: str
    action_urls: dict[str, str]


def _link_access(token: str, signer: Signer) -> Access:
    return Access(
        signer=signer,
        page_url=reverse("charters:sign", args=[token]),
        document_url=reverse("charters:sign_document", args=[token]),
        executed_url=reverse("charters:sign_executed", args=[token]),
        action_urls={a: reverse(f"charters:sign_{a}", args=[token]) for a in ACTIONS},
    )


def _member_access(signer: Signer) -> Access:
    return Access(
        signer=signer,
        page_url=reverse("charters:sign_member", args=[signer.uuid]),
        document_url=reverse("charters:document", args=[signer.request.version.uuid]),
        executed_url=reverse("charters:executed_pdf", args=[signer.request.uuid]),
        action_urls={a: reverse(f"charters:sign_member_{a}", args=[signer.uuid]) for a in ACTIONS},
    )


def _member_signer(request: OrgRequest, signer_uuid) -> Signer:
    """Only the member named on the signer row reaches it (anyone else: 404)."""
    return get_scoped_or_404(
        request,
        Signer.objects.select_related(
            "request__version__charter__partnership__partner",
            "request__version__charter__partnership__organization",
        ),
        uuid=signer_uuid,
        user=request.user,
    )


def _limited(request, scope: str, limit: tuple[int, int], key: str | None = None) -> bool:
    who = key if key is not None else client_ip(request) or "unknown"
    return rate_limited(scope=scope, key=who, limit=limit[0], window=limit[1])


def _too_many(request) -> HttpResponse:
    response = render(request, "charters/sign_limited.html", status=429)
    response["Retry-After"] = "300"
    return response


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _invalid_link(request) -> HttpResponse:
    return _private(render(request, "charters/sign_invalid.html", status=404))


def _context(request, access: Access, state: str) -> dict:
    signer = access.signer
    sig_request = signer.request
    version = sig_request.version
    meta = ClientMeta.from_request(request)
    signers = list(sig_request.signers.all())
    done = sig_request.execution_state == SignatureRequest.Execution.DONE
    return {
        "signer": signer,
        "sig_request": sig_request,
        "version": version,
        "partnership": version.charter.partnership,
        "state": state,
        "urls": access.action_urls,
        "document_url": access.document_url,
        "executed_url": access.executed_url if done else "",
        "consent_version": CONSENT_VERSION,
        "needs_code": needs_code(signer, meta),
        "code_step": sig_request.require_code and not signed_in_as_signer(signer, meta),
        "all_signers": signers,
        "waiting_for": waiting_for(signer) if state == LinkState.WAITING else [],
        "consent_form": ConsentForm(),
        "send_code_form": SendCodeForm(),
        "code_form": CodeForm(),
        "sign_form": SignForm(company=signer.company, initial={"typed_name": signer.name}),
        "decline_form": ReasonForm(),
    }


def _page(request, access: Access, *, status: int = 200, **forms) -> HttpResponse:
    """The signing page (or the page that says why the link no longer works), in the
    signer's language (``core.i18n.signer_language``)."""
    language = signer_language(access.signer, request)
    with translation.override(language):
        state = signer_state(access.signer)
        context = {**_context(request, access, state), **forms}
        template = "charters/sign.html"
        if state != LinkState.OK:
            status = CLOSED_STATUS.get(state, 200)
            template = "charters/sign_closed.html"
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    return _private(response)


def _show(request, access: Access) -> HttpResponse:
    state = signer_state(access.signer)
    if state in (LinkState.OK, LinkState.WAITING):
        signer_record_open(signer=access.signer, meta=ClientMeta.from_request(request))
    return _page(request, access)


@require_GET
def page_by_link(request, token: str):
    """The e-mailed personal link."""
    if _limited(request, "sign-GET", GET_LIMIT):
        return _too_many(request)
    signer = signer_for_token(token)
    if signer is None:
        return _invalid_link(request)
    return _show(request, _link_access(token, signer))


@member_required()
@require_GET
def page_as_member(request: OrgRequest, signer_uuid):
    """A member of ours signs from the charter page after logging in."""
    return _show(request, _member_access(_member_signer(request, signer_uuid)))


# The five actions. Each validates its form and calls one service; a refusal is shown on the
# same form (422), a link that cannot be used any more goes back to the page that says why.

Action = Callable[[object, Access], HttpResponse]


def _submit(request, access: Access, *, form, name: str, call) -> HttpResponse:
    if form.is_valid():
        try:
            call(form.cleaned_data, ClientMeta.from_request(request))
        except ValidationError as exc:
            if getattr(exc, "code", None) in LinkState.ALL:
                return redirect(access.page_url)
            apply_validation_error(form, exc)
        else:
            return redirect(access.page_url)
    access.signer.refresh_from_db()
    return _page(request, access, status=422, **{name: form})


def _consent(request, access: Access) -> HttpResponse:
    return _submit(
        request,
        access,
        form=ConsentForm(request.POST),
        name="consent_form",
        call=lambda data, meta: signer_consent(signer=access.signer, meta=meta),
    )


def _send_code(request, access: Access) -> HttpResponse:
    return _submit(
        request,
        access,
        form=SendCodeForm(request.POST),
        name="send_code_form",
        call=lambda data, meta: signer_send_code(signer=access.signer, meta=meta),
    )


def _verify_code(request, access: Access) -> HttpResponse:
    return _submit(
        request,
        access,
        form=CodeForm(request.POST),
        name="code_form",
        call=lambda data, meta: signer_verify_code(
            signer=access.signer, code=data["code"], meta=meta
        ),
    )


def _sign(request, access: Access) -> HttpResponse:
    return _submit(
        request,
        access,
        form=SignForm(request.POST, company=access.signer.company),
        name="sign_form",
        call=lambda data, meta: signer_sign(
            signer=access.signer,
            typed_name=data["typed_name"],
            signature_png=data["drawn_signature"],
            authorized=data["authorized"],
            meta=meta,
        ),
    )


def _decline(request, access: Access) -> HttpResponse:
    return _submit(
        request,
        access,
        form=ReasonForm(request.POST),
        name="decline_form",
        call=lambda data, meta: signer_decline(
            signer=access.signer, reason=data["reason"], meta=meta
        ),
    )


def _guarded(request, access: Access, action: Action) -> HttpResponse:
    """Rate-limited per signer; a link that cannot be used now changes nothing."""
    if signer_state(access.signer) != LinkState.OK:
        return redirect(access.page_url)
    if _limited(request, "sign-signer", POST_LIMIT_SIGNER, key=str(access.signer.pk)):
        return _too_many(request)
    # The signer's language for the forms' and the services' messages too, not only the page.
    with translation.override(signer_language(access.signer, request)):
        return action(request, access)


def _by_link(action: Action):
    @require_POST
    def view(request, token: str):
        if _limited(request, "sign-POST", POST_LIMIT_IP):
            return _too_many(request)
        signer = signer_for_token(token)
        if signer is None:
            return _invalid_link(request)
        return _guarded(request, _link_access(token, signer), action)

    view.__doc__ = action.__name__.strip("_").replace("_", " ").capitalize() + ", by link."
    return view


def _as_member(action: Action):
    @member_required()
    @require_POST
    def view(request: OrgRequest, signer_uuid):
        if _limited(request, "sign-POST", POST_LIMIT_IP):
            return _too_many(request)
        return _guarded(request, _member_access(_member_signer(request, signer_uuid)), action)

    view.__doc__ = action.__name__.strip("_").replace("_", " ").capitalize() + ", as a member."
    return view


consent_by_link, consent_as_member = _by_link(_consent), _as_member(_consent)
send_code_by_link, send_code_as_member = _by_link(_send_code), _as_member(_send_code)
verify_code_by_link, verify_code_as_member = _by_link(_verify_code), _as_member(_verify_code)
sign_by_link, sign_as_member = _by_link(_sign), commitment(_as_member(_sign))
decline_by_link, decline_as_member = _by_link(_decline), _as_member(_decline)


# The documents, for the holder of a link.


def _file(name: str, filename: str) -> HttpResponse:
    return _private(
        FileResponse(
            default_storage.open(name, "rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=filename,
        )
    )


@require_GET
def sign_document(request, token: str):
    """The document as sent (the stored PDF). A voided, declined or expired request, or a
    replaced link, no longer serves it: the page says why instead."""
    if _limited(request, "sign-GET", GET_LIMIT):
        return _too_many(request)
    signer = signer_for_token(token)
    if signer is None:
        return _invalid_link(request)
    access = _link_access(token, signer)
    version = signer.request.version
    if not document_available(signer) or not default_storage.exists(version.document_pdf or ""):
        return _page(request, access)
    return _file(version.document_pdf, f"charter-v{version.number}.pdf")


@require_GET
def sign_executed(request, token: str):
    """The executed, sealed PDF, for a signer of that request (also e-mailed to them)."""
    if _limited(request, "sign-GET", GET_LIMIT):
        return _too_many(request)
    signer = signer_for_token(token)
    if signer is None:
        return _invalid_link(request)
    sig_request = signer.request
    done = sig_request.execution_state == SignatureRequest.Execution.DONE
    if (
        not done
        or signer_state(signer) == LinkState.REPLACED
        or not default_storage.exists(sig_request.executed_pdf)
    ):
        return _page(request, _link_access(token, signer))
    return _file(sig_request.executed_pdf, f"charter-v{sig_request.version.number}-executed.pdf")
