"""Forms of partner programs: the public application, reviewers' decisions, settings, filters."""

from __future__ import annotations

import re

from django import forms

from .models import TEXT_LIMIT, ProgramSettings
from .trust import TRUST_SORTS

# Anything that looks like a tag, a comment or a doctype: applications are plain text.
HTML_RE = re.compile(r"<\s*[a-zA-Z!/?]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HONEYPOT = "comment"


def _text(label: str, help_text: str = "", required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT}),
    )


class ApplicationForm(forms.Form):
    """A prospective partner's application. No account, plain text only, limited sizes."""

    company = forms.CharField(label="Company", max_length=160)
    website = forms.URLField(label="Website", max_length=200, required=False, assume_scheme="https")
    contact_name = forms.CharField(label="Your name", max_length=150)
    contact_email = forms.EmailField(
        label="Your work e-mail",
        max_length=254,
        help_text="We send a link to confirm it; nothing is stored as an application before.",
    )
    contact_title = forms.CharField(label="Your title", max_length=150, required=False)
    offer = _text("What do you offer or integrate?")
    value_to_them = _text("What is it worth to you?")
    value_to_customers = _text("What is it worth to our shared customers?")
    they_lose = _text(
        "If this partnership failed, what would you lose?",
        "Be honest: if neither side loses anything, it is a handshake, not a partnership.",
    )
    list_in_directory = forms.BooleanField(
        label="List us in the public partner directory (our name and what we integrate)",
        required=False,
    )
    # The honeypot: hidden from people, filled in by bots that fill in everything.
    comment = forms.CharField(label="Leave this empty", required=False, max_length=200)

    TEXT_FIELDS = [
        "company",
        "contact_name",
        "contact_title",
        "offer",
        "value_to_them",
        "value_to_customers",
        "they_lose",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

    def clean(self):
        data = super().clean()
        for name in self.TEXT_FIELDS:
            value = data.get(name)
            if not value:
                continue
            if HTML_RE.search(value):
                self.add_error(name, "Plain text only, please: no HTML.")
                continue
            data[name] = CONTROL_RE.sub("", value).strip()
        return data

    def answers(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != HONEYPOT}


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why decline?",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    share_reason = forms.BooleanField(
        label="Include this reason in the e-mail to the applicant", required=False
    )


class EndForm(forms.Form):
    reason = forms.CharField(
        label="Why does this partner leave the program?",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ProgramSettingsForm(forms.ModelForm):
    class Meta:
        model = ProgramSettings
        fields = [
            "applications_open",
            "directory_public",
            "intake_owner",
            "trust_threshold",
            "revisit_queue_length",
            "revisit_wait_days",
        ]
        field_classes = {"intake_owner": MemberChoiceField}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["intake_owner"]
        field.queryset = field.queryset.filter(pk__in=[u.pk for u in people])
        field.empty_label = "The first owner"


class ListingForm(forms.Form):
    listed = forms.BooleanField(label="The partner agreed to be listed", required=False)
    integrates = forms.CharField(label="What they integrate", max_length=300, required=False)
    website = forms.URLField(label="Website to show", max_length=200, required=False)

    def clean_integrates(self):
        value = (self.cleaned_data.get("integrates") or "").strip()
        if HTML_RE.search(value):
            raise forms.ValidationError("Plain text only, please: no HTML.")
        return value


class TrustFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    sort = forms.ChoiceField(
        required=False, choices=[(key, label) for key, (label, _o) in TRUST_SORTS.items()]
    )
    below = forms.BooleanField(label="Flagged for a look only", required=False)

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
            "sort": data["sort"] or "trust",
            "below": bool(data["below"]),
        }
