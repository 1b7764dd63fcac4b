"""The signer's page: reached by a personal link (no account) or by a signed-in member.

GET never uses a link up (mail scanners open links); every change is a POST. Both routes share
one handler, so a member of ours signs on exactly the page a partner signer sees.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.scoping import OrgRequest, get_scoped_or_404, member_required
from core.client import client_ip

from ..forms import CodeForm, ConsentForm, ReasonForm, SignForm
from ..models import SignatureRequest, Signer
from ..ratelimit import rate_limited
from ..services.common import ClientMeta
from ..services.signing import (
    CONSENT_VERSION,
    LinkState,
    clean_signature_png,
    signer_consent,
    signer_decline,
    signer_for_token,
    signer_record_open,
    signer_send_code,
    signer_sign,
    signer_state,
    signer_verify_code,
)

GET_LIMIT = (120, 300)  # requests per window (seconds), per IP
POST_LIMIT_IP = (30, 300)
POST_LIMIT_SIGNER = (20, 300)

CLOSED_STATUS = {
    LinkState.VOIDED: 410,
    LinkState.EXPIRED: 410,
    LinkState.CLOSED: 410,
    LinkState.DECLINED: 410,
}


def _client_ip(request) -> str:
    return client_ip(request) or "unknown"


def _too_many(request) -> HttpResponse:
    response = render(request, "charters/sign_limited.html", status=429)
    response["Retry-After"] = "300"
    return response


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def sign_by_link(request, token: str):
    """The e-mailed personal link."""
    limit = GET_LIMIT if request.method == "GET" else POST_LIMIT_IP
    if rate_limited(
        scope=f"sign-{request.method}", key=_client_ip(request), limit=limit[0], window=limit[1]
    ):
        return _too_many(request)
    signer = signer_for_token(token)
    if signer is None:
        return _private(render(request, "charters/sign_invalid.html", status=404))
    return _signing(
        request,
        signer,
        post_url=reverse("charters:sign", args=[token]),
        document_url=reverse("charters:sign_document", args=[token]),
        executed_url=reverse("charters:sign_executed", args=[token]),
    )


@member_required()
@require_http_methods(["GET", "POST"])
def sign_as_member(request: OrgRequest, signer_uuid):
    """A member of ours signs from the charter page after logging in."""
    if request.method == "POST" and rate_limited(
        scope="sign-POST", key=_client_ip(request), limit=POST_LIMIT_IP[0], window=POST_LIMIT_IP[1]
    ):
        return _too_many(request)
    signer = get_scoped_or_404(
        request,
        Signer.objects.select_related(
            "request__version__charter__partnership__partner",
            "request__version__charter__partnership__organization",
        ),
        uuid=signer_uuid,
        user=request.user,
    )
    return _signing(
        request,
        signer,
        post_url=reverse("charters:sign_member", args=[signer.uuid]),
        document_url=reverse("charters:document", args=[signer.request.version.uuid]),
        executed_url=reverse("charters:executed_pdf", args=[signer.request.uuid]),
    )


def _signing(
    request, signer: Signer, *, post_url: str, document_url: str, executed_url: str
) -> HttpResponse:
    meta = ClientMeta.from_request(request)
    state = signer_state(signer)
    status = 200
    forms = {
        "consent_form": ConsentForm(),
        "code_form": CodeForm(),
        "sign_form": SignForm(company=signer.company, initial={"typed_name": signer.name}),
        "decline_form": ReasonForm(),
    }
    error = ""
    if request.method == "POST" and state == LinkState.OK:
        if rate_limited(
            scope="sign-signer",
            key=str(signer.pk),
            limit=POST_LIMIT_SIGNER[0],
            window=POST_LIMIT_SIGNER[1],
        ):
            return _too_many(request)
        action = request.POST.get("action", "")
        try:
            if action == "consent":
                form = forms["consent_form"] = ConsentForm(request.POST)
                if form.is_valid():
                    signer_consent(signer=signer, meta=meta)
                    return redirect(post_url)
            elif action == "send_code":
                signer_send_code(signer=signer, meta=meta)
                return redirect(post_url)
            elif action == "verify_code":
                form = forms["code_form"] = CodeForm(request.POST)
                if form.is_valid():
                    signer_verify_code(signer=signer, code=form.cleaned_data["code"], meta=meta)
                    return redirect(post_url)
            elif action == "sign":
                form = forms["sign_form"] = SignForm(request.POST, company=signer.company)
                if form.is_valid():
                    drawn = form.cleaned_data["drawn_signature"]
                    png = clean_signature_png(drawn) if drawn else b""
                    signer_sign(
                        signer=signer,
                        typed_name=form.cleaned_data["typed_name"],
                        signature_png=png,
                        authorized=form.cleaned_data["authorized"],
                        meta=meta,
                    )
                    return redirect(post_url)
            elif action == "decline":
                form = forms["decline_form"] = ReasonForm(request.POST)
                if form.is_valid():
                    signer_decline(signer=signer, reason=form.cleaned_data["reason"], meta=meta)
                    return redirect(post_url)
            else:
                error = "Unknown action."
        except ValidationError as exc:
            code = getattr(exc, "code", None)
            if code in CLOSED_STATUS or code in (LinkState.SIGNED, LinkState.WAITING):
                return redirect(post_url)
            target = {
                "consent": "consent_form",
                "verify_code": "code_form",
                "sign": "sign_form",
                "decline": "decline_form",
            }.get(action)
            if target and hasattr(exc, "error_dict"):
                for name, errs in exc.message_dict.items():
                    form = forms[target]
                    form.add_error(name if name in form.fields else None, errs)
            else:
                error = " ".join(exc.messages)
        status = 422
    elif request.method == "POST":
        return redirect(post_url)
    signer.refresh_from_db()
    state = signer_state(signer)
    if request.method == "GET" and state in (LinkState.OK, LinkState.WAITING):
        signer_record_open(signer=signer, meta=meta)
    request_obj = signer.request
    version = request_obj.version
    context = {
        "signer": signer,
        "sig_request": request_obj,
        "version": version,
        "partnership": version.charter.partnership,
        "state": state,
        "post_url": post_url,
        "document_url": document_url,
        "executed_url": executed_url
        if request_obj.execution_state == SignatureRequest.Execution.DONE
        else "",
        "consent_version": CONSENT_VERSION,
        "needs_code": request_obj.require_code and signer.code_verified_at is None,
        "error": error,
        "all_signers": list(request_obj.signers.all()),
        "waiting_for": [
            s
            for s in request_obj.signers.all()
            if s.order < signer.order and s.state != Signer.State.SIGNED
        ]
        if state == LinkState.WAITING
        else [],
        **forms,
    }
    if state != LinkState.OK:
        status = CLOSED_STATUS.get(state, 200)
        return _private(render(request, "charters/sign_closed.html", context, status=status))
    return _private(render(request, "charters/sign.html", context, status=status))


@require_http_methods(["GET"])
def sign_document(request, token: str):
    """The document as sent (the stored PDF), for the holder of a link."""
    if rate_limited(
        scope="sign-GET", key=_client_ip(request), limit=GET_LIMIT[0], window=GET_LIMIT[1]
    ):
        return _too_many(request)
    signer = signer_for_token(token)
    if signer is None:
        raise Http404("Not found.")
    version = signer.request.version
    if not version.document_pdf or not default_storage.exists(version.document_pdf):
        raise Http404("No document.")
    return _private(
        FileResponse(
            default_storage.open(version.document_pdf, "rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"charter-v{version.number}.pdf",
        )
    )


@require_http_methods(["GET"])
def sign_executed(request, token: str):
    """The executed, sealed PDF, for a signer of that request (also e-mailed to them)."""
    if rate_limited(
        scope="sign-GET", key=_client_ip(request), limit=GET_LIMIT[0], window=GET_LIMIT[1]
    ):
        return _too_many(request)
    signer = signer_for_token(token)
    if signer is None or signer.request.execution_state != SignatureRequest.Execution.DONE:
        raise Http404("Not found.")
    sig_request = signer.request
    if not default_storage.exists(sig_request.executed_pdf):
        raise Http404("Not found.")
    return _private(
        FileResponse(
            default_storage.open(sig_request.executed_pdf, "rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"charter-v{sig_request.version.number}-executed.pdf",
        )
    )
