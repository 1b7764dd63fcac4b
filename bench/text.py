"""Vocabulary for generated data: plausible partner names and evidence text.

Each subject and finding is one of about ten, so a search term such as "chargeback" or
"webhook" matches some 8% of entries (83,000 of a million): a search whose matches must be
ranked by date, not a needle the GIN index finds alone.
"""

from __future__ import annotations

import random

NAME_PREFIXES = [
    "Northbridge", "Bluefin", "Cedar", "Ironwood", "Lumen", "Meridian", "Oakridge", "Pinnacle",
    "Quarry", "Redwood", "Silverline", "Tidewater", "Upland", "Vantage", "Westgate", "Yellowpine",
    "Amberly", "Brightwater", "Copperfield", "Driftwood", "Everstone", "Foxglove", "Granite",
    "Harbor", "Islington", "Juniper", "Keystone", "Larkspur", "Maplewood", "Nettle", "Orchard",
    "Prairie", "Quill", "Riverbend", "Sagebrush", "Thistle", "Umber", "Valley", "Willow", "Zephyr",
]  # fmt: skip
NAME_CORES = [
    "Analytics", "Payments", "Logistics", "Cloud", "Data", "Health", "Security", "Commerce",
    "Labs", "Systems", "Networks", "Robotics", "Identity", "Billing", "Media", "Mapping",
    "Insights", "Devices", "Energy", "Freight", "Learning", "Messaging", "Search", "Storage",
    "Telemetry", "Translate", "Vision", "Workflow", "Ledger", "Signals",
]  # fmt: skip
NAME_SUFFIXES = ["Inc.", "GmbH", "Ltd", "AB", "SAS", "BV", "Co.", "Group", "Oy", "AG"]
CATEGORIES = [
    "Payments", "Identity", "Logistics", "Data platform", "Observability", "CRM", "Messaging",
    "Mapping", "Security", "Marketplace", "Analytics", "Hardware",
]  # fmt: skip

UNCERTAINTIES = [
    "checkout conversion in new markets", "delivery time reliability", "fraud losses",
    "data residency compliance", "onboarding time for mid-market customers",
    "churn among self-serve accounts", "peak-load capacity", "support resolution time",
    "search relevance for long-tail queries", "uptime of the ingestion pipeline",
]  # fmt: skip
CAPABILITIES = [
    "a certified payment gateway", "a same-day courier network", "a risk-scoring API",
    "EU-hosted storage", "a guided onboarding service", "a retention analytics model",
    "an elastic compute pool", "a 24/7 support desk", "a semantic search engine",
    "a managed streaming service",
]  # fmt: skip
ARTIFACT_OPENERS = [
    "Pilot report from", "Weekly dashboard export from", "Customer interview with",
    "Incident review after", "Load test run against", "Demo recording with",
    "Support ticket sample from", "Invoice reconciliation for", "Integration log from",
    "Shared metrics review with",
]  # fmt: skip
ARTIFACT_SUBJECTS = [
    "the EU checkout cohort", "three mid-market design partners", "the Nordics rollout",
    "the holiday traffic peak", "the sandbox environment", "the webhook retry path",
    "the chargeback workflow", "the onboarding funnel", "the on-call rotation",
    "the latency budget", "the data export job", "the SSO integration",
]  # fmt: skip
ARTIFACT_FINDINGS = [
    "latency stayed within budget", "error rate doubled during failover",
    "conversion improved by four points", "two customers escalated about delays",
    "webhook deliveries were retried without duplicates", "costs came in under forecast",
    "the partner missed the agreed response time", "results match the pilot baseline",
    "throughput held at three times normal load", "manual workarounds were still needed",
]  # fmt: skip
LIMITS = [
    "", "", "Small sample; one region only.", "Measured by the partner, not independently.",
    "Excludes weekends.", "Pilot customers were hand-picked.", "Only the sandbox was tested.",
    "Self-reported by the customer.", "Covers two weeks of traffic.",
]  # fmt: skip


def partner_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct company names; a number is appended once the combinations run out."""
    combos = [f"{p} {c} {s}" for p in NAME_PREFIXES for c in NAME_CORES for s in NAME_SUFFIXES]
    rng.shuffle(combos)
    names = []
    for i in range(count):
        base = combos[i % len(combos)]
        names.append(base if i < len(combos) else f"{base} {i // len(combos) + 1}")
    return names


def artifact(rng: random.Random) -> str:
    return (
        f"{rng.choice(ARTIFACT_OPENERS)} {rng.choice(ARTIFACT_SUBJECTS)}: "
        f"{rng.choice(ARTIFACT_FINDINGS)}."
    )
