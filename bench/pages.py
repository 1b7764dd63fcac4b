"""The main pages to measure, resolved by URL name from the apps' urls.py.

Each page lists candidate URL names, so the benchmark keeps working while an app settles on its
names; a page whose view does not exist yet is reported as missing rather than failing the run.
Query strings exercise the expensive variants: a filter, a full-text search, a deep page.

Two reference pages come first, so every page's cost can be given as a multiple of them: the
bare layout (a logged-in page that renders only ``base.html``, served by ``bench/urls.py``) and
the Django admin changelist of the same partnerships (fetched as the benchmark's superuser).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from evidence.models import EvidenceEntry
from partnerships.models import Partnership

from .load import Page


@dataclass
class Spec:
    label: str
    names: tuple[str, ...]
    kwargs: str = ""  # "partnership" or "partner": filled with that object's uuid
    query: dict | None = None
    as_admin: bool = False  # fetched as the benchmark's superuser instead of the owner


BARE_LABEL = "bare layout"
ADMIN_LABEL = "admin changelist"
REFERENCES = (BARE_LABEL, ADMIN_LABEL)


def _specs(*, deep_partner_page: int, deep_evidence_page: int) -> list[Spec]:
    partner_list = ("partnerships:partner_list", "partnerships:partners", "partnerships:list")
    return [
        Spec(BARE_LABEL, ("bench_bare_layout",)),
        Spec(ADMIN_LABEL, ("admin:partnerships_partnership_changelist",), as_admin=True),
        Spec("dashboard", ("dashboard",)),
        Spec("partner list", partner_list),
        Spec("partner list: filter", partner_list, query={"status": "active", "tier": "2"}),
        Spec("partner list: search", partner_list, query={"q": "Analytics"}),
        Spec("partner list: deep page", partner_list, query={"page": deep_partner_page}),
        Spec(
            "partnership page",
            ("partnerships:detail", "partnerships:partnership_detail", "partnerships:partnership"),
            kwargs="partnership",
        ),
        Spec("evidence log", ("evidence:log",)),
        Spec(
            "evidence log: filter",
            ("evidence:log",),
            query={"quality": "real", "boundary_status": "strained"},
        ),
        Spec("evidence log: search", ("evidence:log",), query={"q": "chargeback"}),
        Spec("evidence log: deep page", ("evidence:log",), query={"page": deep_evidence_page}),
        Spec("partnership evidence log", ("evidence:partnership_log",), kwargs="partnership"),
        Spec("charters list", ("charters:list",)),
        Spec("health reviews list", ("reviews:list",)),
        Spec("fit cards", ("fitcards:index",)),
        Spec("settings", ("accounts:profile",)),
        Spec("members", ("accounts:members",)),
    ]


def _reverse(names: tuple[str, ...], kwargs: dict) -> str | None:
    for name in names:
        for attempt in (
            kwargs,
            {k.replace("uuid", "partnership_uuid"): v for k, v in kwargs.items()},
        ):
            try:
                return reverse(name, kwargs=attempt or None)
            except NoReverseMatch:
                continue
    return None


def busiest_partnership(organization) -> Partnership:
    """The partnership with the most evidence: the worst case for its pages."""
    top = (
        EvidenceEntry.objects.filter(organization=organization)
        .values("partnership_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if top:
        return Partnership.objects.get(pk=top["partnership_id"])
    return Partnership.objects.filter(organization=organization).first()


def discover(organization, *, partnerships: int, evidence: int) -> tuple[list[Page], list[str]]:
    """Pages that exist (with their URLs) and labels of pages not built yet."""
    partnership = busiest_partnership(organization)
    specs = _specs(
        deep_partner_page=max(1, partnerships // 25 // 2),
        deep_evidence_page=max(1, min(evidence // 25 // 2, 2000)),
    )
    pages, missing = [], []
    for spec in specs:
        kwargs = {}
        if spec.kwargs == "partnership":
            kwargs = {"uuid": partnership.uuid}
        url = _reverse(spec.names, kwargs)
        if url is None:
            missing.append(spec.label)
            continue
        if spec.query:
            url += "?" + urlencode(spec.query)
        pages.append(Page(spec.label, url, as_admin=spec.as_admin))
    return pages, missing
