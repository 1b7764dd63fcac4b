"""Deciding on a partnership, the approver's review, and the organization's approval rule."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.reauthentication import commitment
from accounts.scoping import OrgRequest, member_required, owner_required, writer_required
from core.forms import apply_validation_error

from ..forms import DecisionForm, PolicyForm, ReviewForm
from ..models import Decision
from ..selectors import decision_evidence, decision_get, partnership_get
from ..services.decisions import decision_record, decision_review, policy_set
from ..sufficiency import kinds_needing_approval


def _recorded_message(decision: Decision) -> str:
    if decision.state == Decision.State.PENDING:
        return (
            f"Decision recorded; it takes effect once {decision.approver.display_name} approves it."
        )
    return "Decision recorded and in effect."


@require_http_methods(["GET", "POST"])
@writer_required
def decision_new(request: OrgRequest, uuid) -> HttpResponse:
    """Decide commit / defer / renegotiate / unwind / go / no-go with rationale and evidence.

    When the chosen evidence falls short, the page lists exactly what is missing."""
    partnership = partnership_get(request, uuid)
    form = DecisionForm(request.POST or None, partnership=partnership)
    missing: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                decision = decision_record(
                    partnership=partnership,
                    kind=form.cleaned_data["kind"],
                    rationale=form.cleaned_data["rationale"],
                    evidence=list(form.cleaned_data["evidence"]),
                    decided_by=request.user,
                )
            except ValidationError as exc:
                errors = exc.message_dict
                missing = errors.pop("evidence", [])
                if missing:
                    form.add_error("evidence", "The evidence chosen is not sufficient yet.")
                apply_validation_error(form, ValidationError(errors))
            else:
                messages.success(request, _recorded_message(decision))
                return redirect("evidence:decision_detail", uuid=decision.uuid)
        status = 422
    return render(
        request,
        "evidence/decision_form.html",
        {
            "form": form,
            "partnership": partnership,
            "missing": missing,
            "kinds_needing_approval": kinds_needing_approval(partnership),
        },
        status=status,
    )


def _detail(request: OrgRequest, decision: Decision, form: ReviewForm, status: int = 200):
    return render(
        request,
        "evidence/decision_detail.html",
        {
            "decision": decision,
            "evidence": decision_evidence(decision),
            "review_form": form,
            "can_review": decision.state == Decision.State.PENDING
            and decision.approver_id == request.user.pk,
        },
        status=status,
    )


@require_GET
@member_required()
def decision_detail(request: OrgRequest, uuid) -> HttpResponse:
    """A decision, the evidence it rests on, and the approval form for the named approver."""
    return _detail(request, decision_get(request, uuid), ReviewForm())


@require_POST
@member_required()
@commitment
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
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, "Decision approved and in effect." if approve else "Decision rejected."
            )
            return redirect("evidence:decision_detail", uuid=decision.uuid)
    return _detail(request, decision, form, status=422)


@require_POST
@owner_required
def policy_update(request: OrgRequest) -> HttpResponse:
    """An owner sets which decisions need the approver (SPEC §3: an organization may tighten
    the defaults)."""
    form = PolicyForm(request.POST)
    if form.is_valid():
        policy_set(
            organization=request.organization,
            approval_min_dependency=form.cleaned_data["approval_min_dependency"],
        )
        messages.success(request, "Approval rule saved.")
    else:
        messages.error(request, "Choose a valid approval rule.")
    return redirect("evidence:log")
