"""Reads for the room: everything a partner page shows, scoped to the session's partner.

Every function takes the ``Room`` (or a partnership already fetched through it) and filters by
the room's organization *and* partner, so no id typed into a URL reaches another partner's
rows, or anything of ours that is not shared. A miss is a 404, never a 403, so a guess learns
nothing. Charters, fit cards and evidence are read here, not through their apps' views.
"""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404

from charters.models import CharterVersion, SignatureRequest, Signer
from evidence.models import EvidenceEntry
from fitcards.models import FitCard
from partnerships.models import Partnership
from reviews.models import PartnerReview

from .models import FIT_CARD_FIELD_LABELS, FIT_CARD_PARTS, GateConfirmation, SharingLevel
from .services.sharing import sharing_for

SHOWN_LEVELS = (SharingLevel.SUMMARY, SharingLevel.FULL)


def _get_or_404(qs, **lookup):
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError):
        raise Http404("Not found.") from None


def room_partnerships(room):
    """The partner's partnerships with us, in name order."""
    return Partnership.objects.filter(
        organization=room.organization, partner=room.partner
    ).order_by("name", "pk")


def room_partnership_or_404(room, uuid) -> Partnership:
    partnership = _get_or_404(room_partnerships(room).select_related("partner"), uuid=uuid)
    room.partnership = partnership
    return partnership


def room_charters(partnership) -> dict:
    """The versions sent for signature: executed ones and those still awaiting signatures.

    Drafts (never sent) are ours alone and never shown; declined, voided and expired requests
    are history the partner took part in and are listed as closed.
    """
    requests = list(
        SignatureRequest.objects.filter(version__charter__partnership=partnership)
        .select_related("version")
        .prefetch_related(Prefetch("signers", queryset=Signer.objects.order_by("order", "pk")))
        .order_by("-sent_at", "-pk")
    )
    return {
        "executed": [r for r in requests if r.execution_state == SignatureRequest.Execution.DONE],
        "pending": [r for r in requests if r.state == SignatureRequest.State.PENDING],
        "closed": [
            r
            for r in requests
            if r.state != SignatureRequest.State.PENDING
            and r.execution_state != SignatureRequest.Execution.DONE
        ],
    }


def room_executed_request_or_404(partnership, request_uuid) -> SignatureRequest:
    if not sharing_for(partnership).share_charters:
        raise Http404("Not shared.")
    return _get_or_404(
        SignatureRequest.objects.select_related("version").filter(
            version__charter__partnership=partnership,
            execution_state=SignatureRequest.Execution.DONE,
        ),
        uuid=request_uuid,
    )


def room_sent_version_or_404(partnership, version_uuid) -> CharterVersion:
    if not sharing_for(partnership).share_charters:
        raise Http404("Not shared.")
    return _get_or_404(
        CharterVersion.objects.filter(charter__partnership=partnership, frozen_at__isnull=False),
        uuid=version_uuid,
    )


def _shown(value) -> str | list:
    return value if value not in (None, "", []) else ""


def room_fit_card(partnership, parts: list[str]) -> list[dict]:
    """The fit card parts we share, each with its fields as (name, label, value)."""
    if not parts:
        return []
    card = FitCard.objects.filter(partnership=partnership).first()
    if card is None:
        return []
    shown = []
    for key in parts:
        if key not in FIT_CARD_PARTS:
            continue
        label, fields = FIT_CARD_PARTS[key]
        shown.append(
            {
                "key": key,
                "label": label,
                "fields": [
                    (name, FIT_CARD_FIELD_LABELS[name], _shown(getattr(card, name)))
                    for name in fields
                ],
            }
        )
    return shown


def room_evidence(partnership):
    """Entries shared at summary or full level, newest first (paginate the result)."""
    return (
        EvidenceEntry.objects.filter(
            partnership=partnership,
            organization_id=partnership.organization_id,
            room_sharing__level__in=SHOWN_LEVELS,
        )
        .select_related("room_sharing")
        .order_by("-observed_on", "-sequence")
    )


def room_full_entry_or_404(partnership, entry_uuid) -> EvidenceEntry:
    return _get_or_404(
        EvidenceEntry.objects.filter(
            partnership=partnership,
            organization_id=partnership.organization_id,
            room_sharing__level=SharingLevel.FULL,
        ),
        uuid=entry_uuid,
    )


def room_snapshot_version_or_404(partnership, version_uuid) -> CharterVersion:
    """A sent version with an evidence snapshot, when charters are shared."""
    version = room_sent_version_or_404(partnership, version_uuid)
    if version.evidence_sequence is None:
        raise Http404("No evidence snapshot.")
    return version


def room_snapshot_entries(partnership, version):
    """The entries the version's snapshot covered (up to its entry) that we share, at their
    level; the rest of what it covered stays hidden."""
    return room_evidence(partnership).filter(sequence__lte=version.evidence_sequence)


def room_submissions(partnership):
    """Evidence the partner's contacts submitted on ``partnership``, newest first, each with
    ``accepted_at``: when a member of ours accepted it (None while it waits)."""
    acceptance = EvidenceEntry.objects.filter(supersedes=OuterRef("pk")).order_by("sequence")
    return (
        EvidenceEntry.objects.filter(
            partnership=partnership,
            organization_id=partnership.organization_id,
            submitted_by_contact__partner_id=partnership.partner_id,
        )
        .select_related("submitted_by_contact")
        .annotate(accepted_at=Subquery(acceptance.values("created_at")[:1]))
        .order_by("-sequence")
    )


def room_reviews(room):
    """The partner side of the health reviews of the partner's partnerships, newest first."""
    return (
        PartnerReview.objects.filter(
            organization=room.organization, partnership__partner=room.partner
        )
        .select_related("partnership", "cycle", "review", "disagreement")
        .order_by("-due_on", "partnership__name", "-pk")
    )


def room_review_or_404(room, uuid) -> PartnerReview:
    review = _get_or_404(room_reviews(room), uuid=uuid)
    room.partnership = review.partnership
    return review


def room_confirmations(room):
    """Decisions we asked the partner to confirm (withdrawn ones too: they are history)."""
    return (
        GateConfirmation.objects.filter(
            organization=room.organization, partnership__partner=room.partner
        )
        .select_related("partnership", "requested_by")
        .order_by("-requested_at", "-pk")
    )


def room_confirmation_or_404(room, uuid) -> GateConfirmation:
    confirmation = _get_or_404(room_confirmations(room), uuid=uuid)
    room.partnership = confirmation.partnership
    return confirmation
