"""Forms for the evidence log: validation and field errors only; writes go to services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.clock import org_today
from partnerships.models import Partner, Partnership

from .models import BoundaryStatus, DecisionKind, EvidenceEntry, EvidencePolicy, Quality
from .selectors import entry_search
from .uploads import ALLOWED_DESCRIPTION, upload_check

# The fields a correction starts from: the corrected entry's own values.
CORRECTED_FIELDS = (
    "claim",
    "artifact",
    "quality",
    "observed_on",
    "limits",
    "boundary_status",
    "decision",
    "link",
)


def _members(organization):
    return User.objects.filter(memberships__organization=organization).order_by(
        "full_name", "email"
    )


class EvidenceForm(forms.Form):
    partnership = forms.ModelChoiceField(queryset=Partnership.objects.none())
    claim = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("The claim this evidence bears on.")
    )
    artifact = forms.CharField(
        label=_("Evidence artifact"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was observed, measured or received."),
    )
    quality = forms.ChoiceField(choices=[("", "—")] + Quality.choices)
    observed_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the evidence was observed: today or earlier."),
    )
    limits = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What this evidence does not show."),
    )
    boundary_status = forms.ChoiceField(choices=BoundaryStatus.choices, initial="intact")
    decision = forms.ChoiceField(choices=DecisionKind.choices, initial="none")
    approver = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    link = forms.URLField(required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(
        required=False,
        help_text=f"Optional. Allowed: {ALLOWED_DESCRIPTION}. The name's extension must match "
        "the content; HTML, SVG and scripts are refused.",
    )
    correction_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for a correction: what was wrong in the entry it supersedes."),
    )

    def __init__(self, *args, organization, partnership=None, correcting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.correcting = correcting
        self.fields["partnership"].queryset = Partnership.objects.filter(
            organization=organization
        ).select_related("partner")
        self.fields["partnership"].label_from_instance = lambda p: f"{p.partner.name} · {p.name}"
        if partnership is not None:
            self.fields["partnership"].initial = partnership.pk
            self.fields["partnership"].widget = forms.HiddenInput()
        self.fields["approver"].queryset = _members(organization)
        self.fields["approver"].label_from_instance = lambda u: u.display_name
        if correcting is None:
            del self.fields["correction_reason"]
        else:
            self.fields["correction_reason"].required = True
        self.fields["file"].help_text += f" At most {filesizeformat(settings.UPLOAD_MAX_BYTES)}."
        if not self.is_bound and "observed_on" not in self.initial:
            self.fields["observed_on"].initial = org_today(organization)

    @staticmethod
    def initial_for(*, partnership=None, correcting=None) -> dict:
        """What the form starts with: a correction starts from the entry it corrects; a new
        entry on a partnership with an open claim starts from that claim."""
        if correcting is not None:
            initial = {field: getattr(correcting, field) for field in CORRECTED_FIELDS}
            initial["approver"] = correcting.approver_id
            return initial
        if partnership is not None and partnership.claim_uncertainty:
            return {"claim": partnership.claim_sentence}
        return {}

    def record_arguments(self) -> dict:
        """The cleaned input as the keyword arguments of ``evidence_record``."""
        data = self.cleaned_data
        names = ("partnership", "claim", "artifact", "quality", "observed_on", "limits")
        names += ("boundary_status", "decision", "approver", "link", "file")
        arguments = {name: data[name] for name in names}
        arguments["correction_reason"] = data.get("correction_reason", "")
        arguments["supersedes"] = self.correcting
        return arguments

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                self.detected_type = upload_check(upload)
            except ValidationError as exc:
                raise ValidationError(exc.messages[0]) from None
        return upload

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day > org_today(self.organization):
            raise ValidationError(_("Evidence cannot be dated in the future."))
        return day

    def clean(self):
        data = super().clean()
        if self.correcting is not None and data.get("partnership") not in (
            None,
            self.correcting.partnership,
        ):
            self.add_error("partnership", "A correction stays on the same partnership.")
        return data


class FilterForm(forms.Form):
    PARTNER_SELECT_LIMIT = 200

    q = forms.CharField(required=False, label=_("Search"))
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), required=False)
    boundary_status = forms.ChoiceField(
        choices=[("", "Any boundary")] + BoundaryStatus.choices, required=False, label=_("Boundary")
    )
    decision = forms.ChoiceField(
        choices=[("", "Any decision")] + DecisionKind.choices, required=False
    )
    quality = forms.ChoiceField(choices=[("", "Any quality")] + Quality.choices, required=False)
    date_from = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    approver = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, organization, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partnership is not None:
            del self.fields["partner"]
        else:
            partners = Partner.objects.filter(organization=organization)
            many = partners.order_by().values("pk")[: self.PARTNER_SELECT_LIMIT + 1].count()
            if many > self.PARTNER_SELECT_LIMIT:
                # Thousands of options would dominate the page: match by name instead.
                self.fields["partner"] = forms.CharField(
                    required=False, label=_("Partner"), help_text=_("Name contains")
                )
            else:
                self.fields["partner"].queryset = partners
                self.fields["partner"].empty_label = "Any partner"
        self.fields["approver"].queryset = _members(organization)
        self.fields["approver"].empty_label = "Any approver"
        self.fields["approver"].label_from_instance = lambda u: u.display_name

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def controls(self) -> list[dict]:
        """The fields for the filter bar, with select options prepared here: Django's widget
        templates render each option through an include, too slow for a page hit this often."""
        items = []
        for bound in self:
            if isinstance(bound.field, forms.ChoiceField | forms.ModelChoiceField) and not (
                isinstance(bound.field.widget, forms.TextInput)
            ):
                current = bound.value()
                current = "" if current is None else str(current)
                options = [
                    (str(value), label, str(value) == current)
                    for value, label in bound.field.choices
                ]
                items.append({"field": bound, "options": options})
            else:
                value = bound.value()
                items.append(
                    {
                        "field": bound,
                        "options": None,
                        "input_type": getattr(bound.field.widget, "input_type", "text"),
                        "value": "" if value is None else str(value),
                    }
                )
        return items

    def has_filters(self) -> bool:
        return self.is_bound and any(
            value for name, value in self.data.items() if name in self.fields
        )

    def apply(self, qs):
        """Filter ``qs`` by the valid fields (invalid ones are ignored, and shown as errors)."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {
                k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors
            }
        )
        partner = data.get("partner")
        if isinstance(partner, Partner):
            qs = qs.filter(partnership__partner=partner)
        elif partner:
            qs = qs.filter(partnership__partner__name__icontains=partner.strip())
        for field in ("boundary_status", "decision", "quality"):
            if data.get(field):
                qs = qs.filter(**{field: data[field]})
        if data.get("date_from"):
            qs = qs.filter(observed_on__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(observed_on__lte=data["date_to"])
        if data.get("approver"):
            qs = qs.filter(approver=data["approver"])
        if data.get("q"):
            qs = entry_search(qs, data["q"])
        return qs


class DecisionForm(forms.Form):
    EVIDENCE_CHOICES = 200

    kind = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", "—")] + [c for c in DecisionKind.choices if c[0] != "none"],
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.ModelMultipleChoiceField(
        queryset=EvidenceEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The entries this decision rests on. Commit and go are checked against them."),
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        recent = EvidenceEntry.objects.filter(
            partnership=partnership, superseded_by__isnull=True
        ).order_by("-observed_on", "-sequence")
        # The most recent entries only: a busy partnership may hold thousands.
        self.fields["evidence"].queryset = EvidenceEntry.objects.filter(
            pk__in=recent.values("pk")[: self.EVIDENCE_CHOICES]
        ).order_by("-observed_on", "-sequence")
        self.fields["evidence"].label_from_instance = lambda e: (
            f"#{e.sequence} · {e.observed_on:%Y-%m-%d} · {e.get_quality_display()} · "
            f"{e.get_boundary_status_display()} · {e.artifact[:90]}"
        )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required either way."),
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = EvidencePolicy
        fields = ["approval_min_dependency"]
        labels = {"approval_min_dependency": "Decisions need the approver for"}
