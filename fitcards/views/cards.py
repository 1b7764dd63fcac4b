"""The fit cards list, one partnership's card, its history and two revisions compared."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.scoping import OrgRequest, member_required, scoped
from core.paging import CountedPaginator
from partnerships.models import Partnership

from .. import selectors
from ..card import completeness, raw_from_card
from ..presentation import card_sections, compare_sections
from .common import revision_param


@member_required()
@require_GET
def index(request: OrgRequest):
    """Every partnership with its fit card status, one page at a time."""
    partnerships = scoped(request, Partnership)
    rows = selectors.fit_card_rows(request, partnerships)
    # The same rows as ``rows``, counted without the partner join that orders them.
    page = CountedPaginator(rows, 25, count_from=partnerships).get_page(request.GET.get("page"))
    return render(request, "fitcards/index.html", {"page": page})


@member_required()
@require_GET
def detail(request: OrgRequest, partnership_uuid):
    partnership = selectors.partnership_for(request, partnership_uuid)
    fit_card = selectors.fit_card_of(partnership)
    draft = selectors.draft_of(partnership) if request.membership.can_write else None
    card = selectors.current_card(partnership, fit_card)
    return render(
        request,
        "fitcards/detail.html",
        {
            "partnership": partnership,
            "fit_card": fit_card,
            "draft": draft,
            "sections": card_sections(card, partnership.partner.name),
            "completeness": completeness(raw_from_card(card)),
        },
    )


@member_required()
@require_GET
def history(request: OrgRequest, partnership_uuid):
    partnership = selectors.partnership_for(request, partnership_uuid)
    fit_card = selectors.fit_card_of(partnership)
    page = None
    if fit_card is not None:
        page = Paginator(selectors.revisions_of(fit_card), 20).get_page(request.GET.get("page"))
    count = fit_card.revision_count if fit_card else 0
    return render(
        request,
        "fitcards/history.html",
        {
            "partnership": partnership,
            "fit_card": fit_card,
            "page": page,
            "numbers": list(range(count, 0, -1)),
            "default_a": max(count - 1, 1),
            "default_b": count,
        },
    )


@member_required()
@require_GET
def compare(request: OrgRequest, partnership_uuid):
    """Two revisions side by side, the older on the left, differences marked."""
    partnership = selectors.partnership_for(request, partnership_uuid)
    fit_card = selectors.fit_card_of(partnership)
    if fit_card is None:
        raise Http404("This partnership has no fit card yet.")
    a, b = sorted((revision_param(request, "a"), revision_param(request, "b")))
    old = selectors.revision_of(fit_card, a)
    new = selectors.revision_of(fit_card, b)
    name = partnership.partner.name
    sections = compare_sections(
        card_sections(old.data, old.data.get("partner_name", name)),
        card_sections(new.data, new.data.get("partner_name", name)),
    )
    return render(
        request,
        "fitcards/compare.html",
        {
            "partnership": partnership,
            "fit_card": fit_card,
            "old": old,
            "new": new,
            "sections": sections,
            "changed": sum(1 for s in sections for row in s["rows"] if row["changed"]),
            "numbers": list(range(fit_card.revision_count, 0, -1)),
        },
    )
