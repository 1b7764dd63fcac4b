"""Peak memory of the long jobs, each in a fresh process: does it stream, or load everything?

Each job runs in its own Python process (``python -m bench.memory JOB``) with the benchmark's
environment, so the figure is that job's peak resident set size (Linux ``VmHWM``), not the
benchmark process's history. The process reports its RSS after Django
and the job's modules are loaded (the baseline every worker pays anyway) and its peak after
the job; the target is a peak under 300 MB at the benchmark's scale.

Jobs:

- ``weekly-cycle``: the timed weekly cycle (bench/direct.py), committed, digests delivered;
- ``daily-scan``: the reviews app's daily task (rules 5 and 6, ghosting) over every
  organization, rolled back at the end so every run does the same work on the same data;
- ``verify-evidence``: ``manage.py verify_evidence`` over the organization's whole chain;
- ``export-csv`` / ``export-pdf``: the evidence log's exports of the whole organization,
  requested like a browser would (the streamed body is read chunk by chunk and dropped);
- ``fitcard-pdf``: the busiest partnership's fit card as a PDF.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_MB = 300.0
MARK = "BENCH-MEMORY "
JOBS = (
    "weekly-cycle",
    "daily-scan",
    "verify-evidence",
    "export-csv",
    "export-pdf",
    "fitcard-pdf",
)


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None


def _peak_mb() -> float:
    """This process's peak RSS so far.

    ``VmHWM`` (Linux) is the high-water mark of this program's own memory. ``ru_maxrss`` is
    the fallback elsewhere, but on Linux it survives ``exec``: a child started from the
    200 MB benchmark process would report at least 200 MB whatever it did.
    """
    hwm = _status_mb("VmHWM")
    if hwm is not None:
        return hwm
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _rss_mb() -> float:
    current = _status_mb("VmRSS")
    return current if current is not None else _peak_mb()


class _RolledBack(Exception):
    pass


def _evidence_export(org, fmt: str) -> dict:
    """The whole organization's log exported as the worker does it (tasks run inline here);
    an earlier run's export is removed first so that every run writes the file again."""
    from django.http import QueryDict

    from accounts.models import User
    from evidence import export_jobs
    from evidence.models import EvidenceExport

    from . import seed

    for old in EvidenceExport.objects.filter(organization=org):
        old.file.delete(save=False)
        old.delete()
    owner = User.objects.get(email=seed.LOGIN_EMAIL)
    export = export_jobs.export_request(organization=org, fmt=fmt, query=QueryDict(), actor=owner)
    export.refresh_from_db()
    return {
        "status": export.status,
        "rows": export.rows_done,
        "bytes": export.file.size if export.file else 0,
    }


def _fitcard_pdf(partnership) -> dict:
    """The busiest partnership's fit card PDF rendered as the worker does it (inline here)."""
    from accounts.models import User
    from fitcards import exports, selectors
    from fitcards.models import FitCardPdf

    from . import seed

    for old in FitCardPdf.objects.filter(partnership=partnership):
        old.file.delete(save=False)
        old.delete()
    card = selectors.current_card(partnership, selectors.fit_card_of(partnership))
    owner = User.objects.get(email=seed.LOGIN_EMAIL)
    export = exports.pdf_request(partnership=partnership, card=card, actor=owner)
    export.refresh_from_db()
    return {"status": export.status, "bytes": export.file.size if export.file else 0}


def _job(name: str):
    """The callable for job ``name``; everything it imports is imported here, before the
    baseline is read."""
    from django.core.management import call_command
    from django.db import transaction

    from partnerships.models import Partnership
    from reviews import tasks as review_tasks

    from . import direct, pages, seed

    org = seed.bench_organization()
    if name == "weekly-cycle":
        partnerships = Partnership.objects.filter(organization=org).count()
        return lambda: direct.as_dict(
            direct.weekly_cycle(organization=org, partnerships=partnerships)
        )
    if name == "daily-scan":

        def daily_scan():
            result = {}
            try:
                with transaction.atomic():
                    result["changed"] = review_tasks.daily_review_scan()
                    raise _RolledBack
            except _RolledBack:
                result["rolled_back"] = True
            return result

        return daily_scan
    if name == "verify-evidence":

        def verify():
            call_command("verify_evidence", org=seed.ORG_SLUG, verbosity=0)
            return {"intact": True}

        return verify
    if name in ("export-csv", "export-pdf"):
        return lambda: _evidence_export(org, name.removeprefix("export-"))
    if name == "fitcard-pdf":
        return lambda: _fitcard_pdf(pages.busiest_partnership(org))
    raise SystemExit(f"unknown job {name!r}; one of {', '.join(JOBS)}")


def child_main(name: str) -> int:
    """Run job ``name`` in this process and print its figures as one JSON line."""
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    job = _job(name)
    baseline = _rss_mb()
    started = time.perf_counter()
    error = None
    try:
        result = job()
    except SystemExit as exc:  # verify_evidence exits 1 on a broken chain
        result, error = None, f"exit {exc.code}"
    except Exception as exc:  # noqa: BLE001 (reported, the parent decides)
        result, error = None, f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - started
    figures = {
        "job": name,
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(_peak_mb(), 1),
        "seconds": round(seconds, 1),
        "result": result,
        "error": error,
    }
    print(MARK + json.dumps(figures, default=str), flush=True)
    return 0 if error is None else 1


def measure(name: str, *, env: dict[str, str], timeout: float = 1800) -> dict:
    """Run job ``name`` in a child process with ``env``; its figures plus the verdict."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.memory", name],
            cwd=BASE_DIR,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {
            "job": name,
            "error": f"no result within {timeout:.0f} s",
            "peak_rss_mb": None,
            "within_target": False,
        }
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return {
            "job": name,
            "error": f"exit {done.returncode}: {' / '.join(tail)}"[:800],
            "peak_rss_mb": None,
            "within_target": False,
        }
    figures = json.loads(lines[-1][len(MARK) :])
    figures["wall_seconds"] = round(time.perf_counter() - started, 1)
    figures["target_mb"] = TARGET_MB
    figures["within_target"] = figures["error"] is None and figures["peak_rss_mb"] < TARGET_MB
    return figures


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1] if len(sys.argv) > 1 else ""))
