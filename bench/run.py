"""Accord's scale and load benchmark (SPEC §8). Run ``python bench/run.py --help``.

Steps, each reported in a table and in bench/results.json:

1. seed one organization with N partnerships and M hash-chained evidence entries in its own
   PostgreSQL database (reused when it already holds exactly that scale), then ANALYZE and
   verify the evidence chain;
2. the weekly health-review cycle for every partnership (target < 60 s, one digest per owner,
   a second run sends nothing);
3. the executed charter PDF: render and seal (target < 1 s);
4. page latency under concurrent load: gunicorn with production settings, client threads that
   log in through the real form, every main page (target p95 < 100 ms);
5. for every page: query count and database time; for a page over target, the plan of its
   slowest query.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench import environment  # noqa: E402

PAGE_TARGET_MS = 100.0
PDF_TARGET_MS = 1000.0
CYCLE_TARGET_S = 60.0
RESULTS = BASE_DIR / "bench" / "results.json"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description=(
            "Seed one organization at scale in its own PostgreSQL database and measure page "
            "latency under concurrent load (gunicorn, production settings), charter PDF "
            "render+seal time and the weekly review cycle. Prints a table and writes "
            "bench/results.json. Targets: page p95 < 100 ms, PDF < 1 s, cycle < 60 s."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    scale = parser.add_argument_group("scale")
    scale.add_argument("--partnerships", type=int, default=10_000, help="partnerships to seed")
    scale.add_argument("--evidence", type=int, default=1_000_000, help="evidence entries")
    scale.add_argument(
        "--quick",
        action="store_true",
        help="small smoke run: 300 partnerships, 20,000 entries, 20 requests per page, in the "
        "database accord_bench_quick, results in var/bench/results-quick.json (overrides "
        "--partnerships/--evidence/--requests)",
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
    load = parser.add_argument_group("load")
    load.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    load.add_argument("--requests", type=int, default=200, help="measured requests per page")
    load.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    load.add_argument(
        "--threads", type=int, default=1, help="threads per worker (>1 uses gthread workers)"
    )
    load.add_argument(
        "--port", type=int, default=0, help="port gunicorn listens on (0: any free port)"
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
        help="cache shared by gunicorn and the benchmark; skipped if unreachable",
    )
    steps = parser.add_argument_group("steps")
    steps.add_argument("--skip-pages", action="store_true", help="no page load test")
    steps.add_argument("--skip-pdf", action="store_true", help="no charter PDF measurement")
    steps.add_argument("--skip-cycle", action="store_true", help="no weekly cycle measurement")
    steps.add_argument(
        "--show",
        action="store_true",
        help="print the tables of the last results (--output) and record them in the README; "
        "measure nothing",
    )
    steps.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="TEXT",
        help="only pages whose label contains TEXT (repeatable), e.g. --page 'evidence log'",
    )
    steps.add_argument(
        "--output", type=Path, default=RESULTS, help="where to write the JSON results"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.partnerships, args.evidence, args.requests = 300, 20_000, 20
        args.database_url = args.database_url or environment.DEFAULT_DATABASE_URL + "_quick"
        if args.output == RESULTS:  # a smoke run never replaces the recorded figures
            args.output = BASE_DIR / "var" / "bench" / "results-quick.json"
    args.database_url = args.database_url or environment.DEFAULT_DATABASE_URL
    return args


def say(message: str) -> None:
    print(message, flush=True)


def _fmt(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _machine() -> dict:
    import os

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


def prepare(args, env: dict) -> dict:
    """Database, migrations, seal certificate, static files, seed (or reuse)."""
    import django
    from django.core.management import call_command
    from django.db import connections

    created = environment.ensure_database(args.database_url, drop=args.reseed)
    django.setup()
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connection).applied_migrations() if not created else {}
    say("• migrate")
    call_command("migrate", interactive=False, verbosity=0)
    if applied and MigrationRecorder(connection).applied_migrations().keys() - applied.keys():
        # A migration may have rewritten a big table (a new stored column): its visibility map
        # and statistics are gone until autovacuum passes; production would have them back.
        say("  new migrations on seeded data: VACUUM ANALYZE")
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    from bench import seed

    scale = seed.Scale(args.partnerships, args.evidence)
    existing = seed.current_scale()
    if existing is not None and existing != scale:
        say(f"• the database holds {existing}, not {scale}: recreating it")
        connections.close_all()
        environment.ensure_database(args.database_url, drop=True)
        call_command("migrate", interactive=False, verbosity=0)
        existing, created = None, True
    if existing is None:
        say(f"• seeding {scale.partnerships:,} partnerships and {scale.evidence:,} entries")
        report = seed.seed(scale, progress=say)
        say(f"  seeded in {report.seconds:,.0f} s")
    else:
        say("• reusing the seeded data")
        report = seed.SeedReport(True, 0.0, scale.partnerships, scale.evidence, 0)
    if args.verify_chain == "always" or (args.verify_chain == "seeded" and not report.reused):
        say("• verifying the evidence chain (verify_evidence)")
        started = time.perf_counter()
        call_command("verify_evidence", org=seed.ORG_SLUG, verbosity=0)
        report.chain_checked = scale.evidence
        say(f"  intact, {time.perf_counter() - started:,.0f} s")
    call_command("ensure_seal_certificate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return {
        "database_created": created,
        "reused": report.reused,
        "seed_seconds": round(report.seconds, 1),
        "partnerships": scale.partnerships,
        "evidence": scale.evidence,
        "chain_verified": report.chain_checked is not None,
    }


def measure_cycle(args) -> dict:
    from bench import direct, seed

    say("• weekly review cycle")
    report = direct.weekly_cycle(
        organization=seed.bench_organization(), partnerships=args.partnerships
    )
    # The cycle just added thousands of reviews; autovacuum would analyze the table within a
    # minute in production. Do it now so the pages are not measured with empty statistics.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE reviews_healthreview; ANALYZE notifications_outboundemail")
    result = direct.as_dict(report)
    result["target_s"] = CYCLE_TARGET_S
    result["within_target"] = report.seconds < CYCLE_TARGET_S and report.ok
    return result


def measure_pdf() -> dict:
    from accounts.models import User
    from bench import direct, pages, seed

    say("• charter PDF render + seal")
    org = seed.bench_organization()
    report = direct.charter_pdf(
        organization=org,
        partnership=pages.busiest_partnership(org),
        user=User.objects.get(email=seed.LOGIN_EMAIL),
    )
    result = direct.as_dict(report)
    result["target_ms"] = PDF_TARGET_MS
    result["within_target"] = report.render_and_seal_max_ms < PDF_TARGET_MS and report.seal_valid
    return result


def measure_pages(args, env: dict) -> dict:
    from django.urls import reverse

    from accounts.models import User
    from bench import diagnose, load, pages, seed

    org = seed.bench_organization()
    found, missing = pages.discover(org, partnerships=args.partnerships, evidence=args.evidence)
    if args.page:
        found = [p for p in found if any(t.lower() in p.label.lower() for t in args.page)]
    say(f"• pages under load: {len(found)} pages, {args.clients} clients, {args.requests} each")
    if missing:
        say(f"  not built yet: {', '.join(missing)}")
    server = load.Server(env=env, port=args.port, workers=args.workers, threads=args.threads)
    with server:
        stats, wall = load.run_load(
            port=server.port,
            pages=found,
            clients=args.clients,
            requests_per_page=args.requests,
            email=seed.LOGIN_EMAIL,
            password=seed.LOGIN_PASSWORD,
            login_url=reverse("account_login"),
            progress=say,
        )
    say("• query counts per page")
    user = User.objects.get(email=seed.LOGIN_EMAIL)
    rows = []
    for page, stat in zip(found, stats, strict=True):
        row = stat.summary()
        over = row["p95_ms"] is None or row["p95_ms"] >= PAGE_TARGET_MS or row["errors"] > 0
        row["within_target"] = not over
        row["diagnosis"] = diagnose.page_queries(user, page, explain=over)
        rows.append(row)
    total = sum(r["count"] for r in rows)
    return {
        "clients": args.clients,
        "workers": args.workers,
        "threads": args.threads,
        "requests_per_page": args.requests,
        "wall_seconds": round(wall, 1),
        "throughput_rps": round(total / wall, 1) if wall else None,
        "target_p95_ms": PAGE_TARGET_MS,
        "pages": rows,
        "missing_pages": missing,
    }


def print_tables(results: dict) -> list[str]:
    """Print the summary and return its lines (also written into bench/README.md)."""
    lines: list[str] = []

    def say(message: str) -> None:
        lines.append(message)
        print(message, flush=True)

    seed = results["seed"]
    say("")
    say(
        f"Accord benchmark — {results['date']} — {results['machine']['cores']} cores "
        f"({results['machine']['cpu']}), PostgreSQL {results.get('postgres', '?')}"
    )
    busy = results["machine"]["load_average_at_start"][0]
    if busy > results["machine"]["cores"] / 2:
        say(
            f"WARNING: the machine was busy before the benchmark started (load average {busy}); "
            "latencies include waiting for CPU taken by other processes."
        )
    say(
        f"Data: {seed['partnerships']:,} partnerships, {seed['evidence']:,} evidence entries "
        f"({'reused' if seed['reused'] else f'seeded in {seed["seed_seconds"]} s'})"
    )
    if "pages" in results:
        load = results["pages"]
        say("")
        say(
            "(n requests, latency in ms on the client under load; 'alone' is one request "
            "rendered in-process with no concurrency, 'queries' and 'db ms' its SQL)"
        )
        say(
            f"Pages: {load['clients']} clients, gunicorn {load['workers']} workers × "
            f"{load['threads']} threads, {load['throughput_rps']} req/s; target p95 < "
            f"{load['target_p95_ms']:.0f} ms"
        )
        header = (
            f"{'page':<28}{'n':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'err':>5}"
            f"{'alone':>8}{'queries':>9}{'db ms':>8}  ok"
        )
        say(header)
        say("-" * len(header))
        for row in load["pages"]:
            d = row["diagnosis"]
            say(
                f"{row['label']:<28}{row['count']:>6}{_fmt(row['p50_ms']):>8}"
                f"{_fmt(row['p95_ms']):>8}{_fmt(row['p99_ms']):>8}{_fmt(row['max_ms']):>8}"
                f"{row['errors']:>5}{_fmt(d['render_ms']):>8}{d['queries']:>9}"
                f"{_fmt(d['db_ms']):>8}  "
                f"{'yes' if row['within_target'] else 'NO'}"
            )
        for label in load["missing_pages"]:
            say(f"{label:<28}  (page not built yet)")
    if "pdf" in results:
        pdf = results["pdf"]
        say("")
        say(
            f"Charter PDF: render+seal median {_fmt(pdf['render_and_seal_median_ms'])} ms, "
            f"max {_fmt(pdf['render_and_seal_max_ms'])} ms over {pdf['runs']} runs "
            f"(render {_fmt(pdf['execution_render_ms'])}, seal {_fmt(pdf['seal_ms'])}; "
            f"document at sending {_fmt(pdf['document_render_ms'])} ms); seal valid: "
            f"{pdf['seal_valid']}; target < {pdf['target_ms']:.0f} ms: "
            f"{'yes' if pdf['within_target'] else 'NO'}"
        )
    if "cycle" in results:
        c = results["cycle"]
        say("")
        say(
            f"Weekly cycle ({c['starts_on']}): {c['reviews_created']:,} reviews for "
            f"{c['partnerships']:,} partnerships in {c['seconds']:.1f} s; digests "
            f"{c['digests_queued']} queued / {c['digests_sent']} sent / {c['digests_expected']} "
            f"owners; second run {c['second_run_seconds']:.1f} s, {c['second_run_queued']} queued, "
            f"{c['second_run_sent']} sent; target < {c['target_s']:.0f} s and exactly once: "
            f"{'yes' if c['within_target'] else 'NO'}"
        )
    return lines


README = BASE_DIR / "bench" / "README.md"
START, END = "<!-- latest figures: start -->", "<!-- latest figures: end -->"


def record_in_readme(lines: list[str]) -> None:
    """Replace the README's latest-figures block with this run's summary."""
    text = README.read_text()
    if START not in text or END not in text:
        return
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    block = "\n".join(["", "```", *[line for line in lines if line], "```", ""])
    README.write_text(head + START + block + END + tail)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.show:
        results = json.loads(args.output.read_text())
        lines = print_tables(results)
        if args.output.resolve() == RESULTS.resolve():
            record_in_readme(lines)
        return 0
    env = environment.bench_environment(database_url=args.database_url, redis_url=args.redis_url)
    environment.apply(env)
    say(f"Accord benchmark against {args.database_url}")
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
    results["seed"] = prepare(args, env)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        results["postgres"] = cur.fetchone()[0].split()[0]
    if not args.skip_cycle:
        results["cycle"] = measure_cycle(args)
    if not args.skip_pdf:
        results["pdf"] = measure_pdf()
    if not args.skip_pages:
        results["pages"] = measure_pages(args, env)
    import os

    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n")
    lines = print_tables(results)
    if args.output.resolve() == RESULTS.resolve() and not args.page:
        record_in_readme(lines)
    say(f"\nWrote {args.output}")
    failed = [
        name for name in ("cycle", "pdf") if name in results and not results[name]["within_target"]
    ] + [
        row["label"]
        for row in results.get("pages", {}).get("pages", [])
        if not row["within_target"]
    ]
    if failed:
        say("Over target: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
