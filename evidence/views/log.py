"""The evidence log pages: the organization's log and one partnership's log.

Filters, search and paging swap only the results table (htmx, with the URL pushed); a history
restore (Back) gets the whole page through ``core.pages.render_page``.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from accounts.scoping import OrgRequest, member_required
from core.pages import render_page, wants_partial

from ..forms import FilterForm, PolicyForm
from ..models import EvidencePolicy
from ..paging import PAGE_SIZE, log_page
from ..selectors import (
    chain_status,
    entry_queryset,
    log_total,
    partnership_decisions,
    partnership_get,
)
from ..services.partner import pending_partner_entries
from ..summary import partnership_summary


def filtered_entries(request: OrgRequest, partnership=None):
    """The filter form bound to the query string, and the entries it selects."""
    form = FilterForm(
        request.GET or None, organization=request.organization, partnership=partnership
    )
    qs = entry_queryset(request, partnership)
    if form.is_bound:
        qs = form.apply(qs)
    return form, qs


def _log_response(request: OrgRequest, template: str, context: dict, partnership=None):
    form, qs = filtered_entries(request, partnership)
    total = None if form.has_filters() else log_total(request.organization, partnership)
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
    return render_page(request, template, context, partial="results")


@require_GET
@member_required()
def log(request: OrgRequest) -> HttpResponse:
    """The organization's evidence log, with the chain badge."""
    context = {}
    if not wants_partial(request):
        policy = None
        if request.membership.is_owner:
            policy = PolicyForm(
                instance=EvidencePolicy.objects.filter(organization=request.organization).first()
            )
        context = {"chain": chain_status(request.organization), "policy_form": policy}
    return _log_response(request, "evidence/log.html", context)


@require_GET
@member_required()
def partnership_log(request: OrgRequest, uuid) -> HttpResponse:
    """One partnership's log, decision trail, trend chart, what the sufficiency rule misses,
    and the partner's entries waiting for a member's acceptance."""
    partnership = partnership_get(request, uuid)
    context = {}
    if not wants_partial(request):
        context = {
            "decisions": partnership_decisions(partnership),
            "partner_pending": list(pending_partner_entries(partnership)[:50]),
            **partnership_summary(partnership),
        }
    return _log_response(request, "evidence/partnership_log.html", context, partnership)
