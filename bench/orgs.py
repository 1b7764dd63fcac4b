"""Many organizations: the hourly dispatcher with real Celery workers (``--orgs N --per-org M``).

In its own database (``accord_bench_orgs``): N organizations of M partnerships each
(bench/orgs_seed.py), every one of them due. For each worker count asked for (1, then 2):

1. reset: the organizations' cycles, reviews and digests from an earlier run are deleted, the
   broker queue is purged;
2. start that many Celery workers (``celery -A config worker -P solo``: one process each) on
   Redis, with e-mail going to a real SMTP server (aiosmtpd) run by the benchmark;
3. send ``reviews.tasks.dispatch_review_cycles`` to the broker, as beat does every hour, and
   poll the database until every due organization's cycle is committed with its digests queued
   and every digest in the outbox is sent;
4. check one digest per person (outbox rows and messages received by the SMTP server, counted
   by their idempotency key), then dispatch again and check that nothing changes.

The dispatcher fans out: it enqueues one ``start_review_cycle`` task per due organization, so
more workers finish sooner.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from contextlib import contextmanager
from email.parser import BytesHeaderParser

from . import environment, report
from .steps import say

TARGET_S = 60.0
DONE_TIMEOUT_S = 900.0


class Inbox:
    """aiosmtpd handler: the X-Accord-Key of every message received."""

    def __init__(self):
        self.keys: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        headers = BytesHeaderParser().parsebytes(envelope.content)
        self.keys.append(headers.get("X-Accord-Key", ""))
        return "250 Message accepted for delivery"

    def digests(self) -> Counter:
        return Counter(k for k in self.keys if k.startswith("digest:"))


@contextmanager
def smtp_server():
    from aiosmtpd.controller import Controller

    from .load import free_port

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@contextmanager
def celery_workers(count: int, *, env: dict[str, str]):
    """``count`` worker processes (solo pool), stopped (SIGTERM, then SIGKILL) on exit."""
    from config.celery import app

    processes = []
    log_dir = environment.BASE_DIR / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    try:
        for i in range(count):
            log = (log_dir / f"celery-{i + 1}.log").open("w")
            processes.append(
                subprocess.Popen(  # noqa: S603 (fixed arguments)
                    [
                        str(environment.BASE_DIR / ".venv" / "bin" / "celery"),
                        "-A",
                        "config",
                        "worker",
                        "-P",
                        "solo",
                        "-n",
                        f"bench{i + 1}@%h",
                        "--without-gossip",
                        "--without-mingle",
                        "-l",
                        "WARNING",
                    ],
                    cwd=environment.BASE_DIR,
                    env={**os.environ, **env},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in processes):
                raise RuntimeError(f"a Celery worker exited; see {log_dir}/celery-*.log")
            if len(app.control.ping(timeout=1.0) or []) >= count:
                break
        else:
            raise RuntimeError(f"{count} Celery workers did not answer within 90 s")
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # only the groups we started
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _peak_mb(pid: int) -> float | None:
    """A running process's peak RSS (Linux ``VmHWM``), in MB."""
    try:
        for line in open(f"/proc/{pid}/status").read().splitlines():  # noqa: SIM115
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _state() -> dict:
    """What the organizations' cycles have produced so far."""
    from notifications.models import OutboundEmail
    from reviews.models import HealthReview, ReviewCycle

    from .orgs_seed import SLUG_PREFIX

    in_bench = {"organization__slug__startswith": SLUG_PREFIX}
    digests = OutboundEmail.objects.filter(key__startswith="digest:", **in_bench)
    return {
        "cycles": ReviewCycle.objects.filter(**in_bench).count(),
        "cycles_done": ReviewCycle.objects.filter(
            digests_queued_at__isnull=False, **in_bench
        ).count(),
        "reviews": HealthReview.objects.filter(**in_bench).count(),
        "digests": digests.count(),
        "digests_unsent": digests.exclude(state=OutboundEmail.State.SENT).count(),
        "emails": OutboundEmail.objects.filter(**in_bench).count(),
    }


