"""Every route, tried with GET and POST as every kind of caller (issue 12.1, SPEC §8).

``ROUTES`` maps EVERY URL name of the project (the resolver is walked, namespaces included;
a route without an entry fails the test) to the objects that fill it, made by
``tests.factories.build_world``, and to who may use it. Each route is then tried by:

- ``anonymous``: a member-only route sends them to the login page;
- ``signer``: a visitor holding a signing link of ANOTHER organization's charter, who must
  never see Northwind's (and is anonymous everywhere else);
- ``outsider``: an owner of Globex, for whom a Northwind object is a 404;
- ``viewer``, ``manager``, ``owner`` of Northwind: a role below the route's is a 403 (a
  viewer's write, a manager's owner-only action); a role at or above it gets the page.

Nothing, anywhere, is a 500. The number of cells tried is printed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import build_world, isolated

RANK = {"viewer": 0, "manager": 1, "owner": 2}
MEMBERS = ("viewer", "manager", "owner")
ROLES = ("anonymous", "signer", "outsider", *MEMBERS)
LOGIN = "/accounts/login/"


@dataclass(frozen=True)
class Access:
    """Who may use one method of a route.

    ``level``: ``public`` (anyone), ``login`` (any signed-in person), ``viewer`` / ``manager``
    / ``owner`` (a member with at least that role), ``approver`` (the decision's named
    approver: Northwind's owner here), ``signer`` (the signer's own account: the manager here;
    any other member gets a 404), or ``None`` (the method is refused first, 405, for all).
    ``ok``: what a permitted caller gets, when not the page itself (a 405 behind a role check).
    """

    level: str | None
    ok: frozenset[int] = frozenset()


def A(level, ok=()):  # noqa: N802 (reads as a table)
    return Access(level, frozenset(ok))


NO = A(None)


@dataclass(frozen=True)
class Route:
    get: Access
    post: Access
    kwargs: object = None  # world -> URL kwargs (Northwind objects)
    query: str = ""
    token: bool = False  # a personal signing link: the signer role uses its own
    fresh: bool = False  # the POST ends the session (logout): a new client per cell


def _o(name, key="uuid", attr="uuid"):
    return lambda w: {key: getattr(w.objects[name], attr)}


def _p(key="partnership_uuid", name="partnership"):
    return _o(name, key)


def _contact(w):
    return {"uuid": w.objects["partner"].uuid, "contact_uuid": w.objects["contact"].uuid}


V, M, OWN = A("viewer"), A("manager"), A("owner")
PUBLIC = A("public")
ROUTES: dict[str, Route] = {
    # partnerships
    "partnerships:home": Route(V, V),
    "dashboard": Route(V, V),
    "partnerships:partner_list": Route(V, V),
    "partnerships:partner_create": Route(M, M),
    "partnerships:partner_detail": Route(V, V, _o("partner")),
    "partnerships:partner_edit": Route(M, M, _o("partner")),
    "partnerships:contact_create": Route(NO, M, _o("partner")),
    "partnerships:contact_row": Route(
        V,
        V,
        lambda w: {"uuid": w.objects["partner"].uuid, "contact_uuid": w.objects["contact"].uuid},
    ),
    "partnerships:contact_edit": Route(
        M,
        M,
        lambda w: {"uuid": w.objects["partner"].uuid, "contact_uuid": w.objects["contact"].uuid},
    ),
    "partnerships:partnership_create": Route(M, M),
    "partnerships:partnership_detail": Route(V, V, _p()),
    "partnerships:partnership_edit": Route(M, M, _p()),
    "partnerships:partnership_status": Route(NO, M, _p()),
    "partnerships:partnership_flow": Route(
        V, M, lambda w: {"partnership_uuid": w.objects["partnership"].uuid, "slug": "crawl-to-walk"}
    ),
    "partnerships:launch_plan": Route(V, M, _p()),
    "partnerships:launch_item_toggle": Route(NO, M, _o("launch_item", "item_uuid")),
    "partnerships:launch_item_edit": Route(M, M, _o("launch_item", "item_uuid")),
    "partnerships:flow_history": Route(V, V),
    "partnerships:flow_build_vs_partner": Route(V, M),
    "partnerships:flow_program": Route(V, OWN),
    # accounts
    "accounts:onboarding": Route(A("login"), A("login")),
    "accounts:switch": Route(A("login", ok={405}), V, lambda w: {"org_uuid": w.org.uuid}),
    "accounts:settings": Route(OWN, OWN),
    "accounts:profile": Route(A("login"), A("login")),
    "accounts:members": Route(V, V),
    "accounts:invite": Route(A("owner", ok={405}), OWN),
    "accounts:change_role": Route(
        A("owner", ok={405}), OWN, _o("spare_membership", "membership_uuid")
    ),
    "accounts:remove_member": Route(
        A("owner", ok={405}), OWN, _o("spare_membership", "membership_uuid")
    ),
    "accounts:revoke_invitation": Route(
        A("owner", ok={405}), OWN, _o("invitation", "invitation_uuid")
    ),
    "accounts:invitation_accept": Route(
        PUBLIC, PUBLIC, lambda w: {"token": w.tokens["invitation"]}
    ),
    # fit cards
    "fitcards:index": Route(V, A("viewer", ok={405})),
    "fitcards:blank_fitcard": Route(V, A("viewer", ok={405})),
    "fitcards:blank_evidence_log": Route(V, A("viewer", ok={405})),
    "fitcards:detail": Route(V, A("viewer", ok={405}), _p()),
    "fitcards:edit": Route(M, A("manager", ok={405}), _p()),
    "fitcards:step": Route(
        M, M, lambda w: {"partnership_uuid": w.objects["partnership"].uuid, "step": "capability"}
    ),
    "fitcards:autosave": Route(
        A("manager", ok={405}),
        M,
        lambda w: {"partnership_uuid": w.objects["partnership"].uuid, "step": "capability"},
    ),
    "fitcards:finish": Route(A("manager", ok={405}), M, _p()),
    "fitcards:discard": Route(A("manager", ok={405}), M, _p()),
    "fitcards:history": Route(V, A("viewer", ok={405}), _p()),
    "fitcards:compare": Route(V, A("viewer", ok={405}), _p(), query="?a=1&b=1"),
    "fitcards:pdf": Route(V, A("viewer", ok={405}), _p()),
    # evidence
    "evidence:log": Route(V, NO),
    "evidence:entry_new": Route(M, M),
    "evidence:export_csv": Route(V, NO),
    "evidence:export_pdf": Route(V, NO),
    "evidence:policy": Route(NO, OWN),
    "evidence:entry_detail": Route(V, NO, _o("entry")),
    "evidence:entry_correct": Route(M, M, _o("entry")),
    "evidence:entry_file": Route(V, NO, _o("entry")),
    "evidence:partnership_log": Route(V, NO, _o("partnership")),
    "evidence:decision_new": Route(M, M, _o("partnership")),
    "evidence:decision_detail": Route(V, NO, _o("decision")),
    "evidence:decision_review": Route(NO, A("approver"), _o("decision")),
    # charters
    "charters:list": Route(V, V),
    "charters:verify": Route(PUBLIC, PUBLIC),
    "charters:detail": Route(V, V, _p()),
    "charters:edit": Route(M, M, _p()),
    "charters:compare": Route(V, V, _p()),
    "charters:send": Route(M, M, _o("version", "version_uuid")),
    "charters:document": Route(V, V, _o("version", "version_uuid")),
    "charters:void": Route(A("manager", ok={405}), M, _o("request", "request_uuid")),
    "charters:executed_pdf": Route(V, V, _o("executed_request", "request_uuid")),
    "charters:sign_member": Route(A("signer"), A("signer"), _o("our_signer", "signer_uuid")),
    "charters:remind": Route(A("manager", ok={405}), M, _o("partner_signer", "signer_uuid")),
    "charters:sign": Route(PUBLIC, PUBLIC, lambda w: {"token": w.tokens["sign"]}, token=True),
    "charters:sign_document": Route(PUBLIC, NO, lambda w: {"token": w.tokens["sign"]}, token=True),
    "charters:sign_executed": Route(PUBLIC, NO, lambda w: {"token": w.tokens["sign"]}, token=True),
    # health reviews
    "reviews:list": Route(V, V),
    "reviews:review": Route(V, M, _o("review")),
    "reviews:history": Route(V, V, _o("walking")),
    "reviews:calendar": Route(V, V),
    "reviews:feed": Route(PUBLIC, NO, lambda w: {"token": w.tokens["feed"]}),
    # the e-mail outbox (owners)
    "notifications:outbox": Route(OWN, OWN),
    "notifications:retry": Route(A("owner", ok={405}), OWN, _o("email")),
}
# django-allauth's pages are the login itself: open to anyone, never a 500.
ALLAUTH = {
    "account_login": {},
    "account_logout": {},
    "account_inactive": {},
    "account_signup": {},
    "account_reauthenticate": {},
    "account_request_reauthentication_code": {},
    "account_confirm_reauthentication_code": {},
    "account_email": {},
    "account_email_verification_sent": {},
    "account_change_password": {},
    "account_set_password": {},
    "account_reset_password": {},
    "account_confirm_login_code": {},
    "account_confirm_email": {"key": "not-a-key"},
    "account_reset_password_from_key_done": {},
    "account_reset_password_from_key": {"uidb36": "1", "key": "not-a-key"},
    "account_reset_password_done": {},
}
for _name, _kwargs in ALLAUTH.items():
    ROUTES[_name] = Route(
        PUBLIC, PUBLIC, (lambda kw: lambda w: kw)(_kwargs), fresh=_name == "account_logout"
    )
# The Django admin: no one in this matrix is staff, so every admin URL is a 404 (see
# tests/accounts/test_closed.py for staff).
ADMIN_NAMESPACE = "admin"


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


def test_every_route_has_an_entry_and_every_entry_a_route():
    routes = all_routes()
    named = {name for name, namespace, _ in routes if namespace != ADMIN_NAMESPACE}
    missing = sorted(n for n in named if n not in ROUTES)
    assert missing == [], f"add these routes to ROUTES (objects and access): {missing}"
    stale = sorted(set(ROUTES) - named)
    assert stale == [], f"these entries name no route any more: {stale}"
    assert any(namespace == ADMIN_NAMESPACE for _, namespace, _ in routes)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield build_world()
        call_command("flush", interactive=False, verbosity=0, stdout=io.StringIO())


@dataclass
class Cells:
    tried: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, role, method, path, response, allowed: set[int] | None, note=""):
        self.tried += 1
        status = response.status_code
        if status == 500 or (allowed is not None and status not in allowed):
            expected = sorted(allowed) if allowed is not None else "not 500"
            self.failures.append(f"{role} {method} {path}: {status}, expected {expected} {note}")
        elif status == 302 and allowed == {302, 405} and LOGIN not in response["Location"]:
            self.failures.append(f"{role} {method} {path}: redirected to {response['Location']}")


def _permitted(level, role) -> bool:
    if level in ("public", "login"):
        return True
    if level == "approver":
        return role == "owner"
    if level == "signer":
        return role == "manager"
    return RANK[role] >= RANK[level]


def expected(access: Access, role: str, names_an_object: bool) -> set[int] | None:
    """The statuses a cell may answer with; None means anything but a 500."""
    level = access.level
    if level == "public":
        return None
    if level is None:
        return {405}
    if role in ("anonymous", "signer"):
        return {302, 405}
    if role == "outsider":
        if access.ok:
            return set(access.ok)
        return {404} if names_an_object else PAGE
    if not _permitted(level, role):
        return {404} if level == "signer" else {403}
    return set(access.ok) or PAGE


PAGE = {200, 201, 204, 302, 400, 409, 410, 422}  # the page, a redirect, or a form error


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


def _admin_paths() -> list[str]:
    paths = []
    for _name, namespace, route in all_routes():
        if namespace == ADMIN_NAMESPACE:
            concrete = route.replace("<path:content_type_id>", "1").replace("<path:object_id>", "1")
            paths.append("/" + concrete.split("^")[0].replace("(?P<url>.*)$", "x"))
    return sorted(set(paths))


@pytest.mark.django_db
def test_every_route_as_every_caller(world, capsys):
    cache.clear()  # rate limits of the signing pages start afresh
    clients = _clients(world)
    cells = Cells()
    for name, route in ROUTES.items():
        kwargs = route.kwargs(world) if route.kwargs else {}
        path = reverse(name, kwargs=kwargs) + route.query
        northwind_object = bool(route.kwargs) and not route.token and name not in ALLAUTH
        for role in ROLES:
            cell_path = path
            if route.token and role == "signer":
                cell_path = reverse(name, kwargs={"token": world.tokens["other_sign"]})
            for method, access in (("GET", route.get), ("POST", route.post)):
                client = clients[role]
                if route.fresh and role not in ("anonymous", "signer"):
                    client = _client(world.users[role])
                send = client.get if method == "GET" else client.post
                response = isolated(send, cell_path, *([{}] if method == "POST" else []))
                cells.check(
                    role, method, cell_path, response, expected(access, role, northwind_object)
                )
                if route.token and role == "signer":
                    body = b"".join(response) if response.streaming else response.content
                    if b"Northwind" in body:
                        cells.failures.append(f"signer {method} {cell_path}: shows Northwind")
                    if name == "charters:sign" and method == "GET":
                        # the signer's own link still opens their own charter
                        opened = response.status_code == 200 and b"Globex only" in body
                        if not opened:
                            cells.failures.append(f"signer GET {cell_path}: own charter not shown")
    # One middleware guards the whole admin prefix: every caller on its front door, and every
    # other admin URL as the strongest member (owner) and the weakest caller (anonymous).
    front = {f"/{settings.ADMIN_URL}", f"/{settings.ADMIN_URL}login/"}
    for path in _admin_paths():
        callers = ROLES if path in front else ("owner", "anonymous")
        for role in callers:
            for method in ("GET", "POST"):
                send = clients[role].get if method == "GET" else clients[role].post
                cells.check(role, method, path, isolated(send, path), {404})
    with capsys.disabled():
        print(f"\naccess matrix: {cells.tried} cells tried over {len(ROUTES)} routes")
    assert cells.failures == [], "\n".join(cells.failures)
    assert cells.tried >= len(ROUTES) * len(ROLES) * 2
