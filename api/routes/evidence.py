"""The evidence log: list with the log page's filters and search, record, correct.

There is no update and no delete: the log is append-only (the database refuses both). A
mistake is corrected by a new entry that supersedes the old one; both stay in the log.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404
from ninja import Query, Router, Status

from accounts.models import User
from accounts.scoping import get_scoped_or_404, scoped
from evidence.forms import EvidenceForm
from evidence.models import EvidenceEntry as EntryModel
from evidence.selectors import entry_queryset, entry_search
from evidence.services import evidence_record
from partnerships.models import Partnership as PartnershipModel

from ..auth import require_write
from ..pagination import Ordering
from ..schemas.evidence import (
    CorrectionIn,
    EvidenceEntry,
    EvidenceFilters,
    EvidenceIn,
    EvidencePage,
)
from .common import page_of, pk_or_invalid, valid_or_raise

router = Router(tags=["Evidence log"])

ORDERINGS = {
    "-observed_on": Ordering("-observed_on", ("-observed_on", "-sequence")),
    "-recorded": Ordering("-recorded", ("-sequence",)),
    "recorded": Ordering("recorded", ("sequence",)),
}
CONTENT = [
    "claim",
    "artifact",
    "quality",
    "observed_on",
    "limits",
    "boundary_status",
    "decision",
    "link",
]


def entries_of(request):
    """The log's rows with what the API shows of each, and who corrected them (one query)."""
    correction = EntryModel.objects.filter(supersedes=OuterRef("pk")).values("uuid")[:1]
    return entry_queryset(request).annotate(superseded_by_uuid=Subquery(correction))


def _entry(request, entry_id: UUID) -> EntryModel:
    return get_scoped_or_404(request, entries_of(request), uuid=entry_id)


@router.get("/evidence", response=EvidencePage, summary="List the evidence log")
def list_evidence(request, filters: Query[EvidenceFilters]):
    """The organization's log, filtered as on the log page (partner, partnership, boundary
    status, decision, quality, dates, approver) and searched in full text (``q``: words,
    "quoted phrases", -excluded words)."""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError({"date_to": "The end date is before the start date."})
    qs = entries_of(request)
    if filters.partner:
        qs = qs.filter(partnership__partner__uuid=filters.partner)
    if filters.partnership:
        qs = qs.filter(partnership__uuid=filters.partnership)
    for name in ("boundary_status", "decision", "quality"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.date_from:
        qs = qs.filter(observed_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(observed_on__lte=filters.date_to)
    if filters.approver:
        qs = qs.filter(approver__uuid=filters.approver)
    if filters.q.strip():
        qs = entry_search(qs, filters.q)
    return page_of(qs, ordering=ORDERINGS[filters.sort], cursor=filters.cursor, limit=filters.limit)


def _approver_pk(request, approver: UUID | None) -> str:
    if approver is None:
        return ""
    user = User.objects.filter(uuid=approver, memberships__organization=request.organization)
    return pk_or_invalid(user.first())


def _record(request, *, partnership, data: dict, correcting=None) -> EntryModel:
    """Validate as the page's evidence form does, then append through ``evidence_record``."""
    form = EvidenceForm(
        data,
        {},
        organization=request.organization,
        partnership=partnership,
        correcting=correcting,
    )
    cleaned = valid_or_raise(form)
    entry = evidence_record(
        partnership=cleaned["partnership"],
        claim=cleaned["claim"],
        artifact=cleaned["artifact"],
        quality=cleaned["quality"],
        observed_on=cleaned["observed_on"],
        limits=cleaned["limits"],
        boundary_status=cleaned["boundary_status"],
        decision=cleaned["decision"],
        approver=cleaned["approver"],
        link=cleaned["link"],
        recorded_by=request.user,
        supersedes=correcting,
        correction_reason=cleaned.get("correction_reason", ""),
    )
    return _entry(request, entry.uuid)


@router.post("/evidence", response={201: EvidenceEntry}, summary="Record evidence")
def create_evidence(request, payload: EvidenceIn):
    """Append an entry to the log and the organization's hash chain. The same entry sent
    twice within two minutes is recorded once (the first is returned)."""
    require_write(request)
    partnership = scoped(request, PartnershipModel).filter(uuid=payload.partnership).first()
    data = payload.dict()
    data["partnership"] = pk_or_invalid(partnership)
    data["approver"] = _approver_pk(request, payload.approver)
    return Status(201, _record(request, partnership=None, data=data))


@router.get("/evidence/{entry_id}", response=EvidenceEntry, summary="Get an evidence entry")
def get_evidence(request, entry_id: UUID):
    return _entry(request, entry_id)


@router.post(
    "/evidence/{entry_id}/corrections",
    response={201: EvidenceEntry},
    summary="Correct an entry (by superseding it)",
)
def correct_evidence(request, entry_id: UUID, payload: CorrectionIn):
    """Append a new entry that supersedes this one, with the reason. An entry is corrected
    once; to correct again, correct the newer entry."""
    require_write(request)
    original = _entry(request, entry_id)
    if original.superseded_by_uuid:
        raise ValidationError(
            {"__all__": "This entry was already corrected; correct the newer entry."}
        )
    data = {name: getattr(original, name) for name in CONTENT}
    data["approver"] = str(original.approver_id or "")
    changes = payload.dict(exclude_unset=True)
    if "approver" in changes:
        data["approver"] = _approver_pk(request, changes.pop("approver"))
    data.update({name: ("" if value is None else value) for name, value in changes.items()})
    data["partnership"] = str(original.partnership_id)
    return Status(
        201, _record(request, partnership=original.partnership, data=data, correcting=original)
    )


@router.get(
    "/evidence/{entry_id}/file",
    url_name="evidence_file",
    summary="Download an entry's file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The uploaded file, under its original name.",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def evidence_file(request, entry_id: UUID):
    entry = _entry(request, entry_id)
    if not entry.file:
        raise Http404("No file.")
    try:
        handle = default_storage.open(entry.file.name, "rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=entry.file_name or entry.file.name.rsplit("/", 1)[-1],
        content_type=entry.file_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