def _expected_people() -> set[str]:
    """Everyone who should get a digest: active members, digest on, with an open review."""
    from accounts.models import Membership
    from reviews.models import HealthReview

    from .orgs_seed import SLUG_PREFIX

    members = set(
        Membership.objects.filter(organization__slug__startswith=SLUG_PREFIX).values_list(
            "organization_id", "user_id"
        )
    )
    return {
        email
        for org_id, user_id, email, active, wants in HealthReview.objects.filter(
            organization__slug__startswith=SLUG_PREFIX, state__in=HealthReview.OPEN_STATES
        )
        .values_list(
            "organization_id",
            "partnership__owner_id",
            "partnership__owner__email",
            "partnership__owner__is_active",
            "partnership__owner__digest_enabled",
        )
        .distinct()
        if (org_id, user_id) in members and active and wants
    }


def reset() -> None:
    """Forget an earlier run: the organizations' cycles (their reviews cascade) and e-mails.

    And move each organization's review weekday to two local days ago (keeping its zone and
    hour): its latest start has passed, its next one is five days away, so no new week becomes
    due while the benchmark runs — a second dispatch must then change nothing.
    """
    from django.utils import timezone

    from core.clock import org_today
    from notifications.models import OutboundEmail
    from reviews.models import ReviewCycle

    from .orgs_seed import SLUG_PREFIX, ZONES, bench_organizations

    OutboundEmail.objects.filter(organization__slug__startswith=SLUG_PREFIX).delete()
    ReviewCycle.objects.filter(organization__slug__startswith=SLUG_PREFIX).delete()
    now = timezone.now()
    for zone in ZONES:
        sample = bench_organizations().filter(time_zone=zone).first()
        if sample is not None:
            weekday = (org_today(sample, now).weekday() - 2) % 7
            bench_organizations().filter(time_zone=zone).update(review_weekday=weekday)


def _wait_idle(app, *, settle: float = 3.0, timeout: float = 120.0) -> None:
    """Until the broker queue is empty and no worker runs a task, for ``settle`` seconds."""
    deadline, quiet_since = time.monotonic() + timeout, None
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        while time.monotonic() < deadline:
            active = app.control.inspect(timeout=1.0).active() or {}
            busy = client.llen("celery") or any(active.values())
            if busy:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= settle:
                return
            time.sleep(0.3)


def run_once(workers: int, *, worker_env: dict[str, str]) -> dict:
    """Reset, start ``workers`` workers, dispatch, time until done, check, dispatch again."""
    from config.celery import app
    from reviews import services
    from reviews.tasks import dispatch_review_cycles

    reset()
    app.control.purge()
    due = len(services.cycles_due())
    with smtp_server() as (inbox, port):
        env = {**worker_env, "EMAIL_PORT": str(port)}
        say(f"• {workers} worker(s): {due:,} organizations due")
        with celery_workers(workers, env=env) as processes:
            started = time.perf_counter()
            dispatch_review_cycles.delay()
            cycles_at, state = None, _state()
            while time.perf_counter() - started < DONE_TIMEOUT_S:
                state = _state()
                if cycles_at is None and state["cycles_done"] >= due:
                    cycles_at = time.perf_counter() - started
                if state["cycles_done"] >= due and state["digests_unsent"] == 0:
                    break
                time.sleep(0.5)
            seconds = time.perf_counter() - started
            say(f"  done in {seconds:.1f} s: {state}")
            expected = _expected_people()
            received = inbox.digests()
            _wait_idle(app)
            before, before_received = _state(), sum(inbox.digests().values())
            dispatch_review_cycles.delay()
            time.sleep(1.0)
            _wait_idle(app)
            after, after_received = _state(), sum(inbox.digests().values())
            worker_peaks = [_peak_mb(p.pid) for p in processes]
    from notifications.models import OutboundEmail

    from .orgs_seed import SLUG_PREFIX

    rows = Counter(
        OutboundEmail.objects.filter(
            key__startswith="digest:", organization__slug__startswith=SLUG_PREFIX
        ).values_list("to", flat=True)
    )
    once = (
        state["cycles_done"] == due
        and set(rows) == expected
        and all(n == 1 for n in rows.values())
        and len(received) == len(rows)
        and all(n == 1 for n in received.values())
    )
    return {
        "workers": workers,
        "organizations_due": due,
        "seconds": round(seconds, 1),
        "cycles_committed_seconds": round(cycles_at, 1) if cycles_at is not None else None,
        "state": state,
        "people_expected": len(expected),
        "digest_rows": sum(rows.values()),
        "digests_received": sum(received.values()),
        "duplicates": sorted(k for k, n in received.items() if n > 1)[:10],
        "one_digest_per_person": once,
        "second_run_changed": {k: after[k] - before[k] for k in after if after[k] != before[k]},
        "second_run_received": after_received - before_received,
        "second_run_unchanged": after == before and after_received == before_received,
        "worker_peak_rss_mb": worker_peaks,
    }


