"""What we share with the partner, per partnership and per evidence entry.

Evidence rows are append-only (the database refuses UPDATE on them), so the sharing level of
an entry lives here, keyed by the entry, and may change as often as we like. Without a row an
entry is hidden: nothing is shared until a member of ours chooses to.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The fit card parts that can be shared: key -> (label, FitCard fields shown).
FIT_CARD_PARTS = {
    "capability": (_("Capability provided"), ("capability_provided", "uncertainty_reduced")),
    "incentives": (_("Incentives and conflict risks"), ("incentives", "conflict_risks")),
    "integration": (
        _("Integration surface and single points of failure"),
        ("integration_surface", "single_points_of_failure"),
    ),
    "evidence_artifacts": (_("Evidence artifacts"), ("evidence_artifacts",)),
    "exit_path": (_("Exit path"), ("exit_time", "exit_cost", "exit_data_portability")),
}
# How the room names each shared FitCard field (its model fields carry no reader's label).
FIT_CARD_FIELD_LABELS = {
    "capability_provided": _("Capability provided"),
    "uncertainty_reduced": _("Uncertainty it reduces"),
    "incentives": _("Incentives"),
    "conflict_risks": _("Conflict risks"),
    "integration_surface": _("Integration surface area"),
    "single_points_of_failure": _("Single points of failure"),
    "evidence_artifacts": _("Evidence artifacts"),
    "exit_time": _("Time to exit"),
    "exit_cost": _("Cost to exit"),
    "exit_data_portability": _("Data portability"),
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
