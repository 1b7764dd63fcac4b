"""The forms of the fit card flow, one per step, and how their fields are laid out in rows.

Each step validates only its own fields; the rules that span fields (a conflict risk needs its
early signal, an artifact its limit, Y must differ from X) live in the step's ``clean``.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.clock import org_today

from .card import ARTIFACT_KINDS, ARTIFACT_ROWS, CONFLICT_ROWS
from .text import CardTextField


def _text(label: str, help_text: str, *, rows: int = 3, required: bool = False) -> forms.CharField:
    return CardTextField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _line(label: str, help_text: str = "", *, required: bool = False) -> forms.CharField:
    return CardTextField(label=label, help_text=help_text, required=required, max_length=2000)


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
        label=_("Deferral date D"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date by which the evidence must be unambiguous."),
    )
    unwind_condition = _text(
        "Unwind trigger",
        "Define one unwind trigger that is observable …",
        rows=2,
        required=True,
    )
    unwind_authorizer = forms.ModelChoiceField(
        label=_("Who can authorize the unwind"),
        queryset=User.objects.none(),
        to_field_name="uuid",
        help_text=_("… and name who can authorize it (a manager or owner of your organization)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unwind_authorizer"].queryset = authorizer_choices(self.partnership)

    def clean_deferral_date(self):
        """A new deferral date must not have passed on the organization's own calendar: a
        date already behind it would defer at once."""
        value = self.cleaned_data["deferral_date"]
        unchanged = value == self.partnership.deferral_date
        if value and not unchanged and value < org_today(self.partnership.organization):
            raise forms.ValidationError(
                _("Choose a date in the future: it is when you will defer.")
            )
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
    ("claim_uncertainty", _("Uncertainty X")),
    ("claim_capability", _("Capability C")),
    ("claim_boundary", _("Boundary B")),
    ("claim_evidence", _("Evidence E")),
    ("boundary_not_established", _("Does not establish Y")),
    ("deferral_condition", _("Deferral condition")),
    ("deferral_date", _("Deferral date D")),
    ("unwind_condition", _("Unwind trigger")),
    ("unwind_authorizer", _("Unwind authorizer")),
]


class ReviewForm(StepForm):
    """The last step has nothing to type: it shows the card and what is missing."""


_ROW_SUFFIX = re.compile(r"_(\d+)$")


def field_rows(form, sources: dict[str, str] | None = None) -> list[list]:
    """Group a form's bound fields into rows: ``risk_1`` and ``signal_1`` share a row.

    Each bound field carries ``source``: where its prefilled text came from, or empty.
    """
    rows: dict[str, list] = {}
    for name in form.fields:
        match = _ROW_SUFFIX.search(name)
        key = f"row-{match.group(1)}" if match else name
        bound = form[name]
        bound.source = (sources or {}).get(name, "")
        rows.setdefault(key, []).append(bound)
    return list(rows.values())
