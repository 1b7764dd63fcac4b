"""Partner programs (issue 19): how partners arrive, and what the organization learns of them.

- ``ProgramSettings``: one row per organization; the public application page and the partner
  directory are off until an owner turns them on.
- ``PendingApplication``: what an applicant typed, kept apart until they confirm their address.
  Nothing else exists for an unconfirmed application; only the token's SHA-256 is stored.
- ``Application``: a confirmed application: waiting for review (curated), admitted at once
  (open), accepted, declined or ended. It names the partner, contact and partnership it became.
- ``DirectoryListing``: what a partner agreed to show in the public directory, and nothing more.
- ``RevisitSuggestion``: Accord's suggestion to revisit the curated-vs-open decision, with the
  numbers that triggered it.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

# Size limits of the public form (the database keeps them too).
TEXT_LIMIT = 2000


class ProgramSettings(models.Model):
    """The organization's program settings (defaults apply until an owner saves them)."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="program_settings"
    )
    applications_open = models.BooleanField(
        "public application page", default=False, help_text="Anyone with the link may apply."
    )
    directory_public = models.BooleanField(
        "public partner directory",
        default=False,
        help_text="Lists admitted partners that agreed to be listed, with what they integrate.",
    )
    intake_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Owns the partnerships created from applications (default: the first owner).",
    )
    trust_threshold = models.PositiveSmallIntegerField(
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="Partners whose trust score falls below this (0–100) are flagged for a look.",
    )
    revisit_queue_length = models.PositiveSmallIntegerField(
        default=25,
        validators=[MinValueValidator(1)],
        help_text="Suggest revisiting a curated program when this many applications wait…",
    )
    revisit_wait_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1)],
        help_text="…or when the oldest has waited this many days.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Program settings of {self.organization}"


class Answers(models.Model):
    """What the applicant says: who they are, what they bring, what they stand to lose."""

    company = models.CharField(max_length=160)
    website = models.URLField(max_length=200, blank=True)
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    contact_title = models.CharField(max_length=150, blank=True)
    offer = models.TextField("what you offer or integrate", max_length=TEXT_LIMIT)
    value_to_them = models.TextField("value to you", max_length=TEXT_LIMIT)
    value_to_customers = models.TextField("value to shared customers", max_length=TEXT_LIMIT)
    they_lose = models.TextField(
        "what you would lose if this partnership failed", max_length=TEXT_LIMIT
    )
    list_in_directory = models.BooleanField(default=False)
    # The language the applicant applied in: every e-mail to them is written in it.
    language = models.CharField(max_length=8, blank=True)

    class Meta:
        abstract = True


class PendingApplication(Answers):
    """An application whose address is not confirmed yet. Single use: ``confirmed_at``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"Unconfirmed application of {self.company}"


class Application(Answers):
    """A confirmed application and what became of it."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for review"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        ADMITTED = "admitted", "Admitted (open program)"
        ENDED = "ended", "Ended"

    IN_PROGRAM = (State.ACCEPTED, State.ADMITTED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    program = models.CharField(max_length=12, help_text="The program when it was confirmed.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    submitted_at = models.DateTimeField()
    confirmed_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why it was declined.")
    share_reason = models.BooleanField(default=False, help_text="The applicant was told why.")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(blank=True)
    partner = models.ForeignKey(
        "partnerships.Partner", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        "partnerships.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["confirmed_at", "pk"]
        indexes = [
            models.Index(fields=["organization", "state", "confirmed_at"]),
            models.Index(fields=["organization", "-decided_at"]),
        ]

    def __str__(self) -> str:
        return f"Application of {self.company}"


class DirectoryListing(models.Model):
    """A partner's entry in the public directory: only what the partner agreed to show."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partner = models.OneToOneField(
        "partnerships.Partner", on_delete=models.CASCADE, related_name="directory_listing"
    )
    listed = models.BooleanField(default=False, help_text="The partner agreed to be listed.")
    display_name = models.CharField(max_length=160)
    integrates = models.CharField("what they integrate", max_length=300)
    website = models.URLField(max_length=200, blank=True, help_text="Shown only if given here.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["display_name"]
        indexes = [models.Index(fields=["organization", "listed"])]

    def __str__(self) -> str:
        return f"Directory listing of {self.display_name}"


class RevisitSuggestion(models.Model):
    """'Your curated queue outgrew your review': the numbers, and when it was answered."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    waiting = models.PositiveIntegerField()
    oldest_wait_days = models.PositiveIntegerField()
    median_wait_days = models.FloatField(null=True, blank=True)
    partners = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=20, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_revisit_suggestion",
            )
        ]

    def __str__(self) -> str:
        return f"Revisit suggestion for {self.organization}: {self.reason}"
