"""Every route, tried with GET and POST as every kind of caller (issue 12.1, SPEC §8).

``tests/access_map.py`` maps EVERY URL name of the project (the resolver is walked, namespaces
included; a route without an entry fails the first test) to the objects that fill it, made by
``tests.factories.build_world``, and to who may use it. Each route is then tried by:

- ``anonymous``: a member-only route sends them to the login page;
- ``signer``: a visitor holding a signing link of ANOTHER organization's charter, who must
  never see Northwind's (and is anonymous everywhere else);
- ``outsider``: an owner of Globex, for whom a Northwind object is a 404;
- ``viewer``, ``manager``, ``owner`` of Northwind: a role below the route's is a 403 (a
  viewer's write, a manager's owner-only action); a role at or above it gets the page.

Nothing, anywhere, is a 500. The number of cells tried is printed, and must be every route ×
both methods × every caller.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.main import api
from tests.access_map import API_NAMESPACE, ROUTES, Route, api_route, expected, fill
from tests.factories import build_world, isolated

MEMBERS = ("viewer", "manager", "owner")
ROLES = ("anonymous", "signer", "outsider", *MEMBERS)
SIGNED_OUT = ("anonymous", "signer")
LOGIN = "/accounts/login/"
# The Django admin: no one in this matrix is staff, so every admin URL is a 404 (see
# tests/accounts/test_closed.py for staff).
ADMIN_NAMESPACE = "admin"
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _walk(patterns, namespace=None, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = p.namespace or namespace
            if namespace and p.namespace:
                inner = f"{namespace}:{p.namespace}"
            yield from _walk(p.url_patterns, inner, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield name, namespace, prefix + str(p.pattern)


def all_routes() -> list[tuple[str, str | None, str]]:
    return list(_walk(get_resolver().url_patterns))


def api_entries() -> dict[str, Route]:
    """The API's one rule, for each of its URL names (methods from the OpenAPI schema)."""
    paths = api.get_openapi_schema(path_prefix="/api/")["paths"]
    entries = {}
    for name, namespace, route in all_routes():
        if namespace == API_NAMESPACE:
            template = "/" + PARAM.sub(r"{\1}", route)
            entries[name] = api_route(name, PARAM.findall(route), set(paths.get(template, {})))
    return entries


def entries() -> dict[str, Route]:
    return {**ROUTES, **api_entries()}


def test_every_route_has_an_entry_and_every_entry_a_route():
    routes = all_routes()
    # Unnamed patterns are allauth's permanent redirects of its old social/ paths only.
    named = {
        name
        for name, ns, _ in routes
        if ns not in (ADMIN_NAMESPACE, API_NAMESPACE) and name is not None
    }
    missing = sorted(n for n in named if n not in ROUTES)
    assert missing == [], f"add these routes to tests/access_map.py ROUTES: {missing}"
    stale = sorted(set(ROUTES) - named)
    assert stale == [], f"these entries name no route any more: {stale}"
    assert any(namespace == ADMIN_NAMESPACE for _, namespace, _ in routes)
    assert len(api_entries()) == sum(1 for _, ns, _ in routes if ns == API_NAMESPACE) > 0


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module, in a transaction rolled back at the end (a flush of every
    table takes longer than the matrix itself). What the services queue for after commit
    (e-mails, renders, deliveries) runs once the world is built, as a worker would run it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            built = build_world()
        yield built
        transaction.set_rollback(True)


@dataclass
class Cells:
    tried: int = 0
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, role, method, path, response, allowed: frozenset[int] | None):
        self.tried += 1
        status = response.status_code
        self.server_errors += status >= 500
        if status >= 500 or (allowed is not None and status not in allowed):
            expected_ = sorted(allowed) if allowed is not None else "not 500"
            self.failures.append(f"{role} {method} {path}: {status}, expected {expected_}")
        elif (
            status == 302
            and role in SIGNED_OUT
            and allowed == {302}
            and not response["Location"].startswith(LOGIN)
        ):
            self.failures.append(f"{role} {method} {path}: to {response['Location']}")


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _clients(world) -> dict[str, Client]:
    signer = _client()
    signer.get(reverse("charters:sign", args=[world.tokens["other_sign"]]))
    users = world.users
    return {
        "anonymous": _client(),
        "signer": signer,
        "outsider": _client(users["outsider"]),
        **{role: _client(users[role]) for role in MEMBERS},
    }


def _body(response) -> bytes:
    if response.streaming:
        if not hasattr(response, "read_body"):
            response.read_body = b"".join(response)
        return response.read_body
    return response.content


def _finish(response) -> None:
    """Read a file response to its end: the test client then closes it (and its file) with
    the database connection left alone; ``response.close()`` here would drop the connection."""
    _body(response)


