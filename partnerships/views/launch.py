"""The launch plan: the seed's checklist per partnership, items toggled in place."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.scoping import OrgRequest, get_scoped_or_404, member_required, writer_required
from core.clock import org_today
from core.forms import apply_validation_error
from core.pages import redirect_to, wants_partial

from .. import selectors
from ..forms import LaunchItemForm, LaunchPlanForm
from ..launch import launch_item_toggle, launch_item_update, launch_plan_create
from ..models import LaunchItem

TEMPLATE = "partnerships/launch_plan.html"


def _stages(plan):
    stages = []
    for value, label in LaunchItem.Stage.choices:
        items = [item for item in plan.items.all() if item.stage == value]
        stages.append({"value": value, "label": label, "items": items})
    return stages


@member_required()
def launch_plan(request: OrgRequest, partnership_uuid):
    partnership = selectors.partnership_get(request, partnership_uuid)
    plan = selectors.launch_plan_for(partnership)
    form = LaunchPlanForm(request.POST or None, today=org_today(request.organization))
    if request.method == "POST":
        if not request.membership.can_write:
            raise PermissionDenied("Your role does not allow this.")
        if form.is_valid():
            try:
                launch_plan_create(
                    partnership=partnership,
                    launch_on=form.cleaned_data["launch_on"],
                    actor=request.user,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Launch plan created from the seed's checklist.")
                return redirect_to(
                    request, "partnerships:launch_plan", partnership_uuid=partnership.uuid
                )
        status = 422
    else:
        status = 200
    items = list(plan.items.all()) if plan else []
    return render(
        request,
        TEMPLATE,
        {
            "partnership": partnership,
            "plan": plan,
            "stages": _stages(plan) if plan else [],
            "done": sum(1 for i in items if i.done),
            "total": len(items),
            "form": form,
            "today": org_today(request.organization),
        },
        status=status,
    )


def _item(request, item_uuid) -> LaunchItem:
    return get_scoped_or_404(
        request,
        LaunchItem.objects.select_related("plan__partnership", "owner", "done_by"),
        uuid=item_uuid,
    )


def _item_response(request, item, *, form=None, status=200):
    if wants_partial(request):
        name = f"{TEMPLATE}#{'item_edit' if form else 'item'}"
        counts = item.plan.items.aggregate(total=Count("pk"), done=Count("pk", filter=Q(done=True)))
        return render(
            request,
            name,
            {
                "item": item,
                "item_form": form,
                "today": org_today(request.organization),
                "plan": item.plan,
                "oob_progress": True,
                **counts,
            },
            status=status,
        )
    return redirect("partnerships:launch_plan", partnership_uuid=item.plan.partnership.uuid)


@require_POST
@writer_required
def launch_item_toggle_view(request: OrgRequest, item_uuid):
    item = _item(request, item_uuid)
    item = launch_item_toggle(item=item, actor=request.user, done=request.POST.get("done") == "1")
    item = _item(request, item_uuid)
    return _item_response(request, item)


@writer_required
def launch_item_edit(request: OrgRequest, item_uuid):
    item = _item(request, item_uuid)
    people = selectors.members(request.organization)
    form = LaunchItemForm(request.POST or None, instance=item, people=people)
    if request.method == "POST":
        if form.is_valid():
            try:
                launch_item_update(
                    item=_item(request, item_uuid),
                    owner=form.cleaned_data["owner"],
                    due_on=form.cleaned_data["due_on"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return _item_response(request, _item(request, item_uuid))
        return _item_response(request, item, form=form, status=422)
    if not wants_partial(request):
        return redirect("partnerships:launch_plan", partnership_uuid=item.plan.partnership.uuid)
    return _item_response(request, item, form=form)
