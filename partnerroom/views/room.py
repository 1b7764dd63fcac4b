"""The partner's pages: the room's home, one partnership as we share it, its documents.

Every view wears ``room_required`` (a live, verified partner session; one audit line per page)
and reaches rows only through ``partnerroom.selectors`` with ``request.room``.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reviews.disagreements import open_for_partner

from .. import selectors
from ..models import RoomEvent
from ..services.sharing import sharing_for
from ..session import RoomRequest, room_required

ENTRIES_PER_PAGE = 25


@require_GET
@room_required
def home(request: RoomRequest):
    """The partner's partnerships, what is waiting for them, and open disagreements."""
    room = request.room
    return render(
        request,
        "partnerroom/room/home.html",
        {
            "room": room,
            "partnerships": list(selectors.room_partnerships(room)),
            "open_reviews": [r for r in selectors.room_reviews(room).filter(state="due")[:20]],
            "pending_gates": list(
                selectors.room_confirmations(room).filter(state="pending", used_at__isnull=True)
            ),
            "disagreements": list(open_for_partner(room.partner)[:20]),
        },
    )


@require_GET
@room_required
def partnership(request: RoomRequest, partnership_uuid):
    """One partnership as we share it: charters, fit card parts, evidence at its level, and
    the evidence the partner submitted with whether we accepted it."""
    room = request.room
    item = selectors.room_partnership_or_404(room, partnership_uuid)
    sharing = sharing_for(item)
    entries = Paginator(selectors.room_evidence(item), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partnerroom/room/partnership.html",
        {
            "room": room,
            "partnership": item,
            "sharing": sharing,
            "charters": selectors.room_charters(item) if sharing.share_charters else None,
            "fit_card": selectors.room_fit_card(item, sharing.fit_card_parts),
            "entries": entries,
            "submissions": list(selectors.room_submissions(item)[:50]),
        },
    )


def _download(request: RoomRequest, name: str, filename: str, content_type: str):
    if not name or not default_storage.exists(name):
        raise Http404("No document.")
    request.room_event_kind = RoomEvent.Kind.DOWNLOADED
    return FileResponse(
        default_storage.open(name, "rb"),
        content_type=content_type,
        as_attachment=True,
        filename=filename,
    )


@require_GET
@room_required
def executed_pdf(request: RoomRequest, partnership_uuid, request_uuid):
    """The executed, sealed charter, when charters are shared."""
    item = selectors.room_partnership_or_404(request.room, partnership_uuid)
    sig_request = selectors.room_executed_request_or_404(item, request_uuid)
    return _download(
        request,
        sig_request.executed_pdf,
        f"charter-v{sig_request.version.number}-executed.pdf",
        "application/pdf",
    )


@require_GET
@room_required
def version_pdf(request: RoomRequest, partnership_uuid, version_uuid):
    """A version as it was sent for signature (the stored PDF), when charters are shared."""
    item = selectors.room_partnership_or_404(request.room, partnership_uuid)
    version = selectors.room_sent_version_or_404(item, version_uuid)
    return _download(
        request, version.document_pdf, f"charter-v{version.number}.pdf", "application/pdf"
    )


@require_GET
@room_required
def entry_file(request: RoomRequest, partnership_uuid, entry_uuid):
    """The file of an evidence entry shared in full."""
    item = selectors.room_partnership_or_404(request.room, partnership_uuid)
    entry = selectors.room_full_entry_or_404(item, entry_uuid)
    if not entry.file:
        raise Http404("No file.")
    return _download(
        request,
        entry.file.name,
        entry.file_name or "evidence",
        entry.file_type or "application/octet-stream",
    )


@require_GET
@room_required
def snapshot(request: RoomRequest, partnership_uuid, version_uuid):
    """The evidence a charter version was signed on, at the sharing level we allow."""
    item = selectors.room_partnership_or_404(request.room, partnership_uuid)
    version = selectors.room_snapshot_version_or_404(item, version_uuid)
    entries = Paginator(selectors.room_snapshot_entries(item, version), ENTRIES_PER_PAGE)
    page = entries.get_page(request.GET.get("page"))
    return render(
        request,
        "partnerroom/room/snapshot.html",
        {
            "room": request.room,
            "partnership": item,
            "version": version,
            "entries": page,
            "hidden": max((version.evidence_entries or 0) - entries.count, 0),
        },
    )
