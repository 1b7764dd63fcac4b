"""Co-signed gates: when a go / no-go or unwind needs the partner's confirmation, and the
confirmations themselves.

``CosignPolicy`` has one organization-level row (``partnership`` empty) and optional
per-partnership overrides. ``GateConfirmation`` is one request to the partner to confirm one
decision on one partnership in one phase; the partner's signer confirms it or disputes it with
a reason. A confirmation is for the phase it was asked in, so once the phase has moved on it
no longer unlocks anything; once the decision took effect it is marked used.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class CosignPolicy(models.Model):
    """When tier 2 and 3 decisions need the partner's confirmation."""

    class Scope(models.TextChoices):
        OFF = "off", "Never"
        TIER_3 = "tier3", "Tier 3 (strategic) partnerships"
        TIERS_2_3 = "tiers23", "Tier 2 and tier 3 partnerships"

    class Override(models.TextChoices):
        INHERIT = "inherit", "As the organization says"
        REQUIRED = "required", "Always needs the partner's confirmation"
        NOT_REQUIRED = "not_required", "Never needs the partner's confirmation"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.OneToOneField(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cosign_policy",
    )
    scope = models.CharField(
        "partnerships concerned", max_length=8, choices=Scope.choices, default=Scope.OFF
    )
    override = models.CharField(
        max_length=12, choices=Override.choices, default=Override.INHERIT, blank=True
    )
    go = models.BooleanField("go decisions", default=True)
    no_go = models.BooleanField("no-go decisions", default=True)
    unwind = models.BooleanField("unwind decisions", default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(partnership__isnull=True),
                name="one_cosign_policy_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"Co-sign policy of {self.organization_id} ({self.partnership_id or 'org'})"


class DecisionKind(models.TextChoices):
    GO = "go", "Go"
    NO_GO = "no_go", "No-go"
    UNWIND = "unwind", "Unwind"


class GateConfirmation(models.Model):
    """The partner's confirmation of one decision, asked by us."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for the partner"
        CONFIRMED = "confirmed", "Confirmed by the partner"
        DISPUTED = "disputed", "Disputed by the partner"
        WITHDRAWN = "withdrawn", "Withdrawn by us"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="gate_confirmations"
    )
    kind = models.CharField(max_length=6, choices=DecisionKind.choices)
    from_phase = models.CharField(max_length=8)
    to_phase = models.CharField(max_length=8, blank=True)
    note = models.TextField(blank=True, help_text="What we ask the partner to confirm, and why.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    signer = models.ForeignKey(
        "RoomAccess", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True, help_text="The partner's reason (required to dispute).")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_ip = models.GenericIPAddressField(null=True, blank=True)
    used_at = models.DateTimeField(
        null=True, blank=True, help_text="When the decision it confirmed took effect."
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind", "from_phase"],
                condition=models.Q(
                    state__in=["pending", "confirmed", "disputed"], used_at__isnull=True
                ),
                name="one_live_confirmation_per_decision",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="disputed") | ~models.Q(reason=""),
                name="dispute_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["organization", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.partnership_id}: {self.state}"

    @property
    def label(self) -> str:
        if self.kind == DecisionKind.GO and self.to_phase:
            return f"Go: {self.from_phase} → {self.to_phase}"
        return self.get_kind_display()
