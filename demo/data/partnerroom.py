# ruff: noqa: E501  (demo text reads better unwrapped)
"""Demo partner rooms, as data: who on the partner's side has access, what we share with them,
two cycles of two-sided health reviews (one agreeing, one disagreeing) and co-signed gates.

Partnerships, partners and contacts are named as in ``demo.data.partnerships``; members by
their demo login.
"""

# Northwind's rule: tier 3 go / no-go and unwind decisions need the partner's confirmation.
COSIGN_SCOPE = {"northwind": "tier3"}

# Contacts with access to their partner's room (granted by the organization's owner).
ACCESS = [
    {
        "organization": "northwind",
        "email": "lena.vogt@payharbor.example",
        "reviews_health": True,
        "signs_gates": True,
        "require_code": False,
    },
    {
        "organization": "northwind",
        "email": "tomas.reyes@payharbor.example",
        "reviews_health": False,
        "signs_gates": False,
        "require_code": True,
    },
    {
        "organization": "northwind",
        "email": "martin.cole@harborviewbank.example",
        "reviews_health": False,
        "signs_gates": True,
        "require_code": False,
    },
]

# Per partnership: the charters switch, the fit card parts shared, and evidence levels by
# recency (the newest entries first; entries further back stay hidden).
SHARING = {
    "PayHarbor EU card acquiring": {
        "share_charters": True,
        "fit_card_parts": ["capability", "integration", "exit_path"],
        "entry_levels": ["full", "full", "summary", "summary", "summary"],
    },
    "Harborview embedded business accounts": {
        "share_charters": True,
        "fit_card_parts": ["capability"],
        "entry_levels": ["summary"],
    },
}

# Two-sided reviews: the partner's answers to the latest closed cycles, oldest first. "mirror"
# gives the same health, boundary verdict and unwind answer as ours (they agree); a health
# given here that differs from ours makes the disagreement.
PARTNER_REVIEWS = {
    "PayHarbor EU card acquiring": {
        "contact": "lena.vogt@payharbor.example",
        "answers": [
            {
                "mirror": True,
                "boundary_violated": "None from our side: every dispute stayed in the EU card scope.",
                "evidence_less_trustworthy": "Nothing new; our SLA export matches Northwind's monitoring.",
                "renegotiation_trigger": "Northwind missing two settlement reconciliations in a row.",
                "notes": "Good week on our side too.",
            },
            {
                "mirror": False,
                "health": "red",
                "boundary_violated": "Northwind's support routed merchant chargebacks to our desk outside the agreed hours three times.",
                "evidence_less_trustworthy": "Northwind's dispute-time dashboard: it counts from their ticket, not from ours.",
                "renegotiation_trigger": "Another week of out-of-hours escalations without the on-call rota we agreed.",
                "notes": "We would like the escalation path in the charter revisited at the next governance call.",
            },
        ],
    },
}

# Decisions asked of the partner: (partnership, decision, the note, whether the signer has
# confirmed it yet).
CONFIRMATIONS = [
    (
        "PayHarbor EU card acquiring",
        "go",
        "Walk met its success criteria: twenty pilot merchants live on managed disputes for eight weeks. We propose moving to run.",
        True,
    ),
    (
        "Harborview embedded business accounts",
        "go",
        "Both compliance teams signed off; we propose launching the walk phase with the design-partner merchants.",
        False,
    ),
]

# Evidence the partner's contacts sent from the room, still waiting for Northwind's acceptance:
# (partnership, contact, days ago, quality, boundary status, artifact, limits).
SUBMISSIONS = [
    (
        "PayHarbor EU card acquiring",
        "lena.vogt@payharbor.example",
        2,
        "real",
        "strained",
        "PayHarbor's own dispute ledger for the last four weeks: 412 chargebacks handled, median 3.1 days from their intake to resolution; 17 arrived outside the agreed hours.",
        "Counts from PayHarbor's intake, not Northwind's ticket; EU card scope only.",
    ),
]
