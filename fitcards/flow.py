"""The guided Fit Card and Partnership Claim flow: its steps, their forms and the card's shape.

Three representations of a card travel through this module:

* *raw* — a flat dict of form field names to the strings last typed (what a draft stores);
* *card* — the canonical dict a revision freezes (lists for risks and artifacts, ISO dates);
* *sections* — titled label/text rows, the one layout used by the card page, the PDF and the
  revision diff, so that all three always show the same thing.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass

from django import forms
from django.utils import timezone

from accounts.models import Membership, Role, User

CONFLICT_ROWS = 3
ARTIFACT_ROWS = 4

ARTIFACT_KINDS = [
    ("pilot", "Pilot results"),
    ("reference", "Reference"),
    ("sla", "SLA history"),
    ("postmortem", "Incident postmortems"),
    ("audit", "Audit / compliance report"),
    ("other", "Other"),
]
ARTIFACT_KIND_LABELS = dict(ARTIFACT_KINDS)

# The fit card's own fields (the claim lives on the partnership).
CARD_FIELDS = [
    "capability_provided",
    "uncertainty_reduced",
    "incentives",
    "conflict_risks",
    "integration_surface",
    "single_points_of_failure",
    "evidence_artifacts",
    "exit_time",
    "exit_cost",
    "exit_data_portability",
]


def _text(label: str, help_text: str, *, rows: int = 3, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _line(label: str, help_text: str = "", *, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=2000)


class StepForm(forms.Form):
    """Base for the step forms: knows its partnership (the organization bounds choices)."""

    def __init__(self, *args, partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)


class CapabilityForm(StepForm):
    capability_provided = _text(
        "Capability provided",
        "Capability provided (and what uncertainty it reduces). Look for complementary "
        "capability that reduces uncertainty rather than replacing it.",
        required=True,
    )
    uncertainty_reduced = _text(
        "Uncertainty it reduces",
        "What will you know, or be able to rely on, that you cannot today? Treat partner "
        "availability as insufficient: a partner must reduce a named uncertainty.",
        required=True,
    )


class IncentivesForm(StepForm):
    incentives = _text(
        "Incentives",
        "Define partner fit beyond features: incentives, operational cadence, and failure "
        "behavior. What does the partner gain, and does it align with your decision thresholds?",
        required=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, CONFLICT_ROWS + 1):
            self.fields[f"risk_{i}"] = _line(
                f"Conflict risk {i}",
                "Where could the partner's incentives pull against yours?" if i == 1 else "",
            )
            self.fields[f"signal_{i}"] = _line(
                f"Early signal {i}",
                "Include one conflict risk and how you would observe it early." if i == 1 else "",
            )

    def clean(self):
        data = super().clean()
        complete = 0
        for i in range(1, CONFLICT_ROWS + 1):
            risk, signal = data.get(f"risk_{i}", ""), data.get(f"signal_{i}", "")
            if risk and not signal:
                self.add_error(f"signal_{i}", "Say how you would observe this risk early.")
            elif signal and not risk:
                self.add_error(f"risk_{i}", "Name the conflict risk this signal would show.")
            elif risk and signal:
                complete += 1
        if complete == 0 and not self.has_error("risk_1") and not self.has_error("signal_1"):
            self.add_error("risk_1", "Name at least one conflict risk with its early signal.")
        return data


class IntegrationForm(StepForm):
    integration_surface = _text(
        "Integration surface area",
        "Which systems, data flows, processes and teams touch the partner? Clear ownership of "
        "integration risk and data quality.",
        required=True,
    )
    single_points_of_failure = _text(
        "Single points of failure",
        "Identify where you are dependent on one partner for a critical path and whether you "
        "can switch. Write “none” and why, if there is none.",
        required=True,
    )


class EvidenceForm(StepForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, ARTIFACT_ROWS + 1):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=f"Artifact {i} type",
                choices=[("", "—")] + ARTIFACT_KINDS,
                required=False,
            )
            self.fields[f"artifact_{i}"] = _line(
                f"Evidence artifact {i}",
                "Evidence artifacts (pilot results, references, SLA history). Require pilot "
                "evidence that reflects real operating conditions, not demos."
                if i == 1
                else "",
            )
            self.fields[f"limit_{i}"] = _line(
                f"Limit of artifact {i}",
                "Name the artifacts you will treat as evidence and state one limitation for each."
                if i == 1
                else "",
            )

    def clean(self):
        data = super().clean()
        complete = 0
        for i in range(1, ARTIFACT_ROWS + 1):
            kind, artifact, limit = (
                data.get(f"kind_{i}", ""),
                data.get(f"artifact_{i}", ""),
                data.get(f"limit_{i}", ""),
            )
            if artifact and not limit:
                self.add_error(f"limit_{i}", "State one limitation of this artifact.")
            elif (limit or kind) and not artifact:
                self.add_error(f"artifact_{i}", "Describe the evidence artifact.")
            elif artifact and limit:
                complete += 1
        if complete == 0 and not self.has_error("artifact_1") and not self.has_error("limit_1"):
            self.add_error("artifact_1", "Name at least one evidence artifact with its limit.")
        return data


class ExitForm(StepForm):
    exit_time = _line(
        "Time to exit",
        "Require exit realism: how long would it take to unwind and switch?",
        required=True,
    )
    exit_cost = _line(
        "Cost to exit",
        "What would it cost to unwind, and what evidence justifies that cost?",
        required=True,
    )
    exit_data_portability = _text(
        "Data portability",
        "Which data comes back, in what format, and how fast? If you cannot audit, you cannot "
        "defend.",
        required=True,
    )


class ClaimForm(StepForm):
    claim_uncertainty = _text(
        "Uncertainty about X",
        "We believe Partner P can reduce uncertainty about X … — the uncertainty, not a growth "
        "target.",
        rows=2,
        required=True,
    )
    claim_capability = _text(
        "Capability C", "… because they provide capability C …", rows=2, required=True
    )
    claim_boundary = _text(
        "Boundary B",
        "… under boundary B … — who owns what when something breaks; what stays yours.",
        rows=2,
        required=True,
    )
    claim_evidence = _text(
        "Evidence E",
        "… with evidence E. Trend evidence beats one-off wins.",
        rows=2,
        required=True,
    )
    boundary_not_established = _text(
        "Does not establish Y",
        "This partnership reduces uncertainty about X; it does not establish Y. Use the boundary "
        "line in reviews to prevent partner activity from becoming a success claim.",
        rows=2,
        required=True,
    )
    deferral_condition = _line(
        "Deferral condition",
        "If evidence remains ambiguous by date D, we defer to preserve optionality.",
        required=True,
    )
    deferral_date = forms.DateField(
        label="Deferral date D",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date by which the evidence must be unambiguous.",
    )
    unwind_condition = _text(
        "Unwind trigger",
        "Define one unwind trigger that is observable …",
        rows=2,
        required=True,
    )
    unwind_authorizer = forms.ModelChoiceField(
        label="Who can authorize the unwind",
        queryset=User.objects.none(),
        to_field_name="uuid",
        help_text="… and name who can authorize it (a manager or owner of your organization).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unwind_authorizer"].queryset = authorizer_choices(self.partnership)

    def clean_deferral_date(self):
        value = self.cleaned_data["deferral_date"]
        unchanged = value == self.partnership.deferral_date
        if value and not unchanged and value < timezone.localdate():
            raise forms.ValidationError("Choose a date in the future: it is when you will defer.")
        return value

    def clean(self):
        data = super().clean()
        x, y = data.get("claim_uncertainty", ""), data.get("boundary_not_established", "")
        if x and y and x.strip().lower() == y.strip().lower():
            self.add_error(
                "boundary_not_established",
                "Y must differ from X: say what this partnership does not establish.",
            )
        return data


CLAIM_LABELS = [
    ("claim_uncertainty", "Uncertainty X"),
    ("claim_capability", "Capability C"),
    ("claim_boundary", "Boundary B"),
    ("claim_evidence", "Evidence E"),
    ("boundary_not_established", "Does not establish Y"),
    ("deferral_condition", "Deferral condition"),
    ("deferral_date", "Deferral date D"),
    ("unwind_condition", "Unwind trigger"),
    ("unwind_authorizer", "Unwind authorizer"),
]


def authorizer_choices(partnership):
    """Members who may authorize an unwind: managers and owners of the partnership's org."""
    return (
        User.objects.filter(
            memberships__organization_id=partnership.organization_id,
            memberships__role__in=[Role.MANAGER, Role.OWNER],
        )
        .order_by("full_name", "email")
        .distinct()
    )


