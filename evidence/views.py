"""Views of the evidence log and the decision trail: validate, call a service, render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import (
    OrgRequest,
    get_scoped_or_404,
    member_required,
    owner_required,
    scoped,
    writer_required,
)
from partnerships.models import Partnership

from .forms import DecisionForm, EvidenceForm, FilterForm, PolicyForm, ReviewForm
from .models import Decision, EvidenceEntry, EvidencePolicy
from .paging import log_page
from .selectors import chain_status, decision_get, entry_get, entry_queryset
from .services import decision_record, decision_review, evidence_record
from .sufficiency import approval_required
from .summary import partnership_summary

PAGE_SIZE = 25
EXPORT_LIMIT = 5000


def _partnership(request: OrgRequest, uuid) -> Partnership:
    return get_scoped_or_404(
        request, Partnership.objects.select_related("partner", "organization"), uuid=uuid
    )


def _filtered(request: OrgRequest, partnership=None):
    form = FilterForm(
        request.GET or None, organization=request.organization, partnership=partnership
    )
    qs = entry_queryset(request, partnership)
    if form.is_bound:
        qs = form.apply(qs)
    return form, qs


def _log_response(request: OrgRequest, template: str, context: dict, partnership=None):
    form, qs = _filtered(request, partnership)
    total = None
    if not form.has_filters():
        if partnership is None:
            total = (
                scoped(request, EvidenceEntry)
                .order_by("-sequence")
                .values_list("sequence", flat=True)
                .first()
            ) or 0
        else:
            total = EvidenceEntry.objects.filter(partnership=partnership).count()
    page = log_page(qs, request.GET.get("page"), per_page=PAGE_SIZE, total=total)
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "filter_form": form,
            "page_obj": page,
            "entries": page.object_list,
            "querystring": query.urlencode(),
            "partnership": partnership,
            "can_write": request.membership.can_write,
        }
    )
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_GET
@member_required()
def log(request: OrgRequest) -> HttpResponse:
    """The organization's evidence log, with the chain badge."""
    return _log_response(
        request,
        "evidence/log.html",
        {
            "chain": chain_status(request.organization),
            "policy_form": PolicyForm(
                instance=EvidencePolicy.objects.filter(organization=request.organization).first()
            )
            if request.membership.is_owner
            else None,
        },
    )


@require_GET
@member_required()
def partnership_log(request: OrgRequest, uuid) -> HttpResponse:
    """One partnership's log, decision trail, trend chart and what the sufficiency rule misses."""
    partnership = _partnership(request, uuid)
    context = {}
    if not request.htmx:
        decisions = (
            Decision.objects.filter(partnership=partnership)
            .select_related("decided_by", "approver")
            .prefetch_related("evidence")
            .order_by("-decided_at", "-pk")[:20]
        )
        context = {"decisions": decisions, **partnership_summary(partnership)}
    return _log_response(request, "evidence/partnership_log.html", context, partnership)


