"""Forms of the partner room: the partner's pages and our room settings."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from evidence.models import BoundaryStatus, Quality
from evidence.uploads import ALLOWED_TYPES

from .models import FIT_CARD_PARTS, CosignPolicy, DecisionKind, SharingLevel

# --------------------------------------------------------------------------- partner side

# The file kinds whose names are words (not product names), as a partner reads them.
_KIND_NAMES = {
    "OpenDocument text": _("OpenDocument text"),
    "OpenDocument spreadsheet": _("OpenDocument spreadsheet"),
    "OpenDocument presentation": _("OpenDocument presentation"),
    "plain text": _("plain text"),
}


def allowed_files() -> str:
    """The file kinds a partner may upload, in the active language (a partner reads the room
    in their own language, so the list is built per form, not once at import)."""
    kinds = [
        f"{_KIND_NAMES.get(label, label)} ({', '.join('.' + ext for ext in extensions)})"
        for label, extensions in ALLOWED_TYPES.values()
    ]
    return _("%(kinds)s or %(last)s") % {"kinds": ", ".join(kinds[:-1]), "last": kinds[-1]}


class AccessRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your work e-mail address"), max_length=254)
    next = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code we e-mailed you"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class GateAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            ("confirm", _("I confirm this decision")),
            ("dispute", _("I dispute this decision")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to dispute; shown to both sides."),
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == "dispute" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why you dispute this decision."))
        return data


class PartnerEvidenceForm(forms.Form):
    """Evidence a partner contact adds from the room (the log's limits and messages apply:
    ``evidence.services.partner.partner_evidence_submit`` validates again)."""

    claim = forms.CharField(
        label=_("Claim"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The claim of the partnership this evidence bears on."),
    )
    artifact = forms.CharField(
        label=_("Evidence artifact"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was observed, measured or received on your side."),
    )
    limits = forms.CharField(
        label=_("Limits"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What this evidence does not show."),
    )
    quality = forms.ChoiceField(label=_("Quality"), choices=[("", "—")] + Quality.choices)
    observed_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today or earlier."),
    )
    boundary_status = forms.ChoiceField(
        label=_("Boundary status"), choices=BoundaryStatus.choices, initial="intact"
    )
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, in the language of the page it is shown on.
        self.fields["file"].help_text = _(
            "Optional. Allowed: %(allowed)s. HTML, SVG and scripts are refused. At most %(size)s."
        ) % {"allowed": allowed_files(), "size": filesizeformat(settings.UPLOAD_MAX_BYTES)}


# --------------------------------------------------------------------------- our side


class InviteForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=None, label="Contact")
    reviews_health = forms.BooleanField(
        label="Health-review contact (answers the partner's side each cycle)", required=False
    )
    signs_gates = forms.BooleanField(
        label="Confirms co-signed gates (go / no-go, unwind)", required=False
    )
    require_code = forms.BooleanField(
        label="Also ask for an e-mailed one-time code at sign-in", required=False
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts


class AccessFlagsForm(forms.Form):
    reviews_health = forms.BooleanField(label="Health-review contact", required=False)
    signs_gates = forms.BooleanField(label="Confirms co-signed gates", required=False)
    require_code = forms.BooleanField(label="E-mailed one-time code", required=False)


class SharingForm(forms.Form):
    share_charters = forms.BooleanField(
        label="Executed and pending charters", required=False, initial=True
    )
    fit_card_parts = forms.MultipleChoiceField(
        label="Fit card parts shared",
        required=False,
        choices=[(key, label) for key, (label, _fields) in FIT_CARD_PARTS.items()],
        widget=forms.CheckboxSelectMultiple,
    )


class EntrySharingForm(forms.Form):
    level = forms.ChoiceField(label="Partner sees", choices=SharingLevel.choices)


class _Switches(forms.Form):
    go = forms.BooleanField(label="Go decisions", required=False, initial=True)
    no_go = forms.BooleanField(label="No-go decisions", required=False, initial=True)
    unwind = forms.BooleanField(label="Unwind decisions", required=False, initial=True)


class CosignPolicyForm(_Switches):
    scope = forms.ChoiceField(
        label="Need the partner's confirmation for",
        choices=CosignPolicy.Scope.choices,
    )
    field_order = ["scope", "go", "no_go", "unwind"]


class CosignOverrideForm(_Switches):
    override = forms.ChoiceField(
        label="For this partnership", choices=CosignPolicy.Override.choices
    )
    field_order = ["override", "go", "no_go", "unwind"]


class ConfirmationRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Decision", choices=DecisionKind.choices)
    note = forms.CharField(
        label="What we ask them to confirm, and why",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
