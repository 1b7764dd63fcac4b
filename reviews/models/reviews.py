"""Weekly health reviews (SPEC §2, seed chapter §4.2) and personal calendar feeds.

A ``ReviewCycle`` is one organization's week, started by the hourly dispatcher at the
organization's own weekday and hour in its own time zone. Each cycle holds one
``HealthReview`` per partnership in walk or run (crawl too when the organization asks).
Unique constraints, not application checks, make a second run of the cycle a no-op.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewCycle(models.Model):
    """One organization's weekly review cycle, identified by its local start date."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="review_cycles"
    )
    starts_on = models.DateField(help_text=_("Local date (organization's time zone) of the start."))
    starts_at = models.DateTimeField(help_text=_("The scheduled start instant (stored in UTC)."))
    due_on = models.DateField()
    remind_on = models.DateField()
    escalate_on = models.DateField()
    ends_on = models.DateField(help_text=_("The day before the next cycle starts."))
    reviews_created = models.PositiveIntegerField(default=0)
    digests_queued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "starts_on"], name="one_review_cycle_per_org_and_day"
            )
        ]
        indexes = [models.Index(fields=["organization", "-starts_on"])]

    def __str__(self) -> str:
        return f"Review cycle of {self.starts_on:%d %b %Y}"


class Health(models.TextChoices):
    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


HEALTH_SCORE = {Health.GREEN: 3, Health.AMBER: 2, Health.RED: 1}


class HealthReview(models.Model):
    """The Partnership Health Review of one partnership in one cycle."""

    class State(models.TextChoices):
        DUE = "due", _("Due")
        OVERDUE = "overdue", _("Overdue")
        SUBMITTED = "submitted", _("Submitted")
        SKIPPED = "skipped", _("Missed")

    OPEN_STATES = (State.DUE, State.OVERDUE)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="health_reviews"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="health_reviews"
    )
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="reviews")
    phase = models.CharField(max_length=8, help_text=_("The partnership's phase at cycle start."))
    due_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DUE)

    # The seed's three questions.
    boundary_violated = models.TextField(
        "What boundary was violated this cycle?",
        blank=True,
    )
    evidence_less_trustworthy = models.TextField(
        "What evidence is now less trustworthy because of the partner seam?",
        blank=True,
    )
    renegotiation_trigger = models.TextField(
        "What would trigger renegotiation or unwind?",
        blank=True,
    )
    unwind_trigger_fired = models.BooleanField("Did the unwind trigger fire?", default=False)
    health = models.CharField(max_length=5, choices=Health.choices, blank=True)
    notes = models.TextField(blank=True)

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "cycle"], name="one_health_review_per_cycle"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="submitted") | ~models.Q(health=""),
                name="submitted_review_has_health",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "state", "due_on"]),
            # the reviews list's default view: open reviews, soonest due first
            models.Index(
                fields=["organization", "due_on", "id"],
                condition=models.Q(state__in=["due", "overdue"]),
                name="review_open_by_due",
            ),
            models.Index(fields=["partnership", "-due_on"]),
        ]

    def __str__(self) -> str:
        return f"Health review of {self.partnership} due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class CalendarFeed(models.Model):
    """A personal, secret iCalendar URL. Only the token's SHA-256 is stored; revoking is final."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_calendar_feed",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user} in {self.organization}"


class DeferralEnforcement(models.Model):
    """Rule 5 applied once: the system deferred ``partnership`` because ``deferral_date`` passed.

    The unique constraint makes the daily scan idempotent even if two scans overlap.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    deferral_date = models.DateField()
    decision_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "deferral_date"], name="one_deferral_per_trigger_date"
            )
        ]

    def __str__(self) -> str:
        return f"Deferral of {self.partnership_id} on {self.deferral_date}"


class PhaseTimeBoxFlag(models.Model):
    """Rule 6 applied once per phase: the phase ran past its maximum length; go/no-go is due."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    phase = models.CharField(max_length=8)
    phase_started_on = models.DateField()
    deadline = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "phase", "phase_started_on"], name="one_timebox_flag"
            )
        ]

    def __str__(self) -> str:
        return f"{self.phase} time box of {self.partnership_id} ended {self.deadline}"
