"""Logging, correcting and reading evidence entries, and serving their files to members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scoping import OrgRequest, member_required, writer_required
from core.forms import apply_validation_error

from ..forms import EvidenceForm
from ..selectors import entry_get, partnership_get
from ..services.entries import evidence_record


@require_http_methods(["GET", "POST"])
@writer_required
def entry_new(request: OrgRequest) -> HttpResponse:
    """Log evidence. ``?partnership=<uuid>`` fixes the partnership."""
    partnership = None
    if request.GET.get("partnership"):
        partnership = partnership_get(request, request.GET["partnership"])
    return _entry_form(request, partnership=partnership)


@require_http_methods(["GET", "POST"])
@writer_required
def entry_correct(request: OrgRequest, uuid) -> HttpResponse:
    """Correct an entry by appending a new one that supersedes it."""
    original = entry_get(request, uuid)
    if original.superseded_by.exists():
        messages.error(request, "This entry was already corrected; correct the newer entry.")
        return redirect("evidence:entry_detail", uuid=original.uuid)
    return _entry_form(request, partnership=original.partnership, correcting=original)


def _entry_form(request: OrgRequest, *, partnership, correcting=None) -> HttpResponse:
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        initial=EvidenceForm.initial_for(partnership=partnership, correcting=correcting),
        organization=request.organization,
        partnership=partnership,
        correcting=correcting,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = evidence_record(**form.record_arguments(), recorded_by=request.user)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"Evidence #{entry.sequence} logged.")
                return redirect("evidence:partnership_log", uuid=entry.partnership.uuid)
        status = 422
    return render(
        request,
        "evidence/entry_form.html",
        {"form": form, "partnership": partnership, "correcting": correcting},
        status=status,
    )


@require_GET
@member_required()
def entry_detail(request: OrgRequest, uuid) -> HttpResponse:
    """One entry with its chain position, what corrects it and the decisions resting on it."""
    entry = entry_get(request, uuid)
    return render(
        request,
        "evidence/entry_detail.html",
        {
            "entry": entry,
            "corrections": list(entry.superseded_by.select_related("recorded_by")),
            "decisions": entry.decisions.all(),
            "can_write": request.membership.can_write,
        },
    )


@require_GET
@member_required()
def entry_file(request: OrgRequest, uuid) -> FileResponse:
    """Serve an uploaded file to members only, as a download under its original name."""
    entry = entry_get(request, uuid)
    if not entry.file:
        raise Http404("No file.")
    try:
        handle = default_storage.open(entry.file.name, "rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=entry.file_name or entry.file.name.rsplit("/", 1)[-1],
        content_type=entry.file_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
