"""The partner's side of the health review (issue 14.3).

- ``PartnerReviewer``: a partner contact who answers the partner side of the health reviews
  (the partner's health-review contact). Set from the partner room's settings page.
- ``PartnerReview``: the partner's answer for one partnership in one cycle: the same three seed
  questions, whether the unwind trigger fired, and the overall health. One per partnership and
  cycle (the database says so), next to our ``HealthReview`` of the same cycle.
- ``ReviewDisagreement``: both sides answered and differ (``reviews.disagreements`` says how).
  One per cycle's review; open until a member of ours resolves it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .reviews import Health


class PartnerReviewer(models.Model):
    """The partner's health-review contact: gets each cycle's request and answers it."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partner = models.ForeignKey("partnerships.Partner", on_delete=models.CASCADE, related_name="+")
    contact = models.OneToOneField(
        "partnerships.Contact", on_delete=models.CASCADE, related_name="partner_reviewer"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "partner"])]

    def __str__(self) -> str:
        return f"Health-review contact {self.contact_id}"


class PartnerReview(models.Model):
    """The partner's health review of one partnership in one cycle."""

    class State(models.TextChoices):
        DUE = "due", _("Due")
        SUBMITTED = "submitted", _("Submitted")
        SKIPPED = "skipped", _("Missed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="partner_reviews"
    )
    cycle = models.ForeignKey("ReviewCycle", on_delete=models.CASCADE, related_name="+")
    review = models.OneToOneField(
        "HealthReview", on_delete=models.CASCADE, related_name="partner_review"
    )
    due_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DUE)

    boundary_violated = models.TextField("What boundary was violated this cycle?", blank=True)
    evidence_less_trustworthy = models.TextField(
        "What evidence is now less trustworthy because of the partner seam?", blank=True
    )
    renegotiation_trigger = models.TextField(
        "What would trigger renegotiation or unwind?", blank=True
    )
    unwind_trigger_fired = models.BooleanField("Did the unwind trigger fire?", default=False)
    health = models.CharField(max_length=5, choices=Health.choices, blank=True)
    notes = models.TextField(blank=True)

    submitted_by_contact = models.ForeignKey(
        "partnerships.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by_name = models.CharField(max_length=150, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "cycle"], name="one_partner_review_per_cycle"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="submitted") | ~models.Q(health=""),
                name="submitted_partner_review_has_health",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "state"]),
            models.Index(fields=["partnership", "-due_on"]),
        ]

    def __str__(self) -> str:
        return f"Partner review of {self.partnership_id} in cycle {self.cycle_id}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.DUE


class ReviewDisagreement(models.Model):
    """Where our review and the partner's differ in one cycle: which facts, and whether a
    member of ours has resolved it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="review_disagreements"
    )
    cycle = models.ForeignKey("ReviewCycle", on_delete=models.CASCADE, related_name="+")
    review = models.OneToOneField(
        "HealthReview", on_delete=models.CASCADE, related_name="disagreement"
    )
    partner_review = models.OneToOneField(
        PartnerReview, on_delete=models.CASCADE, related_name="disagreement"
    )
    health_differs = models.BooleanField(default=False)
    boundary_differs = models.BooleanField(default=False)
    unwind_differs = models.BooleanField(default=False)
    detected_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-detected_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(health_differs=True)
                | models.Q(boundary_differs=True)
                | models.Q(unwind_differs=True),
                name="disagreement_names_a_difference",
            )
        ]
        indexes = [
            models.Index(
                fields=["organization", "partnership"],
                condition=models.Q(resolved_at__isnull=True),
                name="open_disagreements",
            )
        ]

    def __str__(self) -> str:
        return f"Disagreement on {self.partnership_id} in cycle {self.cycle_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def kinds(self) -> list[str]:
        """Human labels of what differs, in a stable order."""
        labels = []
        if self.health_differs:
            labels.append("overall health")
        if self.boundary_differs:
            labels.append("boundary violated or intact")
        if self.unwind_differs:
            labels.append("unwind trigger fired")
        return labels