class ReviewForm(StepForm):
    """The last step has nothing to type: it shows the card and what is missing."""


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type[StepForm]
    intro: str


STEPS: list[Step] = [
    Step(
        "capability",
        "Capability",
        CapabilityForm,
        "Capability provided (and what uncertainty it reduces).",
    ),
    Step(
        "incentives",
        "Incentives & conflicts",
        IncentivesForm,
        "Incentives and conflict risks. Draft one Fit Card. Include one conflict risk and how "
        "you would observe it early.",
    ),
    Step(
        "integration",
        "Integration",
        IntegrationForm,
        "Integration surface area and single points of failure.",
    ),
    Step(
        "evidence",
        "Evidence",
        EvidenceForm,
        "Evidence artifacts (pilot results, references, SLA history). Ensure artifacts are "
        "comparable over time; trend evidence beats one-off wins.",
    ),
    Step("exit", "Exit path", ExitForm, "Exit path (time, cost, data portability)."),
    Step(
        "claim",
        "Claim",
        ClaimForm,
        "Write one Partnership Claim: We believe Partner P can reduce uncertainty about X "
        "because they provide capability C, under boundary B, with evidence E. Add an explicit "
        "deferral trigger and one observable unwind trigger.",
    ),
    Step("review", "Review & finish", ReviewForm, "Check the card and finish it."),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}
