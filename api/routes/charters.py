"""Charters, read only: versions, signature requests and their signers, the audit trail, and
the documents (the frozen version as sent, the sealed executed PDF).

Sending, signing and voiding stay on the pages, where signers consent and managers
re-authenticate; their outcomes arrive as webhook events.
"""

from __future__ import annotations

from uuid import UUID

from django.core.files.storage import default_storage
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import FileResponse, Http404
from ninja import Query, Router

from accounts.scoping import get_scoped_or_404, scoped
from charters.models import AuditEvent as AuditModel
from charters.models import Charter as CharterModel
from charters.models import CharterVersion, Signer
from charters.models import SignatureRequest as RequestModel

from ..pagination import Ordering
from ..schemas.charters import AuditPage, Charter, CharterPage, SignatureRequest, Version
from .common import page_of
from .partnerships import partnership_or_404

router = Router(tags=["Charters"])

RECENT_FIRST = Ordering("-updated", ("-updated_at", "-id"))
OLDEST_FIRST = Ordering("created", ("created_at", "id"))
PDF = {
    "responses": {
        200: {
            "description": "A PDF document.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _requests():
    return RequestModel.objects.select_related("version", "sent_by").prefetch_related(
        Prefetch("signers", queryset=Signer.objects.order_by("order", "pk"))
    )


def _charter_detail(charter: CharterModel) -> CharterModel:
    charter.versions_list = list(
        CharterVersion.objects.filter(charter=charter)
        .select_related("created_by")
        .order_by("-number")
    )
    charter.requests_list = list(_requests().filter(version__charter=charter).order_by("-sent_at"))
    return charter


def _charters(request):
    return scoped(request, CharterModel).select_related("partnership__partner", "executed_version")


@router.get("/charters", response=CharterPage, summary="List charters")
def list_charters(
    request,
    partnership: UUID | None = None,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(25, ge=1, le=100),
):
    """Charters, most recently changed first, with their latest version and open request."""
    latest = CharterVersion.objects.filter(charter=OuterRef("pk")).order_by("-number")
    open_request = RequestModel.objects.filter(
        version__charter=OuterRef("pk"), state=RequestModel.State.PENDING
    ).order_by("-sent_at")
    qs = _charters(request).annotate(
        latest_version=Subquery(latest.values("number")[:1]),
        open_request=Subquery(open_request.values("uuid")[:1]),
    )
    if partnership:
        qs = qs.filter(partnership__uuid=partnership)
    return page_of(qs, ordering=RECENT_FIRST, cursor=cursor, limit=limit)


@router.get("/charters/{charter_id}", response=Charter, summary="Get a charter")
def get_charter(request, charter_id: UUID):
    """The charter with every version and every signature request (with signers)."""
    return _charter_detail(get_scoped_or_404(request, _charters(request), uuid=charter_id))


@router.get(
    "/partnerships/{partnership_id}/charter", response=Charter, summary="A partnership's charter"
)
def partnership_charter(request, partnership_id: UUID):
    partnership = partnership_or_404(request, partnership_id)
    charter = _charters(request).filter(partnership=partnership).first()
    if charter is None:
        raise Http404("No charter yet.")
    return _charter_detail(charter)


@router.get("/charter-versions/{version_id}", response=Version, summary="Get a charter version")
def get_version(request, version_id: UUID):
    return get_scoped_or_404(
        request, CharterVersion.objects.select_related("created_by"), uuid=version_id
    )


def _pdf(name: str, filename: str) -> FileResponse:
    if not name or not default_storage.exists(name):
        raise Http404("No document.")
    return FileResponse(
        default_storage.open(name, "rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=filename,
    )


@router.get(
    "/charter-versions/{version_id}/document.pdf",
    url_name="version_document",
    summary="A version's document as sent for signature",
    openapi_extra=PDF,
)
def version_document(request, version_id: UUID):
    version = get_scoped_or_404(request, CharterVersion, uuid=version_id)
    return _pdf(version.document_pdf, f"charter-v{version.number}-for-signature.pdf")


@router.get(
    "/signature-requests/{request_id}",
    response=SignatureRequest,
    summary="Get a signature request and its signers",
)
def get_signature_request(request, request_id: UUID):
    return get_scoped_or_404(request, _requests(), uuid=request_id)


@router.get(
    "/signature-requests/{request_id}/audit-trail",
    response=AuditPage,
    summary="A signature request's audit trail",
)
def audit_trail(
    request,
    request_id: UUID,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(25, ge=1, le=100),
):
    """Every step, oldest first: sent, opened, consented, code verified, signed, declined,
    voided, reminded, expired, completed, sealed — with time, signer, IP address, user agent
    and the document hash."""
    sig_request = get_scoped_or_404(request, RequestModel, uuid=request_id)
    events = AuditModel.objects.filter(request=sig_request).select_related("signer", "actor")
    return page_of(events, ordering=OLDEST_FIRST, cursor=cursor, limit=limit)


@router.get(
    "/signature-requests/{request_id}/executed.pdf",
    url_name="executed_document",
    summary="The executed, sealed charter PDF",
    openapi_extra=PDF,
)
def executed_document(request, request_id: UUID):
    """404 until every signer signed and the PDF was sealed."""
    sig_request = get_scoped_or_404(
        request, RequestModel.objects.select_related("version"), uuid=request_id
    )
    if sig_request.execution_state != RequestModel.Execution.DONE:
        raise Http404("Not executed yet.")
    return _pdf(sig_request.executed_pdf, f"charter-v{sig_request.version.number}-executed.pdf")
