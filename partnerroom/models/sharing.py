"""What we share with the partner, per partnership and per evidence entry.

Evidence rows are append-only (the database refuses UPDATE on them), so the sharing level of
an entry lives here, keyed by the entry, and may change as often as we like. Without a row an
entry is hidden: nothing is shared until a member of ours chooses to.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

# The fit card parts that can be shared: key -> (label, FitCard fields shown).
FIT_CARD_PARTS = {
    "capability": ("Capability provided", ("capability_provided", "uncertainty_reduced")),
    "incentives": ("Incentives and conflict risks", ("incentives", "conflict_risks")),
    "integration": (
        "Integration surface and single points of failure",
        ("integration_surface", "single_points_of_failure"),
    ),
    "evidence_artifacts": ("Evidence artifacts", ("evidence_artifacts",)),
    "exit_path": ("Exit path", ("exit_time", "exit_cost", "exit_data_portability")),
}


class PartnershipSharing(models.Model):
    """Per partnership: whether its charters are shared, and which fit card parts.

    Every partnership with the partner is in their room (it is theirs too, and its health review
    is answered there); what it shows of ours is what this row allows. Without a row, charters
    are shared (the partner signs them) and no fit card part is.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="room_sharing"
    )
    share_charters = models.BooleanField(
        "executed and pending charters",
        default=True,
        help_text="The versions sent for signature, their signers' states and the executed PDF.",
    )
    fit_card_parts = models.JSONField(default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Sharing of {self.partnership_id}"


class SharingLevel(models.TextChoices):
    HIDDEN = "hidden", "Hidden"
    SUMMARY = "summary", "Summary (quality, date, boundary status)"
    FULL = "full", "Full entry"


class EntrySharing(models.Model):
    """The sharing level of one evidence entry (hidden when there is no row)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    entry = models.OneToOneField(
        "evidence.EvidenceEntry", on_delete=models.CASCADE, related_name="room_sharing"
    )
    level = models.CharField(max_length=8, choices=SharingLevel.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organization", "level"])]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.level}"
