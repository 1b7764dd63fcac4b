"""Trust signals: the partners list by trust, and the fragments other pages load.

The fragments (a partner's trust, the review-capacity data, the revisit suggestion) are small
pages that the partner page, the program flow and the decisions page load with htmx, so the
partnerships app shows them without importing this app.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.scoping import OrgRequest, member_required, scoped
from core.clock import org_today
from core.pages import render_page

from .. import selectors
from ..forms import TrustFilterForm
from ..models import RevisitSuggestion
from ..trust import trust_signal

PAGE_SIZE = 25


@member_required()
def trust_list(request: OrgRequest):
    """Every partner with its trust score, sortable and filterable (one query per page)."""
    today = org_today(request.organization)
    form = TrustFilterForm(request.GET)
    filters = form.filters()
    threshold = selectors.settings_for(request.organization).trust_threshold
    partners = selectors.trusted_partners(request, today=today, **filters)
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    for partner in page:
        partner.trust = trust_signal(partner, threshold=threshold, today=today)
    context = {"form": form, "page": page, "filters": filters, "threshold": threshold}
    return render_page(request, "programs/trust_list.html", context, partial="results")


@member_required()
def partner_trust(request: OrgRequest, partner_uuid):
    """One partner's trust signal: the partial for the partner page."""
    today = org_today(request.organization)
    partner = selectors.partner_with_trust(request, partner_uuid, today=today)
    threshold = selectors.settings_for(request.organization).trust_threshold
    context = {"partner": partner, "trust": trust_signal(partner, threshold=threshold, today=today)}
    return render(request, "programs/partials/trust.html", context)


@member_required()
def capacity(request: OrgRequest):
    """The data behind "Can you scale human review?" (for the program decision flow)."""
    capacity = selectors.review_capacity(request.organization)
    program_settings = selectors.settings_for(request.organization)
    context = {
        "capacity": capacity,
        "program_settings": program_settings,
        "data_answer": selectors.scale_review_answer(capacity, program_settings),
        "in_flow": True,  # shown under the flow's own question: no second question heading
    }
    return render(request, "programs/partials/capacity.html", context)


@member_required()
def revisit(request: OrgRequest):
    """Revisit suggestions, open and answered (for the decisions page)."""
    suggestions = list(
        scoped(request, RevisitSuggestion)
        .select_related("resolved_by")
        .order_by("-created_at", "-pk")[:10]
    )
    return render(request, "programs/partials/revisit.html", {"suggestions": suggestions})
