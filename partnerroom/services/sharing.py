"""Writes for what a partnership shows in the partner room.

Sharing is chosen by a member of ours (manager or owner) and can change at any time; the room
reads it on every page, so a change applies at once. An evidence entry is hidden until its
level is set; setting it back to hidden keeps the row so the trail says who hid it and when.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import FIT_CARD_PARTS, EntrySharing, PartnershipSharing, SharingLevel


def sharing_for(partnership) -> PartnershipSharing:
    """The partnership's sharing row, or an unsaved default (charters shared, no fit card)."""
    found = PartnershipSharing.objects.filter(partnership=partnership).first()
    return found or PartnershipSharing(
        organization_id=partnership.organization_id, partnership=partnership
    )


@transaction.atomic
def sharing_set(
    *, partnership, actor, share_charters: bool, fit_card_parts: list[str]
) -> PartnershipSharing:
    """Choose whether the charters and which fit card parts the partner sees."""
    unknown = [part for part in fit_card_parts if part not in FIT_CARD_PARTS]
    if unknown:
        raise ValidationError({"fit_card_parts": "Unknown fit card part."})
    ordered = [part for part in FIT_CARD_PARTS if part in set(fit_card_parts)]
    sharing, _ = PartnershipSharing.objects.select_for_update().get_or_create(
        partnership=partnership, defaults={"organization_id": partnership.organization_id}
    )
    sharing.share_charters = bool(share_charters)
    sharing.fit_card_parts = ordered
    sharing.updated_by, sharing.updated_at = actor, timezone.now()
    sharing.save(update_fields=["share_charters", "fit_card_parts", "updated_by", "updated_at"])
    return sharing


@transaction.atomic
def entry_sharing_set(*, entry, level: str, actor) -> EntrySharing:
    """Set one evidence entry's level in the partner room: hidden, summary or full."""
    if level not in SharingLevel.values:
        raise ValidationError({"level": "Choose hidden, summary or full."})
    sharing, _ = EntrySharing.objects.update_or_create(
        entry=entry,
        defaults={
            "organization_id": entry.organization_id,
            "level": level,
            "set_by": actor,
            "set_at": timezone.now(),
        },
    )
    return sharing
