from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.clock import org_today

from . import dates
from .models import Contact, LaunchItem, Partner, Partnership, Phase, Status, Tier
from .selectors import PARTNER_SORTS
from .trees import Flow

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _short(rows: int = 2):
    return forms.Textarea(attrs={"rows": rows})


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "website", "category", "description"]
        widgets = {"description": _short(3)}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Partner.objects.filter(organization=self.organization, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("You already have a partner with this name."))
        return name


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "email", "title", "language"]

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        taken = Contact.objects.filter(partner=self.partner, email__iexact=email)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This partner already has a contact with this e-mail."))
        return email


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


PARTNERSHIP_FIELDS = [
    "partner",
    "name",
    "tier",
    "leverage",
    "dependency",
    "owner",
    "approver",
    "phase_success_criteria",
    "value_to_us",
    "value_to_partner",
    "value_to_customers",
    "we_lose",
    "partner_loses",
    "claim_uncertainty",
    "claim_capability",
    "claim_boundary",
    "claim_evidence",
    "boundary_not_established",
    "deferral_condition",
    "deferral_date",
    "unwind_condition",
    "unwind_authorizer",
    "integration_pathway",
    "exit_path",
]

# Fieldsets for the template: (legend, help, field names).
PARTNERSHIP_SECTIONS = [
    ("The basics", "", ["partner", "name", "tier", "leverage", "dependency", "owner", "approver"]),
    (
        "Three-sided value",
        "Every successful partnership creates clear value for three parties.",
        ["value_to_us", "value_to_partner", "value_to_customers"],
    ),
    (
        "If this partnership fails, what does each side lose?",
        "If the answer is “nothing” on both sides, it's a handshake, not a partnership.",
        ["we_lose", "partner_loses"],
    ),
    (
        "Partnership Claim",
        "We believe the partner can reduce uncertainty about X because they provide "
        "capability C, under boundary B, with evidence E.",
        ["claim_uncertainty", "claim_capability", "claim_boundary", "claim_evidence"],
    ),
    (
        "Boundary line",
        "This partnership reduces uncertainty about X; it does not establish Y.",
        ["boundary_not_established"],
    ),
    (
        "Triggers",
        "Deferral: if evidence remains ambiguous by date D, we defer. Unwind: an observable "
        "condition and who may authorize it.",
        ["deferral_condition", "deferral_date", "unwind_condition", "unwind_authorizer"],
    ),
    (
        "Phase and launch",
        "Success criteria for the current phase, written now.",
        ["phase_success_criteria", "integration_pathway", "exit_path"],
    ),
]


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = PARTNERSHIP_FIELDS
        labels = {
            "phase_success_criteria": "Success criteria for this phase",
            "we_lose": "We lose",
            "partner_loses": "The partner loses",
            "value_to_us": "Value to us",
            "value_to_partner": "Value to the partner",
            "value_to_customers": "Value to shared customers",
            "claim_uncertainty": "Uncertainty it reduces (X)",
            "claim_capability": "Capability they provide (C)",
            "claim_boundary": "Under boundary (B)",
            "claim_evidence": "With evidence (E)",
            "boundary_not_established": "It does not establish (Y)",
            "deferral_condition": "Deferral condition",
            "deferral_date": "Deferral date (D)",
            "unwind_condition": "Unwind trigger",
            "unwind_authorizer": "Who may authorize the unwind",
        }
        widgets = {
            "deferral_date": DATE,
            **{
                name: _short()
                for name in PARTNERSHIP_FIELDS
                if Partnership._meta.get_field(name).get_internal_type() == "TextField"
            },
        }

    def __init__(self, *args, organization, people: list[User], partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = org_today(organization)
        self.fields["deferral_date"].help_text = dates.deferral_help(self.today)
        ids = [u.pk for u in people]
        for name in ("owner", "approver", "unwind_authorizer"):
            old = self.fields[name]
            self.fields[name] = MemberChoiceField(
                queryset=User.objects.filter(pk__in=ids).order_by("full_name", "email"),
                required=old.required,
                label=old.label,
                help_text=old.help_text,
            )
        self.fields["partner"].queryset = (
            partners
            if partners is not None
            else (Partner.objects.filter(organization=organization))
        )
        self.fields["leverage"].help_text = (
            "Your strongest leverage. Requirement or economic: full investment; competitive or "
            "customer: light, test first; co-marketing only: don't do it."
        )
        if not self.instance.pk:
            self.fields["phase_success_criteria"].label = "Crawl success criteria"
        self.fields["claim_uncertainty"].required = True
        self.fields["we_lose"].help_text = "Be concrete: money, roadmap, a commitment."
        if not self.instance.pk:
            # Made when the form is shown; submitting it twice creates one partnership.
            self.fields["request_uuid"] = forms.UUIDField(
                widget=forms.HiddenInput, required=False, initial=uuid.uuid4()
            )
        if self.instance.pk:
            # Tier changes go through the tier assignment flow; the partner never changes.
            del self.fields["tier"]
            del self.fields["partner"]

    def clean_deferral_date(self):
        value = self.cleaned_data["deferral_date"]
        previous = self.instance.deferral_date if self.instance.pk else None
        problem = dates.deferral_date_error(value, today=self.today, previous=previous)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def sections(self):
        for legend, help_text, names in PARTNERSHIP_SECTIONS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                yield legend, help_text, fields


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=[("", "Choose…"), *Status.choices])
    reason = forms.CharField(label=_("Why"), widget=_short(2), max_length=2000)


