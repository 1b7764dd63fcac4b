"""Accord's scale and load benchmark (SPEC §8). Run ``python bench/run.py --help``.

Steps, each reported in a table and in bench/results.json (bench/steps.py):

1. seed one organization with N partnerships and M hash-chained evidence entries in its own
   PostgreSQL database (reused when it already holds exactly that scale), then ANALYZE and
   verify the evidence chain;
2. the weekly health-review cycle for every partnership (target < 60 s, one digest per owner,
   a second run sends nothing), in its own process for its peak memory;
3. the executed charter PDF: render and seal (target < 1 s);
4. every main page in-process (median of N, one at a time) as a multiple of the bare layout and
   of the Django admin changelist (target ≤ 3× the bare layout), then under concurrent load:
   gunicorn with production settings, client threads that log in through the real form
   (target p95 < 100 ms); for every page its queries, and the plan of a slow page's slowest;
5. peak memory of the daily scan, verify_evidence and the exports (target < 300 MB each);
6. with ``--profile``: where each page's time goes (bench/profiling.py).

``--orgs N --per-org M`` runs the many-organizations benchmark instead (bench/orgs.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Run as a script, this file's directory comes first on the path, where bench/profiling.py or
# bench/settings.py could shadow a module of the same name; import bench.* from the project.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BASE_DIR / "bench"]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench import environment, memory, report, steps  # noqa: E402

RESULTS = BASE_DIR / "bench" / "results.json"
ORGS_RESULTS = BASE_DIR / "bench" / "results-orgs.json"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description=(
            "Seed one organization at scale in its own PostgreSQL database and measure every "
            "main page in-process (as a multiple of the bare layout and the admin changelist) "
            "and under concurrent load (gunicorn, production settings), the charter PDF, the "
            "weekly review cycle and the peak memory of the long jobs. Prints a table and "
            "writes bench/results.json. Targets: pages ≤ 3× the bare layout and p95 < 100 ms, "
            "PDF < 1 s, cycle < 60 s, memory < 300 MB."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    scale = parser.add_argument_group("scale")
    scale.add_argument("--partnerships", type=int, default=10_000, help="partnerships to seed")
    scale.add_argument("--evidence", type=int, default=1_000_000, help="evidence entries")
    scale.add_argument(
        "--quick",
        action="store_true",
        help="small smoke run: 300 partnerships, 20,000 entries, 20 requests per page, 5 "
        "in-process runs, in the database accord_bench_quick, results in "
        "var/bench/results-quick.json (overrides --partnerships/--evidence/--requests/--runs)",
    )
    scale.add_argument(
        "--reseed", action="store_true", help="drop the benchmark database and seed it again"
    )
    scale.add_argument(
        "--verify-chain",
        choices=["seeded", "always", "never"],
        default="seeded",
        help="verify the whole evidence chain (and cache the result for the log page's badge): "
        "after a fresh seed, on every run, or never",
    )
    load = parser.add_argument_group("pages")
    load.add_argument(
        "--runs", type=int, default=15, help="in-process requests per page (the median counts)"
    )
    load.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    load.add_argument("--requests", type=int, default=200, help="measured requests per page")
    load.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    load.add_argument(
        "--threads", type=int, default=1, help="threads per worker (>1 uses gthread workers)"
    )
    load.add_argument(
        "--port", type=int, default=0, help="port gunicorn listens on (0: any free port)"
    )
    orgs = parser.add_argument_group("many organizations (instead of the steps above)")
    orgs.add_argument(
        "--orgs",
        type=int,
        default=0,
        help="seed this many organizations (in the database accord_bench_orgs) and time the "
        "hourly dispatcher with real Celery workers",
    )
    orgs.add_argument("--per-org", type=int, default=100, help="partnerships per organization")
    orgs.add_argument(
        "--celery-workers",
        default="1,2",
        help="comma-separated worker counts to time, one run each (each worker: one process)",
    )
    where = parser.add_argument_group("where")
    where.add_argument(
        "--database-url",
        default=None,
        help=f"benchmark database (created if missing) [{environment.DEFAULT_DATABASE_URL}]",
    )
    where.add_argument(
        "--redis-url",
        default=environment.DEFAULT_REDIS_URL,
        help="cache (and, for --orgs, Celery broker) shared by the benchmark's processes",
    )
    steps_group = parser.add_argument_group("steps")
    steps_group.add_argument("--skip-pages", action="store_true", help="no page measurement")
    steps_group.add_argument("--skip-pdf", action="store_true", help="no charter PDF measurement")
    steps_group.add_argument(
        "--skip-cycle", action="store_true", help="no weekly cycle measurement"
    )
    steps_group.add_argument(
        "--skip-memory", action="store_true", help="no peak-memory measurement of the jobs"
    )
    steps_group.add_argument(
        "--memory-job",
        action="append",
        choices=[job for job in memory.JOBS if job != "weekly-cycle"],
        default=[],
        help="only these memory jobs (repeatable); the weekly cycle's comes with its step",
    )
    steps_group.add_argument(
        "--profile",
        action="store_true",
        help="also profile every page (cProfile, template and query times) into "
        "var/bench/profiles/",
    )
    steps_group.add_argument(
        "--profile-runs", type=int, default=5, help="renders per page under the profiler"
    )
    steps_group.add_argument(
        "--show",
        action="store_true",
        help="print the tables of the last results (--output) and record them in the README; "
        "measure nothing",
    )
    steps_group.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="TEXT",
        help="only pages whose label contains TEXT (repeatable), e.g. --page 'evidence log'; "
        "the bare layout and the admin changelist are always measured",
    )
    steps_group.add_argument(
        "--output", type=Path, default=None, help="where to write the JSON results"
    )
    args = parser.parse_args(argv)
    default_output = ORGS_RESULTS if args.orgs else RESULTS
    args.output = args.output or default_output
    args.recorded = args.output.resolve() == default_output.resolve()
    if args.quick:
        args.partnerships, args.evidence, args.requests, args.runs = 300, 20_000, 20, 5
        args.database_url = args.database_url or environment.DEFAULT_DATABASE_URL + "_quick"
        if args.recorded:  # a smoke run never replaces the recorded figures
            args.output = BASE_DIR / "var" / "bench" / "results-quick.json"
            args.recorded = False
    if args.orgs:
        args.database_url = args.database_url or environment.DEFAULT_DATABASE_URL + "_orgs"
    args.database_url = args.database_url or environment.DEFAULT_DATABASE_URL
    return args


def _machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _show(args) -> int:
    results = json.loads(args.output.read_text())
    if "orgs" in results:
        from bench import orgs

        lines = orgs.print_summary(results)
        if args.recorded:
            report.record_in_readme(lines, start=report.ORGS_START, end=report.ORGS_END)
        return 0
    lines = report.print_tables(results)
    if args.recorded:
        report.record_in_readme(lines)
    return 0


def _finish(results: dict, args) -> list[str]:
    """Names of the measurements over target."""
    failed = [
        name for name in ("cycle", "pdf") if name in results and not results[name]["within_target"]
    ]
    failed += [
        row["label"]
        for row in results.get("pages", {}).get("pages", [])
        if not row["within_target"] and not row.get("reference")
    ]
    failed += [f"memory: {m['job']}" for m in results.get("memory", []) if not m["within_target"]]
    if "cycle" in results and (results["cycle"].get("peak_rss_mb") or 0) >= memory.TARGET_MB:
        failed.append("memory: weekly-cycle")
    return failed


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.show:
        return _show(args)
    env = environment.bench_environment(database_url=args.database_url, redis_url=args.redis_url)
    environment.apply(env)
    steps.say(f"Accord benchmark against {args.database_url}")
    results: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": _machine(),
        "git": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip(),
        "settings": {k: v for k, v in env.items() if k != "SECRET_KEY"},
    }
    if args.orgs:
        from bench import orgs

        return orgs.main(args, env, results)
    results["seed"] = steps.prepare(args)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        results["postgres"] = cur.fetchone()[0].split()[0]
    args.output.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:  # after every step: a failure late in the run keeps what was measured
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        args.output.write_text(json.dumps(results, indent=2, default=str) + "\n")

    if not args.skip_cycle:
        results["cycle"] = steps.measure_cycle(args, env)
        save()
    if not args.skip_pdf:
        results["pdf"] = steps.measure_pdf()
        save()
    if not args.skip_pages:
        results["pages"] = steps.measure_pages(args, env)
        save()
    if not args.skip_memory:
        jobs = args.memory_job or [job for job in memory.JOBS if job != "weekly-cycle"]
        results["memory"] = steps.measure_memory(env, jobs)
        save()
    if args.profile:
        results["profile"] = steps.profile_pages(args)
    save()
    lines = report.print_tables(results)
    if args.recorded and not args.page:
        report.record_in_readme(lines)
    steps.say(f"\nWrote {args.output}")
    failed = _finish(results, args)
    if failed:
        steps.say("Over target: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
