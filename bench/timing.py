"""Each page's own cost, in-process: the median of N renders, one request at a time.

The pages are requested through Django's test client in the benchmark process (production
settings, the benchmark's PostgreSQL database, the full middleware chain), round-robin: run 1
of every page, then run 2 of every page, and so on. A burst of load from another process on a
shared machine then slows every page alike instead of one page's whole series, so the ratio of
a page to the bare layout and to the admin changelist stays meaningful on a busy or slow
machine even when the milliseconds do not.
"""

from __future__ import annotations

import statistics
import time

from django.test import Client

from .load import Page


def logged_in_client(user) -> Client:
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return client


def page_costs(pages: list[Page], *, user, admin, runs: int = 15, warmup: int = 2) -> dict:
    """``{label: {median_ms, min_ms, runs, status, bytes}}`` for each page.

    ``user`` requests the ordinary pages, ``admin`` (a superuser) the pages marked
    ``as_admin``. The first ``warmup`` rounds are not counted: they import view modules,
    compile templates and fill the connection's caches.
    """
    clients = {False: logged_in_client(user), True: logged_in_client(admin)}
    times: dict[str, list[float]] = {page.label: [] for page in pages}
    status: dict[str, int] = {}
    size: dict[str, int] = {}
    for round_number in range(warmup + runs):
        for page in pages:
            client = clients[page.as_admin]
            started = time.perf_counter()
            response = client.get(page.url)
            elapsed = (time.perf_counter() - started) * 1000
            status[page.label] = response.status_code
            size[page.label] = len(response.content)
            if round_number >= warmup:
                times[page.label].append(elapsed)
    return {
        page.label: {
            "median_ms": round(statistics.median(times[page.label]), 2),
            "min_ms": round(min(times[page.label]), 2),
            "runs": runs,
            "status": status[page.label],
            "bytes": size[page.label],
        }
        for page in pages
    }


def ratios(costs: dict, *, bare: str, admin: str) -> dict:
    """Each page's median as a multiple of the bare layout's and of the admin changelist's."""
    bare_ms = costs.get(bare, {}).get("median_ms")
    admin_ms = costs.get(admin, {}).get("median_ms")
    result = {}
    for label, cost in costs.items():
        ms = cost["median_ms"]
        result[label] = {
            "x_bare": round(ms / bare_ms, 2) if bare_ms else None,
            "x_admin": round(ms / admin_ms, 2) if admin_ms else None,
        }
    return result