class PartnerFilterForm(forms.Form):
    """The partner list's filters; they live in the URL (GET) so a filtered list is a link."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    tier = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[("", "Any tier"), *Tier.choices]
    )
    phase = forms.ChoiceField(required=False, choices=[("", "Any phase"), *Phase.choices])
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Status.choices])
    owner = forms.ChoiceField(required=False)
    flagged = forms.BooleanField(label=_("Flagged only"), required=False)
    sort = forms.ChoiceField(
        required=False, choices=[(key, label) for key, (label, _o) in PARTNER_SORTS.items()]
    )

    def __init__(self, *args, people: list[User], sorts: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [*self.fields["sort"].choices, *(sorts or {}).items()]
        self.people = {str(u.uuid): u for u in people}
        self.fields["owner"].choices = [("", "Any owner")] + [
            (key, u.display_name) for key, u in self.people.items()
        ]
        self.fields["q"].widget.input_type = "search"  # one type attribute, not two
        self.fields["q"].widget.attrs.update({"placeholder": "Partner, category"})

    def filters(self) -> dict:
        """Valid filters only: a bad value in a hand-edited URL is ignored, not an error."""
        data = {}
        for name in self.fields:
            try:
                data[name] = self.fields[name].clean(self.data.get(name, ""))
            except forms.ValidationError:
                data[name] = None
        return {
            "q": (data["q"] or "").strip(),
            "tier": data["tier"],
            "phase": data["phase"] or "",
            "status": data["status"] or "",
            "owner": self.people.get(data["owner"] or ""),
            "flagged": bool(data["flagged"]),
            "sort": data["sort"] or "name",
        }


class FlowDecisionForm(forms.Form):
    """The end of a flow: the final choice, and a reason when it differs from the tree."""

    final_choice = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect)
    # Made when the form is shown; a second submission of the same form changes nothing.
    run_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)
    override_reason = forms.CharField(
        label=_("Why you chose differently"),
        required=False,
        widget=_short(2),
        max_length=2000,
        help_text=_("Required when your decision differs from the recommendation."),
    )

    def __init__(self, *args, flow: Flow, recommendation: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation
        self.fields["final_choice"].choices = flow.choices
        self.fields["final_choice"].initial = recommendation
        self.fields["run_uuid"].initial = uuid.uuid4()

    def clean(self):
        data = super().clean()
        choice = data.get("final_choice")
        if choice and choice != self.recommendation and not data.get("override_reason", "").strip():
            self.add_error(
                "override_reason", "You chose differently from the recommendation: say why."
            )
        return data


class GoDecisionForm(FlowDecisionForm):
    # The choices that start a phase; its success criteria are written now, when it starts.
    STARTS_A_PHASE = ("go", "restart")

    success_criteria = forms.CharField(
        label=_("Success criteria for the next phase"),
        required=False,
        max_length=4000,
        widget=_short(3),
        help_text=_(
            "Required for a go or a restart: what must be true to go on from the next "
            "phase, written now while it starts."
        ),
    )

    def clean(self):
        data = super().clean()
        starts = data.get("final_choice") in self.STARTS_A_PHASE
        if starts and not (data.get("success_criteria") or "").strip():
            self.add_error(
                "success_criteria", "Write the next phase's success criteria: what must be true?"
            )
        return data


class BuildVsPartnerDecisionForm(FlowDecisionForm):
    subject = forms.CharField(
        label=_("Capability"),
        max_length=200,
        help_text=_("What capability is this decision about?"),
    )


class LaunchPlanForm(forms.Form):
    launch_on = forms.DateField(label=_("Launch date"), widget=DATE)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["launch_on"].help_text = dates.launch_help(today)

    def clean_launch_on(self):
        value = self.cleaned_data["launch_on"]
        if problem := dates.launch_date_error(value, today=self.today):
            raise forms.ValidationError(problem)
        return value


class LaunchItemForm(forms.ModelForm):
    class Meta:
        model = LaunchItem
        fields = ["owner", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, people: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = MemberChoiceField(
            queryset=User.objects.filter(pk__in=[u.pk for u in people]).order_by("full_name"),
            required=False,
        )
        self.launch_on = self.instance.plan.launch_on
        self.fields["due_on"].help_text = dates.item_help(self.launch_on)

    def clean_due_on(self):
        value = self.cleaned_data["due_on"]
        if problem := dates.item_due_error(value, launch_on=self.launch_on):
            raise forms.ValidationError(problem)
        return value
