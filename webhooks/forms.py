"""The webhook endpoint form on the owners' settings pages."""

from __future__ import annotations

from django import forms

from .events import EVENT_TYPES


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text="Where Accord POSTs events. Public addresses only.",
    )
    description = forms.CharField(max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label="Events",
        choices=[(name, f"{name} — {text}") for name, text in EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )


class EndpointEditForm(EndpointForm):
    is_enabled = forms.BooleanField(
        label="Enabled", required=False, help_text="A disabled endpoint is sent nothing."
    )
