"""The review queue (curated) or the admitted list (open), one application, and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scoping import OrgRequest, member_required, scoped, writer_required
from core.forms import apply_validation_error
from core.pages import redirect_to, render_page

from .. import selectors, services
from ..forms import DeclineForm, EndForm
from ..models import Application, RevisitSuggestion
from ..rules import application_is_handshake

DETAIL = "programs/application.html"


def _mark(applications: list[Application], now) -> list[Application]:
    for application in applications:
        application.handshake = application_is_handshake(application)
        application.waited_days = (now - application.confirmed_at).days
    return applications


@member_required()
def index(request: OrgRequest):
    """Who is waiting (length, oldest wait), what was decided lately, and the program's data."""
    now = timezone.now()
    organization = request.organization
    waiting = _mark(selectors.waiting_applications(request), now)
    program_settings = selectors.settings_for(organization)
    capacity = selectors.review_capacity(organization, now=now)
    context = {
        "program_settings": program_settings,
        "program": selectors.effective_program(organization),
        "capacity": capacity,
        "data_answer": selectors.scale_review_answer(capacity, program_settings),
        "waiting": waiting,
        "recent": selectors.recent_applications(request),
        "suggestion": scoped(request, RevisitSuggestion).filter(resolved_at__isnull=True).first(),
    }
    return render(request, "programs/index.html", context)


def _detail(request, application, *, decline=None, end=None, status=200):
    application.handshake = application_is_handshake(application)
    application.waited_days = (timezone.now() - application.confirmed_at).days
    context = {
        "application": application,
        "decline_form": decline or DeclineForm(),
        "end_form": end or EndForm(),
    }
    return render_page(request, DETAIL, context, partial="decision", status=status)


@member_required()
def application_detail(request: OrgRequest, application_uuid):
    return _detail(request, selectors.application_get(request, application_uuid))


@require_POST
@writer_required
def accept(request: OrgRequest, application_uuid):
    application = selectors.application_get(request, application_uuid)
    try:
        application = services.application_accept(application=application, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _detail(request, application, status=409)
    messages.success(
        request, f"{application.company} accepted: a proposed Tier 1 partnership is ready."
    )
    return redirect_to(
        request,
        "partnerships:partnership_detail",
        partnership_uuid=application.partnership.uuid,
    )


@require_POST
@writer_required
def decline(request: OrgRequest, application_uuid):
    application = selectors.application_get(request, application_uuid)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.application_decline(
                application=application, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{application.company} declined; they have been told.")
            return redirect_to(request, "programs:index")
    return _detail(request, application, decline=form, status=422)


@require_POST
@writer_required
def end(request: OrgRequest, application_uuid):
    application = selectors.application_get(request, application_uuid)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.application_end(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{application.company} has left the program.")
            return redirect_to(request, "programs:application", application_uuid=application.uuid)
    return _detail(request, application, end=form, status=422)
