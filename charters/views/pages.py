"""Member pages: the charter list, a partnership's charter, editing, sending, voiding."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.reauthentication import commitment
from accounts.scoping import (
    OrgRequest,
    get_scoped_or_404,
    member_required,
    scoped,
    writer_required,
)
from core.forms import apply_validation_error
from core.pages import render_page
from core.paging import CountedPaginator
from partnerships.models import Partnership

from .. import selectors
from ..forms import CharterForm, ReasonForm, SendForm
from ..models import SECTION_FIELDS, Charter, CharterVersion, SignatureRequest, Signer
from ..services.common import ClientMeta
from ..services.scan import signer_remind_now
from ..services.sending import signature_request_send, signature_request_void
from ..services.signing import waiting_for
from ..services.versions import charter_prefill, charter_save


def _partnership(request: OrgRequest, partnership_uuid) -> Partnership:
    return get_scoped_or_404(
        request,
        Partnership.objects.select_related("partner", "organization"),
        uuid=partnership_uuid,
    )


@member_required()
def charter_list(request: OrgRequest):
    # Every partnership's partner is of its organization: counting the partnerships alone
    # selects the same rows as the list, without the partner join its order needs.
    paginator = CountedPaginator(
        selectors.charter_rows(request), 25, count_from=scoped(request, Partnership)
    )
    page = paginator.get_page(request.GET.get("page"))
    return render_page(request, "charters/list.html", {"page": page}, partial="rows")


@member_required()
def charter_detail(request: OrgRequest, partnership_uuid):
    partnership = _partnership(request, partnership_uuid)
    charter = Charter.objects.filter(partnership=partnership).first()
    versions, requests = selectors.charter_page(charter=charter) if charter else ([], [])
    my_signers = {
        s.request_id: s
        for r in requests
        for s in r.signers.all()
        if s.user_id == request.user.pk and s.state == Signer.State.PENDING
    }
    for r in requests:
        r.my_signer = my_signers.get(r.pk) if r.is_open else None
        r.waiting_for = waiting_for(r.my_signer) if r.my_signer else []
    latest = versions[0] if versions else None
    blocking = {SignatureRequest.State.PENDING, SignatureRequest.State.COMPLETED}
    can_send = latest is not None and not any(
        r.version_id == latest.pk and r.state in blocking for r in requests
    )
    return render(
        request,
        "charters/detail.html",
        {
            "can_send": can_send,
            "partnership": partnership,
            "charter": charter,
            "versions": versions,
            "latest": latest,
            "requests": requests,
            "void_form": ReasonForm(),
            "can_write": request.membership.can_write,
        },
    )


@writer_required
@require_http_methods(["GET", "POST"])
def charter_edit(request: OrgRequest, partnership_uuid):
    partnership = _partnership(request, partnership_uuid)
    charter = Charter.objects.filter(partnership=partnership).first()
    latest = charter.versions.order_by("-number").first() if charter else None
    if request.method == "POST":
        form = CharterForm(request.POST)
        if form.is_valid():
            version = charter_save(
                partnership=partnership, actor=request.user, data=form.cleaned_data
            )
            messages.success(request, f"Charter version {version.number} saved.")
            return redirect("charters:detail", partnership.uuid)
        status = 422
    else:
        if latest is not None:
            initial = {name: getattr(latest, name) for name in ["title", *SECTION_FIELDS]}
        else:
            initial = charter_prefill(partnership)
        form = CharterForm(initial=initial)
        status = 200
    return render(
        request,
        "charters/edit.html",
        {"partnership": partnership, "form": form, "latest": latest},
        status=status,
    )


@member_required()
def charter_compare(request: OrgRequest, partnership_uuid):
    partnership = _partnership(request, partnership_uuid)
    versions = list(
        CharterVersion.objects.filter(
            charter__partnership=partnership, organization=request.organization
        ).order_by("-number")
    )
    if len(versions) < 2:
        raise Http404("Nothing to compare.")
    by_number = {v.number: v for v in versions}

    def pick(param, default):
        try:
            return by_number[int(request.GET.get(param, default))]
        except (KeyError, ValueError):
            return by_number[default]

    old = pick("a", versions[1].number)
    new = pick("b", versions[0].number)
    return render(
        request,
        "charters/compare.html",
        {
            "partnership": partnership,
            "versions": versions,
            "old": old,
            "new": new,
            "rows": selectors.version_diff(old, new),
        },
    )


@writer_required
@require_http_methods(["GET", "POST"])
@commitment
def charter_send(request: OrgRequest, version_uuid):
    version = get_scoped_or_404(
        request,
        CharterVersion.objects.select_related("charter__partnership__partner"),
        uuid=version_uuid,
    )
    partnership = version.charter.partnership
    form = SendForm(
        request.POST or None, organization=request.organization, partnership=partnership
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signature_request_send(
                    version=version,
                    actor=request.user,
                    our_users=list(form.cleaned_data["our_signers"]),
                    partner_contacts=list(form.cleaned_data["partner_signers"]),
                    order=form.cleaned_data["order"],
                    expires_at=form.expires_at(),
                    require_code=form.cleaned_data["require_code"],
                    message=form.cleaned_data["message"],
                    meta=ClientMeta.from_request(request),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"Charter v{version.number} sent for signature.")
                return redirect("charters:detail", partnership.uuid)
        status = 422
    return render(
        request,
        "charters/send.html",
        {"version": version, "partnership": partnership, "form": form},
        status=status,
    )


@writer_required
@require_POST
def request_void(request: OrgRequest, request_uuid):
    sig_request = get_scoped_or_404(
        request,
        SignatureRequest.objects.select_related("version__charter__partnership"),
        uuid=request_uuid,
    )
    partnership = sig_request.version.charter.partnership
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            signature_request_void(
                request=sig_request,
                reason=form.cleaned_data["reason"],
                meta=ClientMeta.from_request(request),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The signature request was voided; signers were told.")
    else:
        messages.error(request, "Say why the request is voided.")
    return redirect("charters:detail", partnership.uuid)


def _pdf_response(name: str, filename: str) -> FileResponse:
    if not name or not default_storage.exists(name):
        raise Http404("No document.")
    return FileResponse(
        default_storage.open(name, "rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=filename,
    )


@member_required()
def version_document(request: OrgRequest, version_uuid):
    version = get_scoped_or_404(request, CharterVersion, uuid=version_uuid)
    return _pdf_response(version.document_pdf, f"charter-v{version.number}-for-signature.pdf")


@member_required()
def executed_document(request: OrgRequest, request_uuid):
    sig_request = get_scoped_or_404(
        request, SignatureRequest.objects.select_related("version"), uuid=request_uuid
    )
    if sig_request.execution_state != SignatureRequest.Execution.DONE:
        raise Http404("Not executed yet.")
    return _pdf_response(
        sig_request.executed_pdf, f"charter-v{sig_request.version.number}-executed.pdf"
    )


@writer_required
@require_POST
def signer_remind(request: OrgRequest, signer_uuid):
    """Re-send a pending signer a fresh personal link."""
    signer = get_scoped_or_404(
        request,
        Signer.objects.select_related("request__version__charter__partnership"),
        uuid=signer_uuid,
    )
    partnership = signer.request.version.charter.partnership
    try:
        signer_remind_now(signer=signer, meta=ClientMeta.from_request(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"A fresh link was e-mailed to {signer.name}.")
    return redirect("charters:detail", partnership.uuid)
