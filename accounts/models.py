"""Users, organizations, memberships and invitations.

Every organization-scoped model elsewhere carries a foreign key named ``organization``; the
scoping helpers in ``accounts.scoping`` are the only way views reach those rows.
"""

import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import LANGUAGE_CHOICES, PERSONAL_LANGUAGE_CHOICES

from .fresh_sign_in import method_field

TIME_ZONE_CHOICES = [("UTC", "UTC")] + sorted(
    (tz, tz) for tz in zoneinfo.available_timezones() if "/" in tz and not tz.startswith("Etc/")
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    time_zone = models.CharField(max_length=64, default="UTC")
    digest_enabled = models.BooleanField(
        default=True, help_text="Receive the weekly health-review digest."
    )
    # Blank: no choice of their own, so the organization's default applies (core.i18n).
    language = models.CharField(
        _("Language"),
        max_length=8,
        blank=True,
        choices=PERSONAL_LANGUAGE_CHOICES,
        help_text=_("Pages and e-mails are shown in this language."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


class Organization(models.Model):
    """A team using Accord; the boundary of everything a member can see."""

    class Program(models.TextChoices):
        UNDECIDED = "undecided", "Not decided yet"
        CURATED = "curated", "Curated (gatekeeper model)"
        OPEN = "open", "Open (discovery model)"

    class TwoFactorPolicy(models.TextChoices):
        NOBODY = "nobody", "Nobody (each person chooses)"
        OWNERS = "owners", "Owners"
        APPROVERS = "approvers", "Owners and approvers"
        EVERYONE = "everyone", "Everyone"

    WEEKDAYS = [
        (0, "Monday"),
        (1, "Tuesday"),
        (2, "Wednesday"),
        (3, "Thursday"),
        (4, "Friday"),
        (5, "Saturday"),
        (6, "Sunday"),
    ]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    default_language = models.CharField(
        _("Default language"),
        max_length=8,
        default="en",
        choices=LANGUAGE_CHOICES,
        help_text=_("For members who chose no language and for partner contacts."),
    )
    review_weekday = models.PositiveSmallIntegerField(default=0, choices=WEEKDAYS)
    review_hour = models.PositiveSmallIntegerField(
        default=9, help_text="Local hour (0–23) at which the weekly review cycle starts."
    )
    review_include_crawl = models.BooleanField(
        default=False, help_text="Also review partnerships still in crawl."
    )
    remind_after_days = models.PositiveSmallIntegerField(default=2)
    escalate_after_days = models.PositiveSmallIntegerField(default=5)
    signature_reminder_days = models.PositiveSmallIntegerField(default=3)
    partner_program = models.CharField(
        max_length=12, choices=Program.choices, default=Program.UNDECIDED
    )
    max_tiers_in_use = models.PositiveSmallIntegerField(
        default=3, help_text="More tiers than this in use is flagged as 'too many tiers'."
    )
    require_two_factor = models.CharField(
        "Require two-factor authentication for",
        max_length=10,
        choices=TwoFactorPolicy.choices,
        default=TwoFactorPolicy.NOBODY,
        help_text="Members it covers must set up an authenticator app or a passkey before "
        "they can use Accord in this organization.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    VIEWER = "viewer", "Viewer"


ROLE_RANK = {Role.VIEWER: 0, Role.MANAGER: 1, Role.OWNER: 2}


class Membership(models.Model):
    """A user's place in an organization. ``can_approve`` marks approvers (SPEC §1)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    can_approve = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_org")
        ]
        indexes = [models.Index(fields=["user", "organization"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"

    def has_role(self, minimum: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[minimum]

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER

    @property
    def can_write(self) -> bool:
        return self.has_role(Role.MANAGER)


class Invitation(models.Model):
    """An e-mailed invitation. Only the SHA-256 of the token is stored."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MANAGER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "expires_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(state="pending"),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organization}"

    @property
    def is_usable(self) -> bool:
        return self.state == self.State.PENDING and self.expires_at > timezone.now()


class SingleSignOn(models.Model):
    """An organization's own OpenID Connect provider (SPEC §12, single sign-on).

    People whose e-mail is in one of its domains sign in there instead of with a password;
    new ones join the organization with ``new_member_role``. The client secret is kept
    encrypted (``accounts.sso.secrets``) or, when empty, read from the environment variable
    named by ``secret_variable``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="single_sign_on"
    )
    provider_id = models.SlugField(max_length=40, unique=True, editable=False)
    issuer = models.URLField("Issuer URL", max_length=300)
    client_id = models.CharField("Client ID", max_length=200)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    new_member_role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    sso_only = models.BooleanField(default=False)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Single sign-on of {self.organization}"

    @property
    def secret_variable(self) -> str:
        """The environment variable that holds the client secret when none is stored."""
        return "SSO_CLIENT_SECRET_" + self.provider_id.upper().replace("-", "_")


class SingleSignOnDomain(models.Model):
    """An e-mail domain routed to one organization's provider; a domain has one owner."""

    single_sign_on = models.ForeignKey(
        SingleSignOn, on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class MemberChange(models.Model):
    """A role changed or a member removed: who did it, when, and whether they confirmed who
    they were just before (changing roles and removing members are commitments)."""

    class Kind(models.TextChoices):
        ROLE = "role", _("Role changed")
        REMOVED = "removed", _("Removed")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="member_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member_email = models.EmailField(help_text="The member as they were (they may be gone).")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    from_role = models.CharField(max_length=10, choices=Role.choices)
    to_role = models.CharField(max_length=10, choices=Role.choices, blank=True)
    can_approve = models.BooleanField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reauthenticated_at = models.DateTimeField(null=True, blank=True)
    reauthenticated_with = method_field()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member_email}"
