"""Where a page's time goes: functions (cProfile), templates (own and inclusive time), queries.

``bench/run.py --profile`` renders every page a few times in-process after the timed runs and
writes one text report per page under ``var/bench/profiles/`` plus a summary in the results:

- functions: cProfile over the renders, the top entries by own time and by cumulative time
  (project code, Django and libraries alike: ``Variable.resolve``, ``reverse``, widget
  rendering show up by name);
- templates: each template's and each block's inclusive and own time per render, measured by
  wrapping ``django.template.base.Template._render`` (which both ``{% extends %}`` and
  ``{% include %}`` go through) and ``BlockNode.render``, in a pass without the profiler so
  its overhead is not counted;
- queries: count, database time and the slowest statements, captured in the same pass.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections import defaultdict
from pathlib import Path

from django.db import connection
from django.template import base as template_base
from django.template import loader_tags

from .load import Page
from .timing import logged_in_client


class QueryTimer:
    """Every statement run on the default connection while active, with its time (ms).

    An execute wrapper rather than ``CaptureQueriesContext``: the latter slices
    ``connection.queries``, which Django empties at the start of every request.
    """

    def __init__(self):
        self.queries: list[tuple[str, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, (time.perf_counter() - started) * 1000))


class TemplateTimer:
    """Inclusive and own time per template while active (a context manager).

    With ``{% extends %}`` a child's blocks are rendered inside the parent's ``_render``, so
    timing templates alone would book every page's content to ``base.html``. Blocks are timed
    too, each under the template whose block body is rendered (``page.html [block content]``),
    and their time is taken out of the template they sit in.
    """

    def __init__(self):
        self.inclusive: dict[str, float] = defaultdict(float)
        self.own: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list[float]] = []  # per open template or block: [children's time]
        self._originals = ()

    def _timed(self, name: str, render, *args):
        self._stack.append([0.0])
        started = time.perf_counter()
        try:
            return render(*args)
        finally:
            elapsed = time.perf_counter() - started
            children = self._stack.pop()[0]
            self.inclusive[name] += elapsed
            self.own[name] += elapsed - children
            self.calls[name] += 1
            if self._stack:
                self._stack[-1][0] += elapsed

    def __enter__(self) -> TemplateTimer:
        self._originals = (template_base.Template._render, loader_tags.BlockNode.render)
        render_template, render_block = self._originals
        timer = self

        def _render(template, context):
            name = template.origin.template_name if template.origin else "<string>"
            return timer._timed(str(name), render_template, template, context)

        def _render_block(node, context):
            blocks = context.render_context.get(loader_tags.BLOCK_CONTEXT_KEY)
            body = blocks.get_block(node.name) if blocks is not None else None
            origin = (body or node).origin
            source = origin.template_name if origin else "<string>"
            return timer._timed(f"{source} [block {node.name}]", render_block, node, context)

        template_base.Template._render = _render
        loader_tags.BlockNode.render = _render_block
        return self

    def __exit__(self, *exc) -> None:
        template_base.Template._render, loader_tags.BlockNode.render = self._originals


def _stats_text(profiler: cProfile.Profile, sort: str, limit: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats(sort).print_stats(limit)
    return out.getvalue()


def _top_functions(profiler: cProfile.Profile, runs: int, limit: int = 12) -> list[dict]:
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
        rows.append(
            {
                "function": f"{Path(filename).name}:{line}({name})",
                "calls_per_render": round(ncalls / runs),
                "own_ms": round(tottime * 1000 / runs, 2),
                "cumulative_ms": round(cumtime * 1000 / runs, 2),
            }
        )
    rows.sort(key=lambda r: r["own_ms"], reverse=True)
    return rows[:limit]


def profile_page(client, page: Page, *, runs: int, out_dir: Path) -> dict:
    client.get(page.url)  # warm
    timer, captured = TemplateTimer(), QueryTimer()
    with connection.execute_wrapper(captured), timer:
        started = time.perf_counter()
        for _ in range(runs):
            client.get(page.url)
        wall_ms = (time.perf_counter() - started) * 1000 / runs
    by_sql: dict[str, list[float]] = defaultdict(list)
    for sql, ms in captured.queries:
        by_sql[sql].append(ms)
    queries = sorted(
        ({"ms": sum(t) / runs, "n": len(t) / runs, "sql": sql} for sql, t in by_sql.items()),
        key=lambda q: q["ms"],
        reverse=True,
    )
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(page.url)
    profiler.disable()
    templates = sorted(
        (
            {
                "template": name,
                "renders": timer.calls[name] // runs,
                "inclusive_ms": round(timer.inclusive[name] * 1000 / runs, 2),
                "own_ms": round(timer.own[name] * 1000 / runs, 2),
            }
            for name in timer.inclusive
        ),
        key=lambda t: t["own_ms"],
        reverse=True,
    )
    summary = {
        "label": page.label,
        "url": page.url,
        "ms_per_render_with_timers": round(wall_ms, 2),
        "queries": round(len(captured.queries) / runs),
        "db_ms": round(sum(q["ms"] for q in queries), 2),
        "slowest_queries": [{"ms": round(q["ms"], 2), "sql": q["sql"][:600]} for q in queries[:3]],
        "templates": templates[:15],
        "functions": _top_functions(profiler, runs),
    }
    slug = "".join(c if c.isalnum() else "-" for c in page.label).strip("-")
    report = [
        f"{page.label}  {page.url}",
        f"{summary['ms_per_render_with_timers']} ms per render (template timers on), "
        f"{summary['queries']} queries, {summary['db_ms']} ms SQL",
        "",
        "Templates (per render: renders, inclusive ms, own ms):",
        *(
            f"  {t['template']:<60}{t['renders']:>4}{t['inclusive_ms']:>9}{t['own_ms']:>9}"
            for t in templates
        ),
        "",
        "Queries (slowest first, ms):",
        *(f"  {q['ms']:8.2f}  x{q['n']:.0f}  {q['sql'][:400]}" for q in queries[:12]),
        "",
        f"cProfile over {runs} renders, by own time:",
        _stats_text(profiler, "tottime", 40),
        f"cProfile over {runs} renders, by cumulative time:",
        _stats_text(profiler, "cumulative", 60),
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{slug}.txt").write_text("\n".join(report))
    return summary


def profile_pages(pages: list[Page], *, user, admin, runs: int, out_dir: Path) -> list[dict]:
    clients = {False: logged_in_client(user), True: logged_in_client(admin)}
    return [
        profile_page(clients[page.as_admin], page, runs=runs, out_dir=out_dir) for page in pages
    ]
