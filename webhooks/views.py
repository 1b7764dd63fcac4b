"""The owners' webhook pages: endpoints, one endpoint with its delivery log, and the actions
(rotate the secret, send a test event, resend a delivery, remove the endpoint)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.views.decorators.http import require_POST

from accounts.reauthentication import commitment
from accounts.scoping import OrgRequest, get_scoped_or_404, owner_required, scoped
from core.forms import apply_validation_error
from core.pages import redirect_to, render_page

from .delivery import delivery_resend
from .endpoints import (
    endpoint_create,
    endpoint_delete,
    endpoint_rotate_secret,
    endpoint_send_test,
    endpoint_update,
)
from .forms import EndpointEditForm, EndpointForm
from .models import Attempt, Delivery, Endpoint

LIST = "webhooks/endpoints.html"
DETAIL = "webhooks/endpoint.html"
PAGE_SIZE = 25


def _list_context(request: OrgRequest, **extra) -> dict:
    endpoints = scoped(request, Endpoint).annotate(
        failed=Count("deliveries", filter=Q(deliveries__state=Delivery.State.FAILED)),
        waiting=Count(
            "deliveries",
            filter=Q(deliveries__state__in=[Delivery.State.PENDING, Delivery.State.RETRYING]),
        ),
    )
    return {"endpoints": endpoints, "form": extra.pop("form", None) or EndpointForm(), **extra}


@owner_required
def endpoints(request: OrgRequest):
    return render_page(request, LIST, _list_context(request), partial="endpoints")


@require_POST
@owner_required
@commitment
def endpoint_new(request: OrgRequest):
    """Subscribe an endpoint; its secret is shown in this answer only."""
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint, secret = endpoint_create(
                organization=request.organization, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            context = _detail_context(request, endpoint, new_secret=secret)
            response = render(request, DETAIL, context, status=201)
            response["Cache-Control"] = "no-store"
            return response
    context = _list_context(request, form=form)
    return render_page(request, LIST, context, partial="endpoints", status=422)


def _endpoint(request: OrgRequest, endpoint_uuid) -> Endpoint:
    return get_scoped_or_404(request, Endpoint, uuid=endpoint_uuid)


def _detail_context(request: OrgRequest, endpoint: Endpoint, **extra) -> dict:
    deliveries = (
        Delivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(Prefetch("attempt_log", queryset=Attempt.objects.order_by("number")))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
        "is_enabled": endpoint.is_enabled,
    }
    return {
        "endpoint": endpoint,
        "page": page,
        "form": extra.pop("form", None) or EndpointEditForm(initial=initial),
        "rotating": endpoint.previous_secret_expires_at,
        **extra,
    }


@owner_required
def endpoint_detail(request: OrgRequest, endpoint_uuid):
    """The endpoint's settings (POST saves them) and its delivery log."""
    endpoint = _endpoint(request, endpoint_uuid)
    if request.method == "POST":
        form = EndpointEditForm(request.POST)
        if form.is_valid():
            try:
                endpoint_update(endpoint=endpoint, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Endpoint saved.")
                return redirect_to(request, "webhooks:endpoint", endpoint.uuid)
        context = _detail_context(request, endpoint, form=form)
        return render_page(request, DETAIL, context, partial="settings", status=422)
    return render_page(request, DETAIL, _detail_context(request, endpoint), partial="deliveries")


@require_POST
@owner_required
def endpoint_rotate(request: OrgRequest, endpoint_uuid):
    """A new secret, shown once; the old one keeps signing for a day beside it."""
    endpoint = _endpoint(request, endpoint_uuid)
    secret = endpoint_rotate_secret(endpoint=endpoint)
    endpoint.refresh_from_db()
    response = render(request, DETAIL, _detail_context(request, endpoint, new_secret=secret))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@owner_required
def endpoint_test(request: OrgRequest, endpoint_uuid):
    endpoint = _endpoint(request, endpoint_uuid)
    try:
        endpoint_send_test(endpoint=endpoint, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Test event queued; it appears in the log below.")
    return redirect_to(request, "webhooks:endpoint", endpoint.uuid)


@require_POST
@owner_required
def endpoint_remove(request: OrgRequest, endpoint_uuid):
    endpoint = _endpoint(request, endpoint_uuid)
    endpoint_delete(endpoint=endpoint)
    messages.success(request, f"Endpoint {endpoint.url} removed.")
    return redirect_to(request, "webhooks:endpoints")


@require_POST
@owner_required
def delivery_resend_view(request: OrgRequest, delivery_uuid):
    delivery = get_scoped_or_404(
        request, Delivery.objects.select_related("endpoint"), uuid=delivery_uuid
    )
    try:
        delivery_resend(delivery=delivery)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Delivery queued again.")
    return redirect_to(request, "webhooks:endpoint", delivery.endpoint.uuid)
