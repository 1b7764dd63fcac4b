# ruff: noqa: E501  (demo text reads better unwrapped)
"""Demo fit cards, as data: three finished cards with two revisions each, and one draft.

The manager wrote each card's first revision three weeks ago; the owner revised it since (a
second risk, a second piece of evidence, a shorter exit). Members are named by their demo login.
"""

FIRST_BY = "manager"
SECOND_BY = "owner"
DRAFT_BY = "manager"
# Who may authorize an unwind, when the partnership names nobody yet (the card asks for it).
UNWIND_AUTHORIZER = "owner"
FIRST_REVISION_DAYS_AGO = 21

# Partnership name -> the values typed at each step of the first revision ("first") and what
# changed for the second ("second"), step by step as the fit card pages ask for them.
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

# A card left half-way: its first three steps typed, the person now on the integration step.
DRAFT_FOR = "Cloudspire certified stack listing"
DRAFT_AT = "integration"
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
