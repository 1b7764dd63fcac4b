# ruff: noqa: E501  (demo text reads better unwrapped)
"""Demo fit cards (``manage.py seed_demo``): finished cards with two revisions for three
Northwind partnerships, and a draft left half-way for a fourth.

The cards go through the same services as the browser (``draft_save`` then ``fitcard_finish``),
so the claim, the exit path and the timeline are written exactly as a manager would write
them. Partnerships are looked up by name (the partnerships demo creates them); missing ones
are skipped. Safe to run twice: a partnership that already has a card or a draft is left alone.
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone

from partnerships.models import Partnership

from . import services
from .models import FitCard, FitCardDraft, FitCardRevision

log = logging.getLogger(__name__)

# partnership name -> (first revision, changes in the second revision, actor keys)
CARDS: dict[str, dict] = {
    "PayHarbor EU card acquiring": {
        "first": {
            "capability": {
                "capability_provided": "Licensed EU card acquiring with a managed dispute desk and hosted KYB for our merchants.",
                "uncertainty_reduced": "Whether our EU merchants will pay invoices by card at our pricing, without us holding an acquiring licence.",
            },
            "incentives": {
                "incentives": "PayHarbor earns interchange-plus margin on a committed €40M yearly volume; they staff four integration engineers because the volume commitment is in the contract.",
                "risk_1": "PayHarbor raises fees once we depend on them for EU card acceptance",
                "signal_1": "Pricing-review meetings requested before the volume commitment is met",
            },
            "integration": {
                "integration_surface": "Payments API and webhooks, hosted KYB pages, nightly settlement files, dispute desk ticket queue.",
                "single_points_of_failure": "Settlement files and the dispute desk: no second acquirer is wired in, so an outage stops card payouts for every EU merchant.",
            },
            "evidence": {
                "kind_1": "pilot",
                "artifact_1": "Six-week pilot with 40 merchants: 93.8% authorization rate, disputes resolved in 6.5 days on average",
                "limit_1": "Pilot merchants were hand-picked and under €1M yearly volume",
            },
            "exit": {
                "exit_time": "12 weeks to migrate to a second acquirer",
                "exit_cost": "€25k exit fee plus about €60k of migration engineering",
                "exit_data_portability": "Card tokens are portable through the network token vault; transaction history exported as CSV within 48 hours.",
            },
        },
        "second": {
            "incentives": {
                "risk_2": "They steer our larger merchants to their own invoicing add-on",
                "signal_2": "Merchants above €5M volume mention PayHarbor invoicing in support tickets",
            },
            "evidence": {
                "kind_2": "sla",
                "artifact_2": "Nine months of SLA history from PayHarbor's status page and our own uptime probes",
                "limit_2": "Their status page is self-reported; our probes only cover the authorization API",
            },
        },
    },
    "Ledgerline two-way accounting sync": {
        "first": {
            "capability": {
                "capability_provided": "A stable ledger API with webhooks for payments and credit notes.",
                "uncertainty_reduced": "Whether automatic accounting sync reduces churn among 10–50 seat customers.",
            },
            "incentives": {
                "incentives": "Reconciled invoices cut Ledgerline's support tickets; both sales teams co-sell to accounts using both products.",
                "risk_1": "Ledgerline builds its own invoicing module and deprioritises our sync",
                "signal_1": "Their public roadmap or beta programme mentions invoicing",
            },
            "integration": {
                "integration_surface": "OAuth connection, ledger API, payment and credit-note webhooks, tax-code mapping wizard.",
                "single_points_of_failure": "None on a critical path: invoicing works without the sync; customers fall back to CSV export.",
            },
            "evidence": {
                "kind_1": "pilot",
                "artifact_1": "Churn cohort analysis of 800 synced vs unsynced accounts over two quarters",
                "limit_1": "Synced accounts self-selected, so they may have been healthier to begin with",
            },
            "exit": {
                "exit_time": "Six weeks",
                "exit_cost": "One sprint to remove the connector and a customer migration email",
                "exit_data_portability": "Customers export their tax-code mappings as CSV; all ledger data stays in Ledgerline.",
            },
        },
        "second": {
            "evidence": {
                "kind_2": "postmortem",
                "artifact_2": "Postmortems of the three sync incidents this year",
                "limit_2": "Written by Ledgerline; we did not see their internal logs",
            },
            "exit": {"exit_time": "Four to six weeks"},
        },
    },
    "Verity ID merchant onboarding": {
        "first": {
            "capability": {
                "capability_provided": "Automated KYB with company-registry lookups in 12 countries.",
                "uncertainty_reduced": "Whether automated KYB can replace manual review for low-risk merchants.",
            },
            "incentives": {
                "incentives": "Verity wants a reference customer in invoicing, a segment they have not entered, and is charging only a pilot fee.",
                "risk_1": "Verity loosens decision thresholds to raise the pass rate we measure them on",
                "signal_1": "Pass rate rises while our compliance double-check disagrees more often",
            },
            "integration": {
                "integration_surface": "Onboarding form calls Verity's decision API; decisions and evidence stored with the merchant record.",
                "single_points_of_failure": "The decision API during onboarding; fallback is the manual review queue.",
            },
            "evidence": {
                "kind_1": "pilot",
                "artifact_1": "200 pilot applications double-checked by our compliance team",
                "limit_1": "Only UK, German and Dutch merchants; no high-risk categories",
            },
            "exit": {
                "exit_time": "Four weeks back to manual review",
                "exit_cost": "Two extra compliance analysts for a quarter",
                "exit_data_portability": "All decisions and registry evidence exported as JSON.",
            },
        },
        "second": {
            "evidence": {
                "kind_2": "reference",
                "artifact_2": "Reference call with a lender using Verity for 18 months",
                "limit_2": "A lender's risk appetite differs from an invoicing product's",
            },
        },
    },
}

DRAFT_FOR = "Cloudspire certified stack listing"
DRAFT_STEPS = {
    "capability": {
        "capability_provided": "A certified-stack requirement: MSPs must include an invoicing product to keep their Cloudspire certification.",
        "uncertainty_reduced": "Whether a marketplace listing shortens our mid-market sales cycle.",
    },
    "incentives": {
        "incentives": "Cloudspire closes a certification gap that three competitors already fill; MSPs keep their certification.",
        "risk_1": "Cloudspire lists a competing invoicing product as the default in the stack",
        "signal_1": "Marketplace search ranks another invoicing product above us",
    },
    "integration": {
        "integration_surface": "Marketplace listing, private offers, SaaS connector for provisioning and metering.",
        "single_points_of_failure": "",
    },
}


def _merge(first: dict, second: dict) -> dict:
    merged = {step: dict(values) for step, values in first.items()}
    for step, values in second.items():
        merged.setdefault(step, {}).update(values)
    return merged


def _write(partnership, steps: dict, actor, authorizer) -> None:
    for slug, values in steps.items():
        services.draft_save(partnership=partnership, actor=actor, step=slug, values=values)
    if not partnership.unwind_authorizer_id:
        raw = services.initial_raw(partnership)
        raw["unwind_authorizer"] = str(authorizer.uuid)
        services.draft_save(partnership=partnership, actor=actor, step="claim", values=raw)


def seed(orgs, users) -> None:
    """Fit cards for the Northwind demo partnerships that exist (idempotent)."""
    northwind = orgs["northwind"]
    manager, owner = users["manager"], users["owner"]
    partnerships = {
        p.name: p
        for p in Partnership.objects.filter(
            organization=northwind, name__in=[*CARDS, DRAFT_FOR]
        ).select_related("partner", "unwind_authorizer")
    }
    has_card = set(
        FitCard.objects.filter(partnership__in=partnerships.values()).values_list(
            "partnership_id", flat=True
        )
    )
    has_draft = set(
        FitCardDraft.objects.filter(partnership__in=partnerships.values()).values_list(
            "partnership_id", flat=True
        )
    )
    for name, spec in CARDS.items():
        partnership = partnerships.get(name)
        if partnership is None or partnership.pk in has_card or partnership.pk in has_draft:
            continue
        try:
            _write(partnership, spec["first"], manager, owner)
            first = services.fitcard_finish(partnership=partnership, actor=manager)
            FitCardRevision.objects.filter(pk=first.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=21)
            )
            _write(partnership, _merge(spec["first"], spec["second"]), owner, owner)
            services.fitcard_finish(partnership=partnership, actor=owner)
        except services.StepInvalid as invalid:  # e.g. the partnership has no deferral date
            log.warning("Demo fit card for %s left as a draft: %s", name, invalid.form.errors)

    draft_partnership = partnerships.get(DRAFT_FOR)
    if draft_partnership is not None and draft_partnership.pk not in has_card | has_draft:
        for slug, values in DRAFT_STEPS.items():
            services.draft_save(
                partnership=draft_partnership,
                actor=manager,
                step=slug,
                values=values,
                move_to="integration",
            )
