"""Program settings and directory listings: written by owners and managers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Membership

from ..models import DirectoryListing, ProgramSettings

SETTINGS_FIELDS = [
    "applications_open",
    "directory_public",
    "intake_owner",
    "trust_threshold",
    "revisit_queue_length",
    "revisit_wait_days",
]


@transaction.atomic
def program_settings_save(*, organization, actor, **fields) -> ProgramSettings:
    """Save the organization's program settings (an owner's choice). The intake owner must be
    a member: they will own every partnership made from an application."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Unknown settings: {', '.join(sorted(unknown))}")
    owner = fields.get("intake_owner")
    if (
        owner is not None
        and not Membership.objects.filter(organization=organization, user=owner).exists()
    ):
        raise ValidationError({"intake_owner": "Choose a member of this organization."})
    found, _ = ProgramSettings.objects.select_for_update().get_or_create(organization=organization)
    for name, value in fields.items():
        setattr(found, name, value)
    found.full_clean()
    found.save()
    return found


@transaction.atomic
def listing_save(
    *, partner, actor, listed: bool, integrates: str, website: str = ""
) -> DirectoryListing:
    """Record what a partner agreed to show in the public directory (and whether at all).

    Only the fields here are ever shown: the directory never reads the partner row itself, so
    a description or contact written for the team cannot leak into it.
    """
    integrates = (integrates or "").strip()
    if listed and not integrates:
        raise ValidationError({"integrates": "Say what they integrate: it is all the list shows."})
    listing, _ = DirectoryListing.objects.select_for_update().get_or_create(
        partner=partner,
        defaults={
            "organization_id": partner.organization_id,
            "display_name": partner.name,
            "integrates": integrates[:300],
        },
    )
    listing.listed = bool(listed)
    listing.display_name = partner.name
    listing.integrates = integrates[:300]
    listing.website = website or ""
    listing.updated_by = actor
    listing.full_clean()
    listing.save()
    return listing
