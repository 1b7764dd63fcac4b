"""The benchmark's steps, each returning the figures ``bench/run.py`` records and prints.

1. ``prepare``: database, migrations, seed (or reuse), chain verification, the superuser.
2. ``measure_cycle``: the weekly review cycle, in a child process so its peak memory is known.
3. ``measure_pdf``: the executed charter's render + seal.
4. ``measure_pages``: every page in-process (median of N, one at a time; the ratio to the bare
   layout and to the admin changelist), then under load through gunicorn, then each page's
   queries.
5. ``measure_memory``: peak RSS of the daily scan, verify_evidence and the exports.
6. ``profile_pages`` (``--profile``): where each page's time goes.
"""

from __future__ import annotations

import time

from . import environment, memory

PAGE_TARGET_MS = 100.0
RATIO_TARGET = 3.0
PDF_TARGET_MS = 1000.0
CYCLE_TARGET_S = 60.0


def say(message: str) -> None:
    print(message, flush=True)


def prepare(args) -> dict:
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
    from . import seed

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
    seed.admin_user()
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


def measure_cycle(args, env: dict) -> dict:
    """The weekly cycle in a child process (its time, its e-mail check, its peak memory)."""
    say("• weekly review cycle (own process, for its peak memory)")
    figures = memory.measure("weekly-cycle", env=env)
    result = dict(figures.get("result") or {})
    if not result:
        raise RuntimeError(f"weekly cycle failed: {figures.get('error')}")
    result["peak_rss_mb"] = figures["peak_rss_mb"]
    result["baseline_rss_mb"] = figures["baseline_rss_mb"]
    # The cycle just added thousands of reviews; autovacuum would analyze the table within a
    # minute in production. Do it now so the pages are not measured with empty statistics.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE reviews_healthreview; ANALYZE notifications_outboundemail")
    result["target_s"] = CYCLE_TARGET_S
    result["within_target"] = result["seconds"] < CYCLE_TARGET_S and result["ok"]
    return result


def measure_pdf() -> dict:
    from accounts.models import User

    from . import direct, pages, seed

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


def _page_verdict(row: dict, ratio: dict, *, reference: bool) -> bool:
    """A page is within target when its p95 under load is under 100 ms, it had no error, and
    (for a main page) its in-process cost is at most 3× the bare layout's."""
    if row["p95_ms"] is None or row["p95_ms"] >= PAGE_TARGET_MS or row["errors"] > 0:
        return False
    return reference or (ratio["x_bare"] is not None and ratio["x_bare"] <= RATIO_TARGET)


def measure_pages(args, env: dict) -> dict:
    from django.urls import reverse

    from accounts.models import User

    from . import diagnose, load, pages, seed, timing

    org = seed.bench_organization()
    found, missing = pages.discover(org, partnerships=args.partnerships, evidence=args.evidence)
    if args.page:
        wanted = [p for p in found if any(t.lower() in p.label.lower() for t in args.page)]
        found = [p for p in found if p.label in pages.REFERENCES] + [
            p for p in wanted if p.label not in pages.REFERENCES
        ]
    user = User.objects.get(email=seed.LOGIN_EMAIL)
    admin = seed.admin_user()
    say(f"• pages in-process: {len(found)} pages, median of {args.runs} (one at a time)")
    # Nothing else of ours runs now; the figures are each page's own cost.
    costs = timing.page_costs(found, user=user, admin=admin, runs=args.runs)
    ratios = timing.ratios(costs, bare=pages.BARE_LABEL, admin=pages.ADMIN_LABEL)
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
            admin=(seed.ADMIN_EMAIL, seed.LOGIN_PASSWORD),
            progress=say,
        )
    say("• query counts per page")
    rows = []
    for page, stat in zip(found, stats, strict=True):
        row = stat.summary()
        row["in_process"] = costs[page.label]
        row.update(ratios[page.label])
        row["reference"] = page.label in pages.REFERENCES
        row["within_target"] = _page_verdict(row, ratios[page.label], reference=row["reference"])
        over = row["p95_ms"] is None or row["p95_ms"] >= PAGE_TARGET_MS or row["errors"] > 0
        row["diagnosis"] = diagnose.page_queries(
            admin if page.as_admin else user, page, explain=over
        )
        rows.append(row)
    total = sum(r["count"] for r in rows)
    return {
        "clients": args.clients,
        "workers": args.workers,
        "threads": args.threads,
        "requests_per_page": args.requests,
        "in_process_runs": args.runs,
        "wall_seconds": round(wall, 1),
        "throughput_rps": round(total / wall, 1) if wall else None,
        "target_p95_ms": PAGE_TARGET_MS,
        "target_ratio": RATIO_TARGET,
        "pages": rows,
        "missing_pages": missing,
    }


def measure_memory(env: dict, jobs: list[str]) -> list[dict]:
    results = []
    for job in jobs:
        say(f"• peak memory: {job}")
        figures = memory.measure(job, env=env)
        peak = figures.get("peak_rss_mb")
        say(
            f"  peak {peak} MB, {figures.get('seconds')} s"
            + (f" — {figures['error']}" if figures.get("error") else "")
        )
        results.append(figures)
    return results


def profile_pages(args) -> list[dict]:
    from accounts.models import User

    from . import pages, profiling, seed

    org = seed.bench_organization()
    found, _missing = pages.discover(org, partnerships=args.partnerships, evidence=args.evidence)
    if args.page:
        found = [p for p in found if any(t.lower() in p.label.lower() for t in args.page)]
    out_dir = environment.BASE_DIR / "var" / "bench" / "profiles"
    say(f"• profiling {len(found)} pages ({args.profile_runs} renders each) into {out_dir}")
    return profiling.profile_pages(
        found,
        user=User.objects.get(email=seed.LOGIN_EMAIL),
        admin=seed.admin_user(),
        runs=args.profile_runs,
        out_dir=out_dir,
    )
