"""Fixtures for the fit card tests: a Northwind partnership and a complete set of answers."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import PartnerFactory, PartnershipFactory


@pytest.fixture
def partnership(org, owner, manager):
    partner = PartnerFactory(organization=org, name="Stripe-like Payments")
    return PartnershipFactory(
        organization=org,
        partner=partner,
        name="EU card payments",
        owner=manager,
        approver=owner,
        unwind_authorizer=None,
        exit_path="",
    )


@pytest.fixture
def other_partnership(other_org, outsider):
    partner = PartnerFactory(organization=other_org, name="Globex Logistics")
    return PartnershipFactory(organization=other_org, partner=partner, owner=outsider)


def step_answers(owner) -> dict[str, dict[str, str]]:
    """Valid answers for every step, keyed by step slug."""
    deferral = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    return {
        "capability": {
            "capability_provided": "A managed dispute desk for card chargebacks",
            "uncertainty_reduced": "Whether we can handle chargebacks at 10x volume",
        },
        "incentives": {
            "incentives": "They earn a fee per processed transaction",
            "risk_1": "They push merchants to their own invoicing product",
            "signal_1": "Merchants ask us about switching invoicing tools",
        },
        "integration": {
            "integration_surface": "Payments API, webhooks, nightly settlement files",
            "single_points_of_failure": "Settlement files: no second provider wired in",
        },
        "evidence": {
            "kind_1": "pilot",
            "artifact_1": "Pilot with twenty merchants over six weeks",
            "limit_1": "Only EU merchants with low ticket sizes",
            "kind_2": "sla",
            "artifact_2": "Twelve months of SLA history",
            "limit_2": "Self-reported by the partner",
        },
        "exit": {
            "exit_time": "Eight weeks",
            "exit_cost": "About 40k EUR of engineering time",
            "exit_data_portability": "Full transaction export as CSV within 48 hours",
        },
        "claim": {
            "claim_uncertainty": "chargeback handling at our scale",
            "claim_capability": "a managed dispute desk",
            "claim_boundary": "EU card payments only",
            "claim_evidence": "a six-week pilot with twenty merchants",
            "boundary_not_established": "that merchants outside the EU will adopt it",
            "deferral_condition": "evidence remains ambiguous",
            "deferral_date": deferral,
            "unwind_condition": "Dispute resolution exceeds 10 days for two weeks running",
            "unwind_authorizer": str(owner.uuid),
        },
    }


@pytest.fixture
def answers(owner):
    return step_answers(owner)


@pytest.fixture
def filled_draft(partnership, manager, answers):
    """A draft with every step answered, waiting on the review step."""
    from fitcards import services

    for slug, values in answers.items():
        services.draft_save(partnership=partnership, actor=manager, step=slug, values=values)
    return services.draft_save(
        partnership=partnership, actor=manager, step="review", values={}, move_to="review"
    )