def _check_signer(cells: Cells, name, method, path, response) -> None:
    """The holder of Globex's link sees Globex's charter, and nothing of Northwind."""
    body = _body(response)
    if b"Northwind" in body:
        cells.failures.append(f"signer {method} {path}: shows Northwind")
    opened = response.status_code == 200 and b"Globex only" in body
    if name == "charters:sign" and method == "GET" and not opened:
        cells.failures.append(f"signer GET {path}: own charter not shown")


@dataclass(frozen=True)
class Cell:
    role: str
    method: str
    path: str
    client: Callable[[], Client]
    allowed: frozenset[int] | None
    route_name: str = ""
    own_link: bool = False  # the signer role, on its own signing link


def _caller(clients, world, role: str, fresh: bool) -> Callable[[], Client]:
    """The role's client; for a route that ends the session (logout), a new login per cell."""
    if fresh and role not in SIGNED_OUT:
        return lambda: _client(world.users[role])
    return lambda: clients[role]


def _route_cells(clients, world, name: str, route: Route) -> list[Cell]:
    path = reverse(name, kwargs=fill(route, world)) + route.query
    cells = []
    for role in ROLES:
        own_link = role == "signer" and route.link
        cell_path = reverse(name, kwargs=fill(route, world, signer=True)) if own_link else path
        client = _caller(clients, world, role, route.fresh)
        for method, access in (("GET", route.get), ("POST", route.post)):
            allowed = expected(access, role, route.names_an_object)
            cells.append(Cell(role, method, cell_path, client, allowed, name, own_link))
    return cells


def _send(cells: Cells, cell: Cell, *, isolate: bool) -> None:
    client = cell.client()
    send = client.get if cell.method == "GET" else client.post
    args = (cell.path, *([{}] if cell.method == "POST" else []))
    response = isolated(send, *args) if isolate else send(*args)
    cells.check(cell.role, cell.method, cell.path, response, cell.allowed)
    if cell.own_link:
        _check_signer(cells, cell.route_name, cell.method, cell.path, response)
    _finish(response)


def _run(cells: Cells, batch: list[Cell]) -> None:
    """Try a batch of cells (one route's) in one savepoint. A batch with a 500 is rolled back
    and tried again cell by cell, each in a savepoint of its own, so a request that broke the
    transaction cannot fail the requests after it (one savepoint per request would double
    the matrix's queries)."""
    cache.clear()  # the rate limits of public pages start afresh for every route
    savepoint = transaction.savepoint_create()
    trial = Cells()
    try:
        for cell in batch:
            _send(trial, cell, isolate=False)
        broken = trial.server_errors > 0
    except DatabaseError:
        broken = True
    if broken:
        transaction.savepoint_rollback(savepoint)
        cache.clear()
        trial = Cells()
        for cell in batch:
            _send(trial, cell, isolate=True)
    else:
        transaction.savepoint_commit(savepoint)
    cells.tried += trial.tried
    cells.failures += trial.failures


def _admin_paths() -> list[str]:
    paths = []
    for _name, namespace, route in all_routes():
        if namespace == ADMIN_NAMESPACE:
            concrete = route.replace("<path:content_type_id>", "1").replace("<path:object_id>", "1")
            paths.append("/" + concrete.split("^")[0].replace("(?P<url>.*)$", "x"))
    return sorted(set(paths))


def _admin_cells(clients) -> list[Cell]:
    """One middleware guards the whole admin prefix: every caller on its front door, and every
    other admin URL as the strongest member (owner) and the weakest caller (anonymous)."""
    front = {f"/{settings.ADMIN_URL}", f"/{settings.ADMIN_URL}login/"}
    return [
        Cell(role, method, path, lambda r=role: clients[r], frozenset({404}))
        for path in _admin_paths()
        for role in (ROLES if path in front else ("owner", "anonymous"))
        for method in ("GET", "POST")
    ]


@pytest.fixture
def quiet_4xx():
    """Every 403 and 404 is logged with its traceback; only errors are worth printing here."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.django_db
def test_every_route_as_every_caller(world, capsys, quiet_4xx):
    clients = _clients(world)
    cells = Cells()
    table = entries()
    for name, route in table.items():
        _run(cells, _route_cells(clients, world, name, route))
    admin = _admin_cells(clients)
    _run(cells, admin)
    with capsys.disabled():
        print(f"\naccess matrix: {cells.tried} cells tried over {len(table)} routes and the admin")
    assert cells.failures == [], "\n".join(cells.failures)
    assert cells.tried == len(table) * len(ROLES) * 2 + len(admin)