@require_http_methods(["GET", "POST"])
@writer_required
def entry_new(request: OrgRequest) -> HttpResponse:
    """Log evidence. ``?partnership=<uuid>`` fixes the partnership."""
    partnership = None
    if request.GET.get("partnership"):
        partnership = _partnership(request, request.GET["partnership"])
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
    initial = {}
    if correcting is not None:
        initial = {
            field: getattr(correcting, field)
            for field in (
                "claim",
                "artifact",
                "quality",
                "observed_on",
                "limits",
                "boundary_status",
                "decision",
                "link",
            )
        }
        initial["approver"] = correcting.approver_id
    elif partnership is not None and partnership.claim_uncertainty:
        initial["claim"] = partnership.claim_sentence
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        organization=request.organization,
        partnership=partnership,
        correcting=correcting,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = evidence_record(
                    partnership=data["partnership"],
                    claim=data["claim"],
                    artifact=data["artifact"],
                    quality=data["quality"],
                    observed_on=data["observed_on"],
                    limits=data["limits"],
                    boundary_status=data["boundary_status"],
                    decision=data["decision"],
                    approver=data["approver"],
                    link=data["link"],
                    file=data["file"],
                    recorded_by=request.user,
                    supersedes=correcting,
                    correction_reason=data.get("correction_reason", ""),
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
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
    entry = entry_get(request, uuid)
    corrections = list(entry.superseded_by.select_related("recorded_by"))
    return render(
        request,
        "evidence/entry_detail.html",
        {
            "entry": entry,
            "corrections": corrections,
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


@require_http_methods(["GET", "POST"])
@writer_required
def decision_new(request: OrgRequest, uuid) -> HttpResponse:
    """Decide commit / defer / renegotiate / unwind / go / no-go with rationale and evidence."""
    partnership = _partnership(request, uuid)
    form = DecisionForm(request.POST or None, partnership=partnership)
    missing: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = decision_record(
                    partnership=partnership,
                    kind=data["kind"],
                    rationale=data["rationale"],
                    evidence=list(data["evidence"]),
                    decided_by=request.user,
                )
            except ValidationError as exc:
                errors = exc.message_dict
                missing = errors.pop("evidence", [])
                if missing:
                    form.add_error("evidence", "The evidence chosen is not sufficient yet.")
                for field, errs in errors.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                if decision.state == Decision.State.PENDING:
                    messages.success(
                        request,
                        f"Decision recorded; it takes effect once {decision.approver.display_name} "
                        "approves it.",
                    )
                else:
                    messages.success(request, "Decision recorded and in effect.")
                return redirect("evidence:decision_detail", uuid=decision.uuid)
        status = 422
    kinds_needing_approval = [
        kind
        for kind in ("commit", "defer", "renegotiate", "unwind", "go", "no_go")
        if approval_required(partnership=partnership, kind=kind)
    ]
    return render(
        request,
        "evidence/decision_form.html",
        {
            "form": form,
            "partnership": partnership,
            "missing": missing,
            "kinds_needing_approval": kinds_needing_approval,
        },
        status=status,
    )


@require_GET
@member_required()
def decision_detail(request: OrgRequest, uuid) -> HttpResponse:
    decision = decision_get(request, uuid)
    return render(
        request,
        "evidence/decision_detail.html",
        {
            "decision": decision,
            "evidence": decision.evidence.select_related("recorded_by").order_by("-observed_on"),
            "review_form": ReviewForm(),
            "can_review": decision.state == Decision.State.PENDING
            and decision.approver_id == request.user.pk,
        },
    )


@require_POST
@member_required()
def decision_review_view(request: OrgRequest, uuid) -> HttpResponse:
    """The named approver approves or rejects, with a reason."""
    decision = decision_get(request, uuid)
    if decision.approver_id != request.user.pk:
        raise PermissionDenied("Only the named approver may approve or reject this decision.")
    form = ReviewForm(request.POST)
    approve = request.POST.get("action") == "approve"
    if form.is_valid():
        try:
            decision_review(
                decision=decision,
                reviewer=request.user,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(
                request, "Decision approved and in effect." if approve else "Decision rejected."
            )
            return redirect("evidence:decision_detail", uuid=decision.uuid)
    return render(
        request,
        "evidence/decision_detail.html",
        {
            "decision": decision,
            "evidence": decision.evidence.order_by("-observed_on"),
            "review_form": form,
            "can_review": decision.state == Decision.State.PENDING,
        },
        status=422,
    )


@require_POST
@owner_required
def policy_update(request: OrgRequest) -> HttpResponse:
    policy, _ = EvidencePolicy.objects.get_or_create(organization=request.organization)
    form = PolicyForm(request.POST, instance=policy)
    if form.is_valid():
        form.save()
        messages.success(request, "Approval rule saved.")
    else:
        messages.error(request, "Choose a valid approval rule.")
    return redirect("evidence:log")


EXPORT_COLUMNS = [
    "Sequence",
    "Partner",
    "Partnership",
    "Claim",
    "Evidence artifact",
    "Limits",
    "Boundary status",
    "Decision",
    "Date",
    "Approver",
    "Quality",
    "Link",
    "File",
    "Supersedes",
    "Correction reason",
    "Recorded by",
    "Recorded at",
    "Entry hash",
]


def _export_row(e) -> list[str]:
    return [
        e.sequence,
        e.partnership.partner.name,
        e.partnership.name,
        e.claim,
        e.artifact,
        e.limits,
        e.get_boundary_status_display(),
        e.get_decision_display(),
        e.observed_on.isoformat(),
        e.approver.display_name if e.approver else "",
        e.get_quality_display(),
        e.link,
        e.file_name,
        e.supersedes.sequence if e.supersedes else "",
        e.correction_reason,
        e.recorded_by.display_name if e.recorded_by else "",
        e.created_at.isoformat(),
        e.entry_hash,
    ]


class _Echo:
    def write(self, value):
        return value


def _export_scope(request: OrgRequest):
    partnership = None
    if request.GET.get("partnership"):
        partnership = _partnership(request, request.GET["partnership"])
    _form, qs = _filtered(request, partnership)
    return partnership, qs


def _csv_safe(value):
    """Neutralize spreadsheet formulas in user text (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
@member_required()
def export_csv(request: OrgRequest) -> StreamingHttpResponse:
    """The filtered log as CSV, streamed."""
    _partnership_obj, qs = _export_scope(request)
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(EXPORT_COLUMNS)
        for entry in qs.iterator(chunk_size=1000):
            yield writer.writerow([_csv_safe(v) for v in _export_row(entry)])

    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evidence-log-{stamp}.csv"'
    return response


@require_GET
@member_required()
def export_pdf(request: OrgRequest) -> HttpResponse:
    """The filtered log as a PDF (WeasyPrint), up to EXPORT_LIMIT rows."""
    from weasyprint import HTML

    partnership, qs = _export_scope(request)
    entries = list(qs[: EXPORT_LIMIT + 1])
    truncated = len(entries) > EXPORT_LIMIT
    html = render_to_string(
        "evidence/export_pdf.html",
        {
            "entries": entries[:EXPORT_LIMIT],
            "truncated": truncated,
            "limit": EXPORT_LIMIT,
            "organization": request.organization,
            "partnership": partnership,
            "generated_at": timezone.now(),
            "filters": request.GET.urlencode(),
        },
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evidence-log-{stamp}.pdf"'
    return response
