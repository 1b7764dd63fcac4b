"""The seeds' decision trees as guided, one-question-at-a-time flows.

The answers so far travel in the query string (``?self_serve=no&marquee=yes``), so every step
is a plain link that also works without JavaScript; htmx swaps only the flow's card.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import Role
from accounts.reauthentication import commitment
from accounts.scoping import OrgRequest, get_scoped_or_404, member_required
from core.forms import apply_validation_error
from core.pages import redirect_to, render_page

from .. import selectors
from ..flows import GO_PHASES, flow_record, go_blockers, recommendation
from ..forms import BuildVsPartnerDecisionForm, FlowDecisionForm, GoDecisionForm
from ..models import FlowRun, Partner, Phase
from ..trees import FLOWS, KINDS, SLUGS, flow_walk

PARTNERSHIP_FLOWS = {FlowRun.Kind.TIER, FlowRun.Kind.CRAWL_TO_WALK, FlowRun.Kind.WALK_TO_RUN}
TEMPLATE = "partnerships/flow.html"


def _answers(request, flow) -> dict[str, str]:
    source = request.POST if request.method == "POST" else request.GET
    return {key: source[key] for key in flow.nodes if source.get(key) in ("yes", "no")}


def _steps(base_url: str, state, keep: dict[str, str]) -> dict:
    """Links for each step: answer yes / no to the current question, or go back to one."""

    def link(answers):
        return f"{base_url}?{urlencode({**keep, **answers})}"

    asked, so_far = [], {}
    for key, question, answer in state.asked:
        asked.append({"question": question, "answer": answer, "change_url": link(so_far)})
        so_far = {**so_far, key: answer}
    current = None
    if state.next_question is not None:
        current = {
            "key": state.next_key,
            "question": state.next_question,
            "yes_url": link({**so_far, state.next_key: "yes"}),
            "no_url": link({**so_far, state.next_key: "no"}),
        }
    return {"asked": asked, "current": current, "restart_url": link({})}


def _decision_form(kind, flow, recommended, data=None):
    form_class = {
        FlowRun.Kind.CRAWL_TO_WALK: GoDecisionForm,
        FlowRun.Kind.WALK_TO_RUN: GoDecisionForm,
        FlowRun.Kind.BUILD_VS_PARTNER: BuildVsPartnerDecisionForm,
    }.get(kind, FlowDecisionForm)
    return form_class(data, flow=flow, recommendation=recommended)


def _run(
    request, *, kind, base_url, partnership=None, write_role=Role.MANAGER, keep=None, extra=None
):
    flow = FLOWS[kind]
    keep = keep or {}
    state = flow_walk(flow, _answers(request, flow))
    can_decide = request.membership.has_role(write_role)
    if request.method == "POST" and not can_decide:
        raise PermissionDenied("Your role does not allow this decision.")
    context = {
        "flow": flow,
        "kind": kind,
        "state": state,
        "partnership": partnership,
        "base_url": base_url,
        "keep": keep,
        "can_decide": can_decide,
        "blockers": [],
        **_steps(base_url, state, keep),
        **(extra or {}),
    }
    blockers: list[str] = []
    if kind in GO_PHASES:
        if partnership.phase != GO_PHASES[kind][0]:
            context["wrong_phase"] = Phase(GO_PHASES[kind][0]).label
        else:
            # What the gates (charter, evidence sufficiency) would say to a go now.
            blockers = context["go_blockers"] = go_blockers(kind, partnership)
    if kind == FlowRun.Kind.PROGRAM:
        context["current_program"] = request.organization.get_partner_program_display()
    if state.outcome_key is None:
        # A decision posted before every question is answered shows the next question.
        status = 422 if request.method == "POST" else 200
        return render_page(request, TEMPLATE, context, partial="flow", status=status)

    recommended = recommendation(flow, state, blockers)
    context["outcome"] = flow.nodes[recommended]
    form = _decision_form(
        kind, flow, recommended, request.POST if request.method == "POST" else None
    )
    context["form"] = form
    if request.method != "POST":
        return render_page(request, TEMPLATE, context, partial="flow")
    if context.get("wrong_phase"):
        return render_page(request, TEMPLATE, context, partial="flow", status=422)
    if form.is_valid():
        partner = None
        if keep.get("partner"):
            partner = get_scoped_or_404(request, Partner, uuid=keep["partner"])
        try:
            run = flow_record(
                organization=request.organization,
                kind=kind,
                answers=state.answers,
                final_choice=form.cleaned_data["final_choice"],
                override_reason=form.cleaned_data.get("override_reason", ""),
                actor=request.user,
                partnership=partnership,
                partner=partner,
                subject=form.cleaned_data.get("subject", ""),
                success_criteria=form.cleaned_data.get("success_criteria", ""),
                run_uuid=form.cleaned_data.get("run_uuid"),
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            # A gate's refusal is shown as the list of what is missing, not as a form error.
            context["blockers"].extend(errors.pop("phase", []))
            if errors:
                apply_validation_error(form, ValidationError(errors))
        else:
            return _after(request, run, flow)
    return render_page(request, TEMPLATE, context, partial="flow", status=422)


def _after(request, run: FlowRun, flow):
    chosen = dict(flow.choices)[run.final_choice]
    messages.success(request, f"{flow.title}: {chosen} — recorded.")
    if run.partnership_id:
        return redirect_to(
            request, "partnerships:partnership_detail", partnership_uuid=run.partnership.uuid
        )
    if run.kind == FlowRun.Kind.BUILD_VS_PARTNER and run.final_choice == "partner":
        url = reverse("partnerships:partnership_create") + f"?flow={run.uuid}"
        if run.partner_id:
            url += f"&partner={run.partner.uuid}"
        if request.htmx:
            return HttpResponseClientRedirect(url)
        return redirect(url)
    return redirect_to(request, "partnerships:flow_history")


@member_required()
@commitment
def partnership_flow(request: OrgRequest, partnership_uuid, slug):
    """Tier assignment and the go / no-go flows of one partnership."""
    kind = KINDS.get(slug)
    if kind not in PARTNERSHIP_FLOWS:
        raise Http404("No such flow.")
    partnership = selectors.partnership_get(request, partnership_uuid)
    base_url = reverse(
        "partnerships:partnership_flow",
        kwargs={"partnership_uuid": partnership.uuid, "slug": slug},
    )
    return _run(request, kind=kind, base_url=base_url, partnership=partnership)


@member_required()
def build_vs_partner(request: OrgRequest):
    """Before a partnership exists: should we build this capability or partner for it?"""
    keep, extra = {}, {}
    partner_uuid = request.GET.get("partner") or request.POST.get("partner")
    if partner_uuid:
        partner = get_scoped_or_404(request, Partner, uuid=partner_uuid)
        keep["partner"] = str(partner.uuid)
        extra["earlier"] = _earlier_partner_run(partner)
    base_url = reverse("partnerships:flow_build_vs_partner")
    return _run(
        request, kind=FlowRun.Kind.BUILD_VS_PARTNER, base_url=base_url, keep=keep, extra=extra
    )


def _earlier_partner_run(partner) -> dict | None:
    """The partner's latest recorded "partner, don't build" answer, so "New partnership" can
    offer to skip asking the same questions again (issue 18.7); with the link that proposes
    the partnership on it (the run itself, while no partnership uses it yet)."""
    run = (
        FlowRun.objects.filter(
            partner=partner, kind=FlowRun.Kind.BUILD_VS_PARTNER, final_choice="partner"
        )
        .order_by("-decided_at", "-pk")
        .first()
    )
    if run is None:
        return None
    url = reverse("partnerships:partnership_create") + f"?partner={partner.uuid}"
    if run.partnership_id is None:
        url += f"&flow={run.uuid}"
    return {"run": run, "partner": partner, "skip_url": url}


@member_required()
def program(request: OrgRequest):
    """Curated vs open partner program: an organization setting, decided by an owner."""
    base_url = reverse("partnerships:flow_program")
    return _run(request, kind=FlowRun.Kind.PROGRAM, base_url=base_url, write_role=Role.OWNER)


@member_required()
def flow_history(request: OrgRequest):
    """Decisions that are not (yet) on a partnership's timeline: build vs partner, program."""
    runs = selectors.recent_flow_runs(
        request, kinds=[FlowRun.Kind.BUILD_VS_PARTNER, FlowRun.Kind.PROGRAM], limit=50
    )
    for run in runs:
        flow = FLOWS[run.kind]
        run.choice_label = dict(flow.choices).get(run.final_choice, run.final_choice)
        run.recommendation_label = dict(flow.choices).get(run.recommendation, run.recommendation)
        run.slug = SLUGS[run.kind]
    return render(
        request,
        "partnerships/flow_history.html",
        {"runs": runs, "program": request.organization.get_partner_program_display()},
    )
