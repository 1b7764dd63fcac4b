from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.clock import org_today, org_zone
from core.templatetags.dates import pattern
from partnerships.models import Contact

from .documents import png_data_url
from .models import SECTIONS
from .services.drawing import clean_signature_png
from .services.sending import Order

MAX_EXPIRY_DAYS = 365


class CharterForm(forms.Form):
    title = forms.CharField(max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, heading, help_text in SECTIONS:
            self.fields[name] = forms.CharField(
                label=heading,
                help_text=help_text,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )


class SendForm(forms.Form):
    our_signers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Our signers"),
        required=False,
    )
    partner_signers = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("The partner's signers"),
        required=False,
    )
    order = forms.ChoiceField(choices=Order.CHOICES, initial=Order.PARALLEL)
    expires_on = forms.DateField(
        label=_("Links expire on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    require_code = forms.BooleanField(
        required=False,
        label=_(
            "Also require a one-time code e-mailed to the signer (for links that may be forwarded)"
        ),
    )
    message = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organization, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["our_signers"].queryset = User.objects.filter(
            memberships__organization=organization, is_active=True
        ).order_by("full_name", "email")
        self.fields["our_signers"].label_from_instance = lambda u: f"{u.display_name} <{u.email}>"
        self.fields["partner_signers"].queryset = Contact.objects.filter(
            organization=organization, partner_id=partnership.partner_id
        ).order_by("name")
        self.fields["partner_signers"].label = gettext("Signers of %(partner)s") % {
            "partner": partnership.partner.name
        }
        self.fields["partner_signers"].label_from_instance = lambda c: (
            f"{c.name} <{c.email}>" + (f" · {c.title}" if c.title else "")
        )
        today = org_today(organization)
        self.fields["expires_on"].help_text = gettext(
            "A day after today and at most a year away (%(first)s to %(last)s); the links work "
            "until the end of that day where your organization is."
        ) % {
            "first": date_format(today + timedelta(days=1), pattern("long_date")),
            "last": date_format(today + timedelta(days=MAX_EXPIRY_DAYS), pattern("long_date")),
        }
        if not self.is_bound:
            self.initial.setdefault("expires_on", today + timedelta(days=14))

    def clean_expires_on(self):
        """The expiry is a day on the organization's calendar, not the server's (UTC)."""
        day = self.cleaned_data["expires_on"]
        today = org_today(self.organization)
        if day <= today:
            raise forms.ValidationError(_("Choose a day after today."))
        if day > today + timedelta(days=MAX_EXPIRY_DAYS):
            raise forms.ValidationError(_("Choose a day within a year."))
        return day

    def expires_at(self):
        """The end of the chosen day in the organization's time zone."""
        return datetime.combine(
            self.cleaned_data["expires_on"], time(23, 59, 59), tzinfo=org_zone(self.organization)
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree to use electronic records and signatures for this document.")
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=6,
        min_length=6,
        label=_("Code from the e-mail"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class SendCodeForm(forms.Form):
    """Asking for a one-time code takes no input; the form carries the service's refusal."""


class SignForm(forms.Form):
    authorized = forms.BooleanField()
    typed_name = forms.CharField(max_length=150, label=_("Your full name"))
    drawn_signature = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authorized"].label = gettext("I am authorized to sign for %(company)s.") % {
            "company": company
        }

    def clean_drawn_signature(self) -> bytes:
        """The drawing as the PNG bytes we re-encoded (b"" when nothing was drawn)."""
        value = self.cleaned_data.get("drawn_signature", "")
        if not value:
            return b""
        try:
            return clean_signature_png(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def full_clean(self):
        """After validation the hidden field holds exactly the drawing we accepted, or nothing,
        so a page re-shown with errors paints on the canvas what will be submitted again."""
        super().full_clean()
        if not self.is_bound:
            return
        png = self.cleaned_data.get("drawn_signature") or b""
        data = self.data.copy()
        data["drawn_signature"] = png_data_url(png) if png else ""
        self.data = data


class VerifyForm(forms.Form):
    document = forms.FileField(label=_("Executed charter (PDF)"))

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The file is too large ({mb} MB at most).")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("This is not a PDF file."))
        return upload
