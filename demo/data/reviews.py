"""Demo health reviews, as data: four past weekly cycles answered and the current one open.

The answers rotate over the reviewed partnerships week by week, so the history shows a health
trend. Partnerships that ghost leave their latest cycles unanswered, so the ghosting flag and
the missed-cycle count agree.
"""

# Cycles before the current one; the current cycle is left for the team to answer.
PAST_CYCLES = 4

# Partnership name -> how many of the latest closed cycles it left unanswered.
GHOSTING = {
    "Orbit CRM marketplace app": 2,
    "Crestline public-sector rollout": 3,
}

# Who answers the reviews, per organization (demo login); otherwise each partnership's owner.
SUBMITTED_BY = {"northwind": "manager"}
# Answers are submitted at this local time on the due day (or today, if that is sooner).
SUBMITTED_AT = (10, 15)

# (health, boundary violated, evidence less trustworthy, renegotiation trigger, notes)
ANSWERS = [
    (
        "green",
        "None: all disputes stayed within the EU card scope we agreed.",
        "Nothing new; the weekly SLA export matched our own logs.",
        "Two consecutive weeks with dispute resolution over 10 days.",
        "Volumes up 12% week on week; the pilot merchants are happy with payouts.",
    ),
    (
        "amber",
        "Support answered two merchant tickets outside the agreed hours.",
        "Their self-reported uptime: it disagrees with our synthetic checks for Tuesday.",
        "A second week of reporting that disagrees with our monitoring.",
        "Asked for raw incident logs; they promised them for next week.",
    ),
    (
        "green",
        "None.",
        "The incident postmortem for the 14th is still a draft.",
        "Losing the named escalation contact without a replacement within 5 days.",
        "Postmortem arrived and is specific; trend is back to normal.",
    ),
    (
        "red",
        "The partner shared a merchant's transaction export with their analytics vendor.",
        "Their data-handling attestations: we can no longer take them at face value.",
        "Any further data leaving the agreed boundary triggers renegotiation.",
        "Escalated to their Head of Partnerships; awaiting a written remediation plan.",
    ),
]

# Every other red answer is softened to a near miss, so not every partnership turns red.
NEAR_MISS = ("amber", "None, but a near miss on data sharing.")
