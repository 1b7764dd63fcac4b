"""Why is a page slow? Its queries, counted and timed in-process, and the plan of the slowest.

Each page is rendered once more through Django's test client (same settings, same database),
with the queries captured. For every page the query count and the database time are reported;
for a page over the latency target, the slowest query is run again under
``EXPLAIN (ANALYZE, BUFFERS)`` so the report can name the missing index or the costly step.
"""

from __future__ import annotations

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .load import Page


def _explain(sql: str) -> str:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cur.fetchall())


def page_queries(user, page: Page, *, explain: bool) -> dict:
    """Render ``page`` as ``user``: status, time, query count, slowest queries, plan."""
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    client.get(page.url)  # warm: the first render imports and compiles templates
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(page.url)
        elapsed = (time.perf_counter() - started) * 1000
    queries = sorted(
        ({"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in captured.captured_queries),
        key=lambda q: q["ms"],
        reverse=True,
    )
    result = {
        "status": response.status_code,
        "render_ms": elapsed,
        "queries": len(queries),
        "db_ms": sum(q["ms"] for q in queries),
        "slowest": queries[:3],
    }
    if explain and queries and queries[0]["sql"].lstrip().upper().startswith("SELECT"):
        result["plan"] = _explain(queries[0]["sql"])
    return result
