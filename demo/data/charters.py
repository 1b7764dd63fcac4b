# ruff: noqa: E501  (demo text reads better unwrapped)
"""Demo charters, as data: what each charter says, who signs it, and from which browsers.

Every demo partnership in walk or run gets a charter executed by both sides (rule 3). Three
Northwind crawl partnerships show the cases before launch (``CRAWL_CASES``).

A charter's text is written from its partnership. ``SECTIONS`` gives each section as lines;
a line is a template whose ``{names}`` come from the partnership (see
``demo.loaders.charters.charter_values``), and a line whose names are not all known is left
out. A tuple offers alternatives: the first whose names are all known is used. The
``prefill_*`` names are what the charter form itself proposes (``charter_prefill``).
"""

# Partnership name -> the case it shows: executed ahead of launch, sent and signed by us but
# awaiting the partner, or declined by the partner.
CRAWL_CASES = {
    "Beacon Payroll contractor payouts": "executed",
    "Helio co-hosted webinar series": "awaiting",
    "Ledgerline practice partner program": "declined",
}

DECLINE_REASON = (
    "Our legal team cannot accept the escalation path as written: we need a named executive "
    "sponsor on your side before we sign."
)
MESSAGE = "{first_name}, as agreed on our call: here is the charter for {partnership}, for both sides to sign."
EXPIRES_IN_DAYS = 21

# The browsers our members and partner contacts sign from (the audit trail records them), and
# the documentation addresses their IPs come from (RFC 5737).
OUR_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1",
]
PARTNER_AGENTS = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Edg/131.0",
]
OUR_IPS = ("203.0.113.", 10, 40)  # prefix, first host, how many
PARTNER_IPS = ("198.51.100.", 20, 200)

# For a partner with no contact: a signer with the authority to sign a charter.
FALLBACK_CONTACTS = [
    ("Ruth Achterberg", "VP Partnerships"),
    ("Daniel Osei", "Head of Alliances"),
    ("Camille Fournier", "Director, Strategic Partnerships"),
    ("Arjun Mehta", "Chief Operating Officer"),
]

SECTIONS = {
    "mutual_goals": [
        ("{prefill_mutual_goals}", "Establish whether {uncertainty_or_name} holds."),
        "What we want to learn together: {claim_uncertainty}.",
    ],
    "value_exchange": [
        "{organization} brings: its customers and the integration on its side.",
        "How shared customers use it: {integration_pathway}",
        "{partner} brings: {claim_capability}.",
        "{prefill_value_exchange}",
        "Exit path: {exit_path}",
    ],
    "timeline": [
        (
            "Crawl: a 4–8 week controlled test, before {launched_on}.",
            "Crawl: a 4–8 week controlled test, from {phase_started_on}.",
        ),
        (
            "Launch (entry into walk): {launched_on}.",
            "Planned launch (entry into walk): {planned_launch_on}, once this charter is executed by both sides.",
            "Launch (entry into walk) only after this charter is executed by both sides.",
        ),
        "Current phase: {phase} since {phase_started_on}.",
        "Success criteria for this phase: {phase_success_criteria}",
        "Walk is time-boxed to 8–12 weeks; run is reviewed every six months.",
        "{deferral_sentence}",
    ],
    "measurement": [
        "Claim under test: {claim_sentence}",
        "Evidence both sides accept: {claim_evidence}.",
        "Boundary: {boundary_line}",
        "Evidence is logged in the Partnership Evidence Log and reviewed every {review_weekday}; {partner} shares its own figures before each review.",
    ],
    "decision_cadence": [
        "A weekly health review every {review_weekday}: which boundary was violated, what evidence is less trustworthy because of the partner seam, what would trigger renegotiation.",
        "A go / no-go at the end of each phase, against that phase's success criteria.",
        "Dependency depth is {dependency}: evidence for a commit or a go decision scales with it.",
    ],
    "escalation_path": [
        "1. Partnership owners: {owner_name} and {contact_name} ({contact_role}).",
        "2. Approvers: {signer_name} for {organization} and {partner}'s executive sponsor, within two business days.",
        "3. Unwind, authorized by {unwind_authorizer}, if: {unwind_condition}",
    ],
    "breakage_ownership": [
        (
            "{partner} owns incidents in what it provides ({claim_capability}) and answers within four business hours.",
            "{partner} owns incidents in what it provides and answers within four business hours.",
        ),
        "{organization} owns the integration and all communication with shared customers.",
        "Each side names one on-call owner per week; a seam incident is reviewed jointly at the next health review.",
    ],
}
