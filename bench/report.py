"""The benchmark's printed summary, also written into bench/README.md between two markers."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- latest figures: start -->", "<!-- latest figures: end -->"
ORGS_START, ORGS_END = "<!-- many organizations: start -->", "<!-- many organizations: end -->"


def fmt(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _ratio(value) -> str:
    return "—" if value is None else f"{value:.1f}×"


def _pages(say, load: dict) -> None:
    say("")
    say(
        "(alone: in-process median of "
        f"{load.get('in_process_runs', '?')} requests one at a time, as a multiple of the bare "
        "layout and of the admin changelist; n/p50/p95/p99: ms on the client under load; "
        "queries and db ms: one in-process request's SQL)"
    )
    say(
        f"Pages: {load['clients']} clients, gunicorn {load['workers']} workers × "
        f"{load['threads']} threads, {load['throughput_rps']} req/s; target p95 < "
        f"{load['target_p95_ms']:.0f} ms and alone ≤ {load.get('target_ratio', 3):.0f}× bare"
    )
    header = (
        f"{'page':<27}{'alone':>7}{'×bare':>7}{'×admin':>7}{'n':>5}{'p50':>7}{'p95':>7}"
        f"{'p99':>7}{'err':>4}{'queries':>8}{'db ms':>7}  ok"
    )
    say(header)
    say("-" * len(header))
    for row in load["pages"]:
        d = row["diagnosis"]
        alone = row.get("in_process", {}).get("median_ms", d.get("render_ms"))
        verdict = "ref" if row.get("reference") else ("yes" if row["within_target"] else "NO")
        say(
            f"{row['label']:<27}{fmt(alone):>7}{_ratio(row.get('x_bare')):>7}"
            f"{_ratio(row.get('x_admin')):>7}{row['count']:>5}{fmt(row['p50_ms'], 0):>7}"
            f"{fmt(row['p95_ms'], 0):>7}{fmt(row['p99_ms'], 0):>7}{row['errors']:>4}"
            f"{d['queries']:>8}{fmt(d['db_ms']):>7}  {verdict}"
        )
    for label in load["missing_pages"]:
        say(f"{label:<27}  (page not built yet)")


def _memory(say, jobs: list[dict]) -> None:
    say("")
    say("Peak memory, each job in its own process (RSS; baseline = after Django and the job's")
    say("modules are loaded); target peak < 300 MB:")
    header = f"{'job':<18}{'peak MB':>9}{'baseline':>10}{'seconds':>9}  ok"
    say(header)
    say("-" * len(header))
    for job in jobs:
        note = ""
        result = job.get("result") or {}
        if job.get("error"):
            note = f"  ({job['error'][:90]})"
        elif "bytes" in result:
            note = f"  ({result['status']}, {result['content_type'].split(';')[0]}, "
            note += f"{result['bytes']:,} bytes)"
        say(
            f"{job['job']:<18}{fmt(job.get('peak_rss_mb')):>9}"
            f"{fmt(job.get('baseline_rss_mb')):>10}{fmt(job.get('seconds')):>9}  "
            f"{'yes' if job.get('within_target') else 'NO'}{note}"
        )


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
    reused = "reused" if seed["reused"] else f"seeded in {seed['seed_seconds']} s"
    say(
        f"Data: {seed['partnerships']:,} partnerships, {seed['evidence']:,} evidence entries "
        f"({reused})"
    )
    if "pages" in results:
        _pages(say, results["pages"])
    if "pdf" in results:
        pdf = results["pdf"]
        say("")
        say(
            f"Charter PDF: render+seal median {fmt(pdf['render_and_seal_median_ms'])} ms, "
            f"max {fmt(pdf['render_and_seal_max_ms'])} ms over {pdf['runs']} runs "
            f"(render {fmt(pdf['execution_render_ms'])}, seal {fmt(pdf['seal_ms'])}; "
            f"document at sending {fmt(pdf['document_render_ms'])} ms); seal valid: "
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
    if "memory" in results:
        cycle = results.get("cycle")
        jobs = list(results["memory"])
        if cycle and cycle.get("peak_rss_mb") is not None:
            jobs.insert(
                0,
                {
                    "job": "weekly-cycle",
                    "peak_rss_mb": cycle["peak_rss_mb"],
                    "baseline_rss_mb": cycle.get("baseline_rss_mb"),
                    "seconds": cycle["seconds"] + cycle["second_run_seconds"],
                    "within_target": cycle["peak_rss_mb"] < 300,
                },
            )
        _memory(say, jobs)
    return lines


def record_in_readme(lines: list[str], *, start: str = START, end: str = END) -> None:
    """Replace the README's block between ``start`` and ``end`` with ``lines``."""
    text = README.read_text()
    if start not in text or end not in text:
        return
    head, rest = text.split(start, 1)
    _old, tail = rest.split(end, 1)
    block = "\n".join(["", "```", *[line for line in lines if line], "```", ""])
    README.write_text(head + start + block + end + tail)
