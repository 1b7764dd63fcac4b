"""Reads for charters: the list, the charter page, version comparison and verification."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext

from accounts.scoping import scoped
from core.diff import inline_diff
from partnerships.models import Partnership

from .documents import sha256_hex
from .models import SECTIONS, AuditEvent, CharterVersion, SignatureRequest, Signer
from .seal import SealCheck, verify_sealed_pdf


def charter_rows(request):
    """Partnerships of the organization with their charter's state (constant query count)."""
    latest = CharterVersion.objects.filter(charter__partnership=OuterRef("pk")).order_by("-number")
    open_req = SignatureRequest.objects.filter(
        version__charter__partnership=OuterRef("pk"), state=SignatureRequest.State.PENDING
    ).order_by("-sent_at")
    return (
        scoped(request, Partnership)
        .select_related("partner", "charter")
        .annotate(
            latest_version=Subquery(latest.values("number")[:1]),
            open_request_expires=Subquery(open_req.values("expires_at")[:1]),
        )
        # Naming the partner's organization too lets PostgreSQL walk the unique
        # (organization, name) index of partners instead of sorting every partnership.
        .filter(partner__organization=request.organization)
        .order_by("partner__organization", "partner__name", "name")
    )


def charter_page(*, charter):
    """Versions, and requests with their signers and audit trail, for one charter page."""
    versions = list(charter.versions.select_related("created_by").order_by("-number"))
    requests = list(
        SignatureRequest.objects.filter(version__charter=charter)
        .select_related("version", "sent_by")
        .prefetch_related(
            Prefetch("signers", queryset=Signer.objects.order_by("order", "pk")),
            Prefetch(
                "audit_events",
                queryset=AuditEvent.objects.select_related("signer", "actor").order_by(
                    "created_at", "pk"
                ),
            ),
        )
        .order_by("-sent_at")
    )
    return versions, requests


def version_diff(old: CharterVersion, new: CharterVersion) -> list[dict]:
    """Section by section: the text of ``new`` with words removed from / added to ``old``."""
    rows = []
    for name, heading in [("title", "Title"), *[(n, h) for n, h, _t in SECTIONS]]:
        before, after = getattr(old, name), getattr(new, name)
        rows.append(
            {"heading": heading, "changed": before != after, "html": inline_diff(before, after)}
        )
    return rows


class Outcome:
    VALID = "valid"  # an unaltered executed charter of ours, on record here
    UNKNOWN_RECORD = "unknown_record"  # sealed by a key of ours, but no record of it here
    INVALID = "invalid"  # anything else: the problems say what was found


@dataclass
class Verification:
    outcome: str
    sha256: str
    seal: SealCheck
    problems: list[str] = field(default_factory=list)
    request: SignatureRequest | None = None
    signers: list[Signer] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.outcome == Outcome.VALID

    @property
    def sealed_at(self):
        return self.seal.signed_at


def verify_document(data: bytes) -> Verification:
    """Is ``data`` an unaltered executed charter of this installation, and whose? Two separate
    checks, both named in the answer: the seal (one intact signature over the whole file by a
    key of our keyring that is not revoked) and the record (these exact bytes are an execution
    we stored). A valid seal without a record is said as such: sealed by us, unknown here."""
    digest = sha256_hex(data)
    check = verify_sealed_pdf(data)
    request = (
        SignatureRequest.objects.select_related(
            "version__charter__partnership__partner", "organization"
        )
        .filter(executed_sha256=digest, execution_state=SignatureRequest.Execution.DONE)
        .first()
    )
    if not check.ok:
        problems = [check.problem]
        if request is None:
            problems.append(
                gettext("These exact bytes are not an executed charter of this installation.")
            )
        return Verification(Outcome.INVALID, digest, check, problems)
    if request is None:
        return Verification(
            Outcome.UNKNOWN_RECORD,
            digest,
            check,
            ["No executed charter with these exact bytes is recorded in this installation."],
        )
    signers = list(request.signers.order_by("signed_at", "pk"))
    return Verification(Outcome.VALID, digest, check, request=request, signers=signers)
