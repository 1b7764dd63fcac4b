"""Measurements that call the apps' own functions directly, in the benchmark process.

- The charter PDF: a realistic charter is written, sent and signed by both sides through the
  charters services (the executed PDF is produced on completion, as in production), then the
  execution step — render signature and audit pages, combine with the frozen document, seal —
  is timed several times on that executed request.
- The weekly review cycle: ``reviews.services.cycle_start`` for the benchmark organization on
  its next free review day; then the outbox and the sent mail are checked for exactly one digest
  per owner, and a second run must queue and send nothing.
"""

from __future__ import annotations

import datetime
import io
import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass

from django.core import mail
from django.db.models import Max
from django.utils import timezone

from accounts.models import Membership
from charters.documents import combine_pdfs, render_execution_pages, render_version_document
from charters.models import SECTION_FIELDS, SignatureRequest
from charters.seal import seal_pdf, verify_sealed_pdf
from charters.services import (
    ClientMeta,
    charter_save,
    signature_request_send,
    signer_consent,
    signer_sign,
)
from notifications.models import OutboundEmail
from partnerships.models import Contact
from reviews import schedule
from reviews.models import HealthReview, ReviewCycle
from reviews.services import cycle_start

SECTION_TEXT = {
    "mutual_goals": (
        "Reduce uncertainty about checkout conversion in the Nordics within two quarters, and "
        "learn whether the partner's gateway holds under holiday peaks."
    ),
    "value_exchange": (
        "We bring 40 mid-market merchants and co-selling; the partner brings a certified "
        "gateway, a named solutions engineer and preferential pricing for the pilot."
    ),
    "timeline": "Crawl: 6 weeks (sandbox). Walk: 10 weeks (3 merchants). Run: from week 17.",
    "measurement": (
        "Authorization rate, p95 latency and chargeback ratio, from the shared dashboard, "
        "reviewed weekly by both owners."
    ),
    "decision_cadence": "Weekly health review; go / no-go at the end of each phase.",
    "escalation_path": "Partnership owners, then both VPs of Partnerships within 2 days.",
    "breakage_ownership": (
        "Gateway outages: partner on-call. Integration defects: our payments team. Customer "
        "communication: our account managers."
    ),
}


@dataclass
class PdfReport:
    runs: int
    document_render_ms: float
    execution_render_ms: float
    seal_ms: float
    render_and_seal_median_ms: float
    render_and_seal_max_ms: float
    sign_to_executed_ms: float
    executed_in_process: bool
    seal_valid: bool
    pages_bytes: int