STEP_SLUGS = [step.slug for step in STEPS]
FIRST_STEP = STEPS[0].slug


def step_fields(step: Step, partnership) -> list[str]:
    return list(step.form_class(partnership=partnership).fields)


def neighbours(slug: str) -> tuple[str | None, str | None]:
    index = STEP_SLUGS.index(slug)
    previous = STEP_SLUGS[index - 1] if index > 0 else None
    following = STEP_SLUGS[index + 1] if index + 1 < len(STEP_SLUGS) else None
    return previous, following


# --- conversions -------------------------------------------------------------------------


def _clean_str(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def raw_from_card(card: dict) -> dict[str, str]:
    """Flatten a canonical card into the form field values a draft starts from."""
    raw = {
        key: _clean_str(card.get(key))
        for key in (
            "capability_provided",
            "uncertainty_reduced",
            "incentives",
            "integration_surface",
            "single_points_of_failure",
            "exit_time",
            "exit_cost",
            "exit_data_portability",
            "claim_uncertainty",
            "claim_capability",
            "claim_boundary",
            "claim_evidence",
            "boundary_not_established",
            "deferral_condition",
            "deferral_date",
            "unwind_condition",
            "unwind_authorizer",
        )
    }
    for i, row in enumerate(card.get("conflict_risks") or [], start=1):
        if i > CONFLICT_ROWS:
            break
        raw[f"risk_{i}"] = _clean_str(row.get("risk"))
        raw[f"signal_{i}"] = _clean_str(row.get("early_signal"))
    for i, row in enumerate(card.get("evidence_artifacts") or [], start=1):
        if i > ARTIFACT_ROWS:
            break
        raw[f"kind_{i}"] = _clean_str(row.get("kind"))
        raw[f"artifact_{i}"] = _clean_str(row.get("artifact"))
        raw[f"limit_{i}"] = _clean_str(row.get("limit"))
    return raw


def card_from_raw(raw: dict, *, authorizer_name: str = "") -> dict:
    """Build the canonical card from (already validated) raw values."""

    def get(key: str) -> str:
        return _clean_str(raw.get(key))

    card = raw_from_card({})  # every scalar key, empty
    for key in list(card):
        card[key] = get(key)
    card["conflict_risks"] = [
        {"risk": get(f"risk_{i}"), "early_signal": get(f"signal_{i}")}
        for i in range(1, CONFLICT_ROWS + 1)
        if get(f"risk_{i}") or get(f"signal_{i}")
    ]
    card["evidence_artifacts"] = [
        {"kind": get(f"kind_{i}"), "artifact": get(f"artifact_{i}"), "limit": get(f"limit_{i}")}
        for i in range(1, ARTIFACT_ROWS + 1)
        if get(f"artifact_{i}") or get(f"limit_{i}")
    ]
    card["unwind_authorizer_name"] = authorizer_name
    return card


def card_from_current(partnership, fit_card=None) -> dict:
    """The canonical card as it stands: the finished fit card plus the partnership's claim."""
    card: dict = {}
    if fit_card is not None:
        for key in CARD_FIELDS:
            card[key] = getattr(fit_card, key)
    authorizer = partnership.unwind_authorizer
    card.update(
        claim_uncertainty=partnership.claim_uncertainty,
        claim_capability=partnership.claim_capability,
        claim_boundary=partnership.claim_boundary,
        claim_evidence=partnership.claim_evidence,
        boundary_not_established=partnership.boundary_not_established,
        deferral_condition=partnership.deferral_condition,
        deferral_date=partnership.deferral_date.isoformat() if partnership.deferral_date else "",
        unwind_condition=partnership.unwind_condition,
        unwind_authorizer=str(authorizer.uuid) if authorizer else "",
        unwind_authorizer_name=authorizer.display_name if authorizer else "",
    )
    return card


def raw_for_forms(raw: dict) -> dict:
    """Raw values as form data (the authorizer select wants its uuid string)."""
    return {key: value for key, value in raw.items() if isinstance(value, str)}


# --- sentences, sections and completeness ------------------------------------------------


def _or_gap(value: str) -> str:
    return value.strip().rstrip(".") if value and value.strip() else "…"


def claim_sentences(card: dict, partner_name: str) -> dict[str, str]:
    """The claim, boundary line, deferral and unwind triggers, worded as the seed words them."""
    date = card.get("deferral_date") or ""
    try:
        date_text = datetime.date.fromisoformat(date).strftime("%-d %B %Y") if date else "…"
    except ValueError:
        date_text = "…"
    authorizer = card.get("unwind_authorizer_name") or "…"
    return {
        "claim": (
            f"We believe {partner_name} can reduce uncertainty about "
            f"{_or_gap(card.get('claim_uncertainty', ''))} because they provide capability "
            f"{_or_gap(card.get('claim_capability', ''))}, under boundary "
            f"{_or_gap(card.get('claim_boundary', ''))}, with evidence "
            f"{_or_gap(card.get('claim_evidence', ''))}."
        ),
        "boundary": (
            f"This partnership reduces uncertainty about "
            f"{_or_gap(card.get('claim_uncertainty', ''))}; it does not establish "
            f"{_or_gap(card.get('boundary_not_established', ''))}."
        ),
        "deferral": (
            f"If {_or_gap(card.get('deferral_condition', '') or 'evidence remains ambiguous')} "
            f"by {date_text}, we defer to preserve optionality."
        ),
        "unwind": (
            f"We unwind when: {_or_gap(card.get('unwind_condition', ''))}. "
            f"{authorizer} can authorize the unwind."
        ),
    }


def exit_path_summary(card: dict) -> str:
    """One paragraph on the exit path, written into ``Partnership.exit_path``."""
    return (
        f"Time to exit: {_or_gap(card.get('exit_time', ''))}. "
        f"Cost to exit: {_or_gap(card.get('exit_cost', ''))}. "
        f"Data portability: {_or_gap(card.get('exit_data_portability', ''))}."
    )


def card_sections(card: dict, partner_name: str) -> list[dict]:
    """The card laid out as titled sections of (label, text) rows."""
    risks = card.get("conflict_risks") or []
    artifacts = card.get("evidence_artifacts") or []
    sentences = claim_sentences(card, partner_name)
    risk_rows = [
        (
            f"Conflict risk {i}",
            f"{row.get('risk', '')}\nEarly signal: {row.get('early_signal', '')}",
        )
        for i, row in enumerate(risks, start=1)
    ] or [("Conflict risks", "")]
    artifact_rows = [
        (
            f"Evidence artifact {i}",
            (f"[{ARTIFACT_KIND_LABELS.get(row.get('kind'), '')}] " if row.get("kind") else "")
            + f"{row.get('artifact', '')}\nLimit: {row.get('limit', '')}",
        )
        for i, row in enumerate(artifacts, start=1)
    ] or [("Evidence artifacts", "")]
    return [
        {
            "slug": "capability",
            "title": "Capability provided",
            "rows": [
                ("Capability provided", card.get("capability_provided", "")),
                ("Uncertainty it reduces", card.get("uncertainty_reduced", "")),
            ],
        },
        {
            "slug": "incentives",
            "title": "Incentives and conflict risks",
            "rows": [("Incentives", card.get("incentives", "")), *risk_rows],
        },
        {
            "slug": "integration",
            "title": "Integration surface area and single points of failure",
            "rows": [
                ("Integration surface area", card.get("integration_surface", "")),
                ("Single points of failure", card.get("single_points_of_failure", "")),
            ],
        },
        {"slug": "evidence", "title": "Evidence artifacts", "rows": artifact_rows},
        {
            "slug": "exit",
            "title": "Exit path",
            "rows": [
                ("Time", card.get("exit_time", "")),
                ("Cost", card.get("exit_cost", "")),
                ("Data portability", card.get("exit_data_portability", "")),
            ],
        },
        {
            "slug": "claim",
            "title": "Partnership Claim",
            "rows": [
                ("Claim", sentences["claim"]),
                ("Boundary line", sentences["boundary"]),
                ("Deferral trigger", sentences["deferral"]),
                ("Unwind trigger", sentences["unwind"]),
            ],
        },
    ]


def _filled(key: str):
    return lambda raw: bool(_clean_str(raw.get(key)))


# (label, step, test on raw values)
COMPLETENESS_ITEMS = [
    ("Capability provided", "capability", _filled("capability_provided")),
    ("Uncertainty it reduces", "capability", _filled("uncertainty_reduced")),
    ("Incentives", "incentives", _filled("incentives")),
    (
        "A conflict risk with its early signal",
        "incentives",
        lambda r: any(
            _clean_str(r.get(f"risk_{i}")) and _clean_str(r.get(f"signal_{i}"))
            for i in range(1, CONFLICT_ROWS + 1)
        ),
    ),
    ("Integration surface area", "integration", _filled("integration_surface")),
    (
        "Single points of failure",
        "integration",
        _filled("single_points_of_failure"),
    ),
    (
        "An evidence artifact with its limit",
        "evidence",
        lambda r: any(
            _clean_str(r.get(f"artifact_{i}")) and _clean_str(r.get(f"limit_{i}"))
            for i in range(1, ARTIFACT_ROWS + 1)
        ),
    ),
    ("Exit time", "exit", _filled("exit_time")),
    ("Exit cost", "exit", _filled("exit_cost")),
    ("Data portability", "exit", _filled("exit_data_portability")),
    ("Uncertainty X", "claim", _filled("claim_uncertainty")),
    ("Capability C", "claim", _filled("claim_capability")),
    ("Boundary B", "claim", _filled("claim_boundary")),
    ("Evidence E", "claim", _filled("claim_evidence")),
    ("What it does not establish (Y)", "claim", _filled("boundary_not_established")),
    ("Deferral date D", "claim", _filled("deferral_date")),
    ("Unwind trigger", "claim", _filled("unwind_condition")),
    ("Unwind authorizer", "claim", _filled("unwind_authorizer")),
]


@dataclass(frozen=True)
class Completeness:
    done: int
    total: int
    missing: list[tuple[str, str]]  # (label, step slug)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def is_complete(self) -> bool:
        return not self.missing


def completeness(raw: dict) -> Completeness:
    """What is filled in and what is still missing, item by item (not a guess from lengths)."""
    missing = [(label, step) for label, step, test in COMPLETENESS_ITEMS if not test(raw)]
    total = len(COMPLETENESS_ITEMS)
    return Completeness(done=total - len(missing), total=total, missing=missing)


def membership_label(partnership, user_uuid: str) -> str:
    """Display name of a member chosen as unwind authorizer (empty if not a member)."""
    try:
        parsed = uuid.UUID(str(user_uuid))
    except ValueError:
        return ""
    membership = (
        Membership.objects.select_related("user")
        .filter(organization_id=partnership.organization_id, user__uuid=parsed)
        .first()
    )
    return membership.user.display_name if membership else ""


_ROW_SUFFIX = re.compile(r"_(\d+)$")


def field_rows(form) -> list[list]:
    """Group a form's bound fields into rows: ``risk_1`` and ``signal_1`` share a row."""
    rows: dict[str, list] = {}
    for name in form.fields:
        match = _ROW_SUFFIX.search(name)
        key = f"row-{match.group(1)}" if match else name
        rows.setdefault(key, []).append(form[name])
    return list(rows.values())