def main(args, env: dict[str, str], results: dict) -> int:
    import json

    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "False"  # the benchmark enqueues for real
    import django
    from django.core.management import call_command

    created = environment.ensure_database(args.database_url, drop=args.reseed)
    django.setup()
    say("• migrate")
    call_command("migrate", interactive=False, verbosity=0)
    from . import orgs_seed

    wanted = (args.orgs, args.orgs * args.per_org)
    existing = orgs_seed.current_scale()
    if existing is not None and existing != wanted:
        raise SystemExit(f"{args.database_url} holds {existing}, not {wanted}: use --reseed.")
    seed_seconds = 0.0
    if existing is None:
        say(f"• seeding {args.orgs:,} organizations × {args.per_org} partnerships")
        seed_seconds = orgs_seed.seed_orgs(args.orgs, args.per_org, progress=say)
        say(f"  seeded in {seed_seconds:,.0f} s")
    results["orgs"] = {
        "organizations": args.orgs,
        "per_org": args.per_org,
        "database_created": created,
        "seed_seconds": round(seed_seconds, 1),
        "target_s": TARGET_S,
    }
    worker_env = {
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_USE_TLS": "False",
    }
    runs = [
        run_once(int(n), worker_env=worker_env) for n in str(args.celery_workers).split(",") if n
    ]
    results["orgs"]["runs"] = runs
    peaks = [mb for r in runs for mb in r["worker_peak_rss_mb"] if mb is not None]
    results["orgs"]["worker_peak_rss_mb"] = max(peaks, default=None)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n")
    lines = print_summary(results)
    if args.recorded:
        report.record_in_readme(lines, start=report.ORGS_START, end=report.ORGS_END)
    say(f"\nWrote {args.output}")
    ok = all(r["one_digest_per_person"] and r["second_run_unchanged"] for r in runs) and any(
        r["workers"] >= 2 and r["seconds"] < TARGET_S for r in runs
    )
    return 0 if ok else 1


def print_summary(results: dict) -> list[str]:
    lines: list[str] = []

    def out(message: str) -> None:
        lines.append(message)
        print(message, flush=True)

    o = results["orgs"]
    out("")
    out(
        f"Many organizations — {results['date']} — {results['machine']['cores']} cores, load "
        f"average {results['machine']['load_average_at_start'][0]} at start"
    )
    out(
        f"{o['organizations']:,} organizations × {o['per_org']} partnerships; hourly dispatcher "
        f"on real Celery workers (solo pool, Redis), digests through a real SMTP server; target "
        f"< {o['target_s']:.0f} s with 2 workers, one digest per person, a second run changes "
        "nothing"
    )
    header = (
        f"{'workers':>7}{'due':>6}{'cycles s':>10}{'all sent s':>12}{'reviews':>9}"
        f"{'people':>8}{'digests':>9}{'received':>10}  once  rerun"
    )
    out(header)
    out("-" * len(header))
    for r in o.get("runs", []):
        out(
            f"{r['workers']:>7}{r['organizations_due']:>6}"
            f"{report.fmt(r['cycles_committed_seconds']):>10}{r['seconds']:>12.1f}"
            f"{r['state']['reviews']:>9,}{r['people_expected']:>8,}{r['digest_rows']:>9,}"
            f"{r['digests_received']:>10,}  {'yes' if r['one_digest_per_person'] else 'NO':<4}"
            f"  {'none' if r['second_run_unchanged'] else r['second_run_changed']}"
        )
    out(f"Peak RSS of a worker process: {o.get('worker_peak_rss_mb')} MB")
    return lines