def _signature_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (480, 140), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(20 + x * 4, 70 + int(30 * ((x % 23) / 11 - 1))) for x in range(110)]
    draw.line(points, fill=(20, 30, 90, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def charter_pdf(*, organization, partnership, user, runs: int = 5) -> PdfReport:
    """Write, send and sign a charter, then time the execution render + seal ``runs`` times."""
    contacts = list(Contact.objects.filter(partner=partnership.partner)[:2])
    version = charter_save(
        partnership=partnership,
        actor=user,
        data={"title": f"Partnership Charter — {partnership.partner.name}", **SECTION_TEXT},
    )
    assert set(SECTION_TEXT) == set(SECTION_FIELDS), "charter sections changed"
    started = time.perf_counter()
    _, document = render_version_document(version)
    document_ms = (time.perf_counter() - started) * 1000
    request = signature_request_send(
        version=version,
        actor=user,
        our_users=[user],
        partner_contacts=contacts,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    meta_ours = ClientMeta(ip="127.0.0.1", user_agent="accord-bench", user=user)
    meta_theirs = ClientMeta(ip="192.0.2.10", user_agent="Mozilla/5.0 (bench)")
    png = _signature_png()
    signers = list(request.signers.all())
    sign_ms = 0.0
    for i, signer in enumerate(signers):
        meta = meta_ours if signer.user_id else meta_theirs
        signer_consent(signer=signer, meta=meta)
        started = time.perf_counter()
        signer_sign(
            signer=signer,
            typed_name=signer.name,
            signature_png=png if i % 2 else b"",
            authorized=True,
            meta=meta,
        )
        sign_ms = (time.perf_counter() - started) * 1000  # the last one includes execution
    request.refresh_from_db()
    executed = request.execution_state == SignatureRequest.Execution.DONE
    signers = list(request.signers.all())
    events = list(request.audit_events.select_related("signer"))
    render_times, seal_times, totals = [], [], []
    sealed = b""
    for _ in range(runs):
        t0 = time.perf_counter()
        pages = render_execution_pages(request=request, signers=signers, events=events)
        combined = combine_pdfs(document, pages)
        t1 = time.perf_counter()
        sealed = seal_pdf(combined, reason=f"Executed Partnership Charter v{version.number}")
        t2 = time.perf_counter()
        render_times.append((t1 - t0) * 1000)
        seal_times.append((t2 - t1) * 1000)
        totals.append((t2 - t0) * 1000)
    return PdfReport(
        runs=runs,
        document_render_ms=document_ms,
        execution_render_ms=statistics.median(render_times),
        seal_ms=statistics.median(seal_times),
        render_and_seal_median_ms=statistics.median(totals),
        render_and_seal_max_ms=max(totals),
        sign_to_executed_ms=sign_ms,
        executed_in_process=executed,
        seal_valid=verify_sealed_pdf(sealed).ok,
        pages_bytes=len(sealed),
    )


@dataclass
class CycleReport:
    starts_on: str
    partnerships: int
    reviews_created: int
    seconds: float
    digests_expected: int
    digests_queued: int
    digests_sent: int
    duplicate_recipients: list[str]
    second_run_seconds: float
    second_run_queued: int
    second_run_sent: int
    ok: bool


def _next_cycle_day(organization) -> datetime.date:
    """The organization's latest scheduled start, or a week after the last cycle already run,
    so every benchmark run measures a fresh cycle on the same data."""
    day, _ = schedule.latest_start(organization, timezone.now())
    last = ReviewCycle.objects.filter(organization=organization).aggregate(m=Max("starts_on"))["m"]
    while last is not None and day <= last:
        day += datetime.timedelta(days=7)
    return day


def _digest_keys(cycle) -> list[str]:
    return list(
        OutboundEmail.objects.filter(
            key__startswith="digest:", key__endswith=f":{cycle.pk}"
        ).values_list("to", flat=True)
    )


def weekly_cycle(*, organization, partnerships: int) -> CycleReport:
    """Run the cycle, check each owner got exactly one digest, run it again: nothing new."""
    day = _next_cycle_day(organization)
    mail.outbox = []
    started = time.perf_counter()
    cycle = cycle_start(organization=organization, starts_on=day)
    seconds = time.perf_counter() - started
    members = set(Membership.objects.filter(organization=organization).values_list("user_id"))
    open_reviews = HealthReview.objects.filter(cycle=cycle, state__in=HealthReview.OPEN_STATES)
    expected = {
        email
        for user_id, email, active, wants in open_reviews.values_list(
            "partnership__owner_id",
            "partnership__owner__email",
            "partnership__owner__is_active",
            "partnership__owner__digest_enabled",
        ).distinct()
        if (user_id,) in members and active and wants
    }
    queued = _digest_keys(cycle)
    sent = [
        m.to[0]
        for m in mail.outbox
        if m.extra_headers.get("X-Accord-Key", "").startswith("digest:")
        and m.extra_headers["X-Accord-Key"].endswith(f":{cycle.pk}")
    ]
    duplicates = sorted(
        {to for to, n in Counter(queued).items() if n > 1}
        | {to for to, n in Counter(sent).items() if n > 1}
    )
    before_queue, before_sent = len(queued), len(mail.outbox)
    started = time.perf_counter()
    cycle_start(organization=organization, starts_on=day)
    second_seconds = time.perf_counter() - started
    second_queued = len(_digest_keys(cycle)) - before_queue
    second_sent = len(mail.outbox) - before_sent
    reviews = HealthReview.objects.filter(cycle=cycle).count()
    ok = (
        not duplicates
        and set(queued) == expected
        and sorted(sent) == sorted(queued)
        and second_queued == 0
        and second_sent == 0
    )
    return CycleReport(
        starts_on=day.isoformat(),
        partnerships=partnerships,
        reviews_created=reviews,
        seconds=seconds,
        digests_expected=len(expected),
        digests_queued=len(queued),
        digests_sent=len(sent),
        duplicate_recipients=duplicates,
        second_run_seconds=second_seconds,
        second_run_queued=second_queued,
        second_run_sent=second_sent,
        ok=ok,
    )


def as_dict(report) -> dict:
    return asdict(report)
