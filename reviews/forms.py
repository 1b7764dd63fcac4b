from django import forms
from django.utils.translation import gettext_lazy as _

from evidence.models import BoundaryStatus, Quality

from .models import Health, HealthReview


class HealthReviewForm(forms.Form):
    """The seed's three questions, the unwind trigger, overall health, notes — and optionally
    one evidence entry recorded straight from the review."""

    boundary_violated = forms.CharField(
        label=HealthReview._meta.get_field("boundary_violated").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write “none” if no boundary was violated."),
    )
    evidence_less_trustworthy = forms.CharField(
        label=HealthReview._meta.get_field("evidence_less_trustworthy").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    renegotiation_trigger = forms.CharField(
        label=HealthReview._meta.get_field("renegotiation_trigger").verbose_name,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unwind_trigger_fired = forms.BooleanField(
        label=_("The unwind trigger fired this cycle"), required=False
    )
    health = forms.ChoiceField(
        label=_("Overall health"), choices=Health.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    evidence_artifact = forms.CharField(
        label=_("Evidence artifact (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Fill this in to add an entry to the evidence log with this review."),
    )
    evidence_quality = forms.ChoiceField(
        label=_("Evidence quality"), required=False, choices=[("", "—"), *Quality.choices]
    )
    evidence_limits = forms.CharField(label=_("Evidence limits"), required=False)
    evidence_boundary_status = forms.ChoiceField(
        label=_("Boundary status"), choices=BoundaryStatus.choices, initial=BoundaryStatus.INTACT
    )
    evidence_observed_on = forms.DateField(
        label=_("Evidence date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if (data.get("evidence_artifact") or "").strip() and not data.get("evidence_quality"):
            self.add_error("evidence_quality", "Choose the quality of the evidence.")
        if data.get("unwind_trigger_fired") and not (data.get("notes") or "").strip():
            self.add_error("notes", "The unwind trigger fired: say what was observed.")
        return data

    def evidence(self) -> dict | None:
        data = self.cleaned_data
        if not (data.get("evidence_artifact") or "").strip():
            return None
        return {
            "artifact": data["evidence_artifact"],
            "quality": data["evidence_quality"],
            "limits": data.get("evidence_limits") or "",
            "boundary_status": data.get("evidence_boundary_status") or BoundaryStatus.INTACT,
            "observed_on": data.get("evidence_observed_on"),
        }


class DisagreementResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How was it settled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


PARTNER_BOUNDARY_HELP = (
    "Write “none” if no boundary was violated: an answer that starts with none, no or nothing "
    "counts as intact, anything else as violated when both sides' answers are compared."
)


class PartnerReviewForm(forms.Form):
    """The partner's side: the same three seed questions, the unwind trigger and the health."""

    boundary_violated = forms.CharField(
        label=HealthReview._meta.get_field("boundary_violated").verbose_name,
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PARTNER_BOUNDARY_HELP,
    )
    evidence_less_trustworthy = forms.CharField(
        label=HealthReview._meta.get_field("evidence_less_trustworthy").verbose_name,
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    renegotiation_trigger = forms.CharField(
        label=HealthReview._meta.get_field("renegotiation_trigger").verbose_name,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unwind_trigger_fired = forms.BooleanField(
        label=_("The unwind trigger fired this cycle"), required=False
    )
    health = forms.ChoiceField(
        label=_("Overall health"), choices=Health.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("unwind_trigger_fired") and not (data.get("notes") or "").strip():
            self.add_error("notes", "The unwind trigger fired: say what was observed.")
        return data
