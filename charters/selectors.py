"""Reads for charters: the list, the charter page, version comparison and verification."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.html import escape
from django.utils.safestring import mark_safe

from accounts.scoping import scoped
from partnerships.models import Partnership

from .documents import sha256_hex
from .models import SECTIONS, AuditEvent, CharterVersion, SignatureRequest, Signer
from .seal import verify_sealed_pdf


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


def _word_diff(old: str, new: str) -> str:
    a, b = old.split(" "), new.split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f'<del class="diff-del">{escape(" ".join(a[i1:i2]))}</del>')
        if j2 > j1:
            out.append(f'<ins class="diff-ins">{escape(" ".join(b[j1:j2]))}</ins>')
    return " ".join(out)


def version_diff(old: CharterVersion, new: CharterVersion) -> list[dict]:
    """Section by section: the text of ``new`` with words removed from / added to ``old``."""
    rows = []
    for name, heading in [("title", "Title"), *[(n, h) for n, h, _t in SECTIONS]]:
        before, after = getattr(old, name), getattr(new, name)
        lines = []
        a_lines, b_lines = before.splitlines() or [""], after.splitlines() or [""]
        matcher = difflib.SequenceMatcher(a=a_lines, b=b_lines, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                lines.extend(escape(x) for x in a_lines[i1:i2])
            elif op == "replace" and (i2 - i1) == (j2 - j1):
                lines.extend(
                    _word_diff(x, y) for x, y in zip(a_lines[i1:i2], b_lines[j1:j2], strict=True)
                )
            else:
                lines.extend(f'<del class="diff-del">{escape(x)}</del>' for x in a_lines[i1:i2])
                lines.extend(f'<ins class="diff-ins">{escape(x)}</ins>' for x in b_lines[j1:j2])
        rows.append(
            {"heading": heading, "changed": before != after, "html": mark_safe("<br>".join(lines))}  # noqa: S308
        )
    return rows


@dataclass
class Verification:
    valid: bool
    sha256: str
    problems: list[str] = field(default_factory=list)
    request: SignatureRequest | None = None
    signers: list[Signer] = field(default_factory=list)
    sealed_at: object = None


def verify_document(data: bytes) -> Verification:
    """Is ``data`` an unaltered executed charter of this installation? Both checks must pass:
    the seal validates against our certificate, and the exact bytes are ones we produced."""
    digest = sha256_hex(data)
    result = Verification(valid=False, sha256=digest)
    request = (
        SignatureRequest.objects.select_related(
            "version__charter__partnership__partner", "organization"
        )
        .filter(executed_sha256=digest, execution_state=SignatureRequest.Execution.DONE)
        .first()
    )
    check = verify_sealed_pdf(data)
    if not check.ok:
        result.problems.append(check.problem)
    if request is None:
        result.problems.append(
            "These exact bytes are not an executed charter of this installation."
        )
    if request is not None and check.ok:
        result.valid = True
        result.request = request
        result.sealed_at = check.signed_at
        result.signers = list(request.signers.order_by("signed_at", "pk"))
    return result
