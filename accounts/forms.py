import zoneinfo

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts

from .models import TIME_ZONE_CHOICES, Organization, Role, User
from .services import organization_create
from .sso.services import sso_for_email


class SignupForm(AllauthSignupForm):
    """Sign-up also names the organization, unless the person is accepting an invitation."""

    full_name = forms.CharField(max_length=150, label="Your name")
    organization_name = forms.CharField(
        max_length=120,
        required=False,
        label="Organization",
        help_text="Your team's name. Leave empty if you were invited to an existing one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's password help is a <ul>, which is not valid inside the help's <span>; as
        # one sentence it is valid HTML, and the field's aria-describedby points at it.
        if "password1" in self.fields:
            self.fields["password1"].help_text = " ".join(
                str(text) for text in password_validators_help_texts()
            )

    def clean_email(self):
        """An address of a domain with single sign-on gets its account from its organization's
        provider, not from a password chosen here (the directory decides who is in)."""
        email = super().clean_email()
        sso = sso_for_email(email)
        if sso is not None:
            raise forms.ValidationError(
                f"{sso.organization.name} signs its people in through its own sign-on: use "
                "Sign in with this address (no password needed), and your account is made "
                "there."
            )
        return email

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
        name = self.cleaned_data.get("organization_name", "").strip()
        if name:
            organization_create(name=name, owner=user)
        return user


class OrganizationCreateForm(forms.Form):
    name = forms.CharField(max_length=120, label="Organization name")
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES, initial="Europe/London")


class OrganizationSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["require_two_factor"].required = False
        self.fields["default_language"].required = False

    class Meta:
        model = Organization
        fields = [
            "name",
            "default_language",
            "time_zone",
            "review_weekday",
            "review_hour",
            "review_include_crawl",
            "remind_after_days",
            "escalate_after_days",
            "signature_reminder_days",
            "max_tiers_in_use",
            "require_two_factor",
        ]

    def clean_review_hour(self):
        hour = self.cleaned_data["review_hour"]
        if not 0 <= hour <= 23:
            raise forms.ValidationError("Choose an hour between 0 and 23.")
        return hour

    def clean_time_zone(self):
        tz = self.cleaned_data["time_zone"]
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError("Unknown time zone.") from None
        return tz

    def clean_require_two_factor(self):
        """Left out of a post (an older form, a script), the policy stays as it is: it is
        never loosened by omission."""
        return self.cleaned_data.get("require_two_factor") or self.instance.require_two_factor

    def clean_default_language(self):
        """Left out of a post, the organization keeps the language it has (core.i18n)."""
        return self.cleaned_data.get("default_language") or self.instance.default_language

    def clean(self):
        data = super().clean()
        remind, escalate = data.get("remind_after_days"), data.get("escalate_after_days")
        if remind is not None and escalate is not None and escalate <= remind:
            self.add_error("escalate_after_days", "Escalate after the reminder, not before.")
        return data


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES, help_text="Dates and times are shown in this zone."
    )

    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone", "digest_enabled"]
        labels = {"digest_enabled": "Send me the weekly health-review digest"}
        help_texts = {
            "digest_enabled": "Escalations and unwind alerts are always sent.",
        }


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MANAGER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    can_approve = forms.BooleanField(required=False, label="Approver")
