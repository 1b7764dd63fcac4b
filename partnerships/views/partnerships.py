"""The partnership page, its create and edit forms, and status changes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_POST

from accounts.reauthentication import commitment_when
from accounts.scoping import OrgRequest, get_scoped_or_404, member_required, writer_required
from core.clock import org_today
from core.forms import apply_validation_error
from core.pages import is_validation_only, redirect_to, render_page, render_validation

from .. import selectors, services
from ..extensions import partnership_panels
from ..forms import PartnershipForm, StatusForm
from ..models import FlowRun, Partner, Phase, Status
from ..rules import leverage_advice, partnership_flags, phase_time_box
from ..trees import SLUGS

GO_NO_GO = {Phase.CRAWL: FlowRun.Kind.CRAWL_TO_WALK, Phase.WALK: FlowRun.Kind.WALK_TO_RUN}


def partnership_context(request, partnership, *, status_form=None) -> dict:
    """Everything the partnership page shows (a fixed number of queries)."""
    day = org_today(request.organization)
    plan = selectors.launch_plan_for(partnership)
    items = list(plan.items.all()) if plan else []
    go_kind = GO_NO_GO.get(partnership.phase)
    return {
        "partnership": partnership,
        "flags": partnership_flags(partnership, today=day),
        "tier_flag": selectors.organization_tier_flag(request.organization),
        "advice": leverage_advice(partnership.leverage),
        "time_box": phase_time_box(
            phase=partnership.phase, started_on=partnership.phase_started_on, today=day
        ),
        "timeline": selectors.partnership_timeline(partnership),
        "panels": partnership_panels(request, partnership),
        "plan": plan,
        "plan_done": sum(1 for item in items if item.done),
        "plan_total": len(items),
        "go_slug": SLUGS[go_kind] if go_kind else None,
        "status_form": status_form or StatusForm(),
        "ended": partnership.status == Status.ENDED,
    }


@member_required()
def partnership_detail(request: OrgRequest, partnership_uuid):
    partnership = selectors.partnership_get(request, partnership_uuid)
    return render(
        request, "partnerships/partnership_detail.html", partnership_context(request, partnership)
    )


@writer_required
def partnership_create(request: OrgRequest):
    """Propose a partnership; ``?flow=`` attaches a build-vs-partner run, ``?partner=`` picks
    the partner."""
    people = selectors.members(request.organization)
    flow_run = None
    if request.GET.get("flow"):
        flow_run = get_scoped_or_404(
            request,
            FlowRun.objects.filter(
                kind=FlowRun.Kind.BUILD_VS_PARTNER, final_choice="partner", partnership=None
            ),
            uuid=request.GET["flow"],
        )
    initial = {"owner": request.user, "deferral_condition": "evidence remains ambiguous"}
    partner_uuid = request.GET.get("partner") or (
        flow_run.partner.uuid if flow_run and flow_run.partner_id else None
    )
    if partner_uuid:
        initial["partner"] = get_scoped_or_404(request, Partner, uuid=partner_uuid)
    if flow_run and flow_run.subject:
        initial["claim_capability"] = flow_run.subject
    form = PartnershipForm(
        request.POST or None,
        initial=initial,
        organization=request.organization,
        people=people,
    )
    context = {"form": form, "flow_run": flow_run}
    if is_validation_only(request):
        return render_validation(request, "partnerships/partnership_form.html", context, form)
    if request.method == "POST":
        if form.is_valid():
            try:
                partnership = services.partnership_create(
                    organization=request.organization,
                    actor=request.user,
                    flow_run=flow_run,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Partnership proposed. Run the tier assignment next.")
                return redirect_to(
                    request, "partnerships:partnership_detail", partnership_uuid=partnership.uuid
                )
        return render_page(
            request, "partnerships/partnership_form.html", context, partial="form", status=422
        )
    return render(request, "partnerships/partnership_form.html", context)


@writer_required
def partnership_edit(request: OrgRequest, partnership_uuid):
    partnership = selectors.partnership_get(request, partnership_uuid)
    people = selectors.members(request.organization)
    form = PartnershipForm(
        request.POST or None,
        instance=partnership,
        organization=request.organization,
        people=people,
    )
    context = {"form": form, "partnership": partnership}
    if is_validation_only(request):
        return render_validation(request, "partnerships/partnership_form.html", context, form)
    if request.method == "POST":
        if form.is_valid():
            # The ModelForm already wrote the cleaned values onto the instance; reload it so the
            # service sees what changed.
            fresh = selectors.partnership_get(request, partnership_uuid)
            try:
                services.partnership_update(
                    partnership=fresh, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Partnership saved.")
                return redirect_to(
                    request, "partnerships:partnership_detail", partnership_uuid=partnership.uuid
                )
        return render_page(
            request, "partnerships/partnership_form.html", context, partial="form", status=422
        )
    return render(request, "partnerships/partnership_form.html", context)


@require_POST
@writer_required
@commitment_when(lambda request: request.POST.get("to_status") == Status.UNWINDING)
def partnership_status(request: OrgRequest, partnership_uuid):
    """Change the status (defer, renegotiate, unwind, end, reactivate) with a reason."""
    partnership = selectors.partnership_get(request, partnership_uuid)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.partnership_change_status(
                partnership=partnership,
                to_status=form.cleaned_data["to_status"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Status is now {partnership.get_status_display()}.")
            return redirect_to(
                request, "partnerships:partnership_detail", partnership_uuid=partnership.uuid
            )
    context = partnership_context(request, partnership, status_form=form)
    return render_page(
        request, "partnerships/partnership_detail.html", context, partial="status", status=422
    )
