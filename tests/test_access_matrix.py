"""Every URL, tried as every role and as a member of another organization (SPEC §8).

The demo data gives Northwind objects of every kind. For each URL pattern of our apps the test
fills the UUIDs in the route with real Northwind objects and checks:

- an anonymous visitor is sent to the login page;
- a Globex member never sees a Northwind object (404, or 405 for a POST-only URL);
- a viewer's POST to a manager- or owner-only URL is refused with 403;
- every view is either role-checked (``member_required``) or on the short public list.
"""

import io
import re
import uuid

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

OUR_NAMESPACES = {
    "accounts",
    "partnerships",
    "fitcards",
    "evidence",
    "charters",
    "reviews",
    "notifications",
}
# Reachable without membership by design: invitation and signing links, verification, the
# secret calendar feed, and the root redirect.
PUBLIC = re.compile(
    r"^(accounts:invitation_accept|accounts:onboarding|accounts:switch|accounts:profile"
    r"|partnerships:home|charters:sign.*|charters:verify.*|charters:public.*|charters:signing.*"
    r"|reviews:calendar_feed|reviews:ical.*|reviews:feed.*)$"
)
OUR_APPS = ["accounts", "partnerships", "fitcards", "evidence", "charters", "reviews"]


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and (namespace in OUR_NAMESPACES or p.name == "dashboard"):
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield name, prefix + str(p.pattern), p.callback


def our_routes():
    return list(_walk(get_resolver().url_patterns))


def _uuid_models():
    """Models of our apps that carry a uuid and belong to an organization."""
    found = {}
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            names = {f.name for f in model._meta.get_fields()}
            if "uuid" in names:
                found[model._meta.model_name] = model
    return found


def _scoped_first(model, org):
    names = {f.name for f in model._meta.get_fields()}
    qs = model.objects.all()
    if "organization" in names:
        qs = qs.filter(organization=org)
    elif "partnership" in names:
        qs = qs.filter(partnership__organization=org)
    else:
        return None
    return qs.order_by("pk").first()


def _objects_for(kwarg, view, models, org):
    """Northwind objects that may fill a URL kwarg.

    ``partnership_uuid`` names its model; a bare ``uuid`` could be any model of the view's app
    (or a partnership/partner), so every candidate is tried.
    """
    key = kwarg.removesuffix("_uuid").replace("_", "")
    if key != "uuid":
        model = models.get(key)
        if model is None:
            matches = [m for name, m in models.items() if name.endswith(key)]
            model = matches[0] if len(matches) == 1 else None
        candidates = [model] if model else []
    else:
        app = view.__module__.split(".")[0]
        candidates = [m for m in models.values() if m._meta.app_label == app]
        candidates += [models["partnership"], models["partner"]]
    found = [_scoped_first(m, org) for m in candidates]
    return [obj for obj in found if obj is not None]


def _fill(route, view, org, models):
    """Concrete paths for a route, one per candidate object ([] if it can't be filled)."""
    paths = ["/" + route]
    for conv, kwarg in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        if conv == "uuid":
            values = [str(o.uuid) for o in _objects_for(kwarg, view, models, org)]
        elif conv == "int":
            values = ["1"]
        else:
            return []  # tokens and slugs: public links, tested in their apps
        pattern = rf"<(?:\w+:)?{kwarg}>"
        paths = [re.sub(pattern, v, p, count=1) for p in paths for v in values]
    return paths


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        from accounts.models import Organization, User

        northwind = Organization.objects.get(slug="northwind")
        users = {
            u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.test")
        }
        yield northwind, users
        # module-scoped data: leave the test database clean for other modules
        call_command("flush", interactive=False, verbosity=0)


def _client(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


def test_every_view_checks_the_role_or_is_deliberately_public():
    unguarded = [
        name
        for name, _route, view in our_routes()
        if not hasattr(view, "required_role") and not PUBLIC.match(name)
    ]
    assert unguarded == [], f"views without member_required(): {unguarded}"


@pytest.mark.django_db
def test_another_organization_never_reaches_a_northwind_object(demo):
    northwind, users = demo
    models = _uuid_models()
    outsider = _client(users["other"])
    tried = 0
    for name, route, _view in our_routes():
        if "<" not in route or PUBLIC.match(name):
            continue
        for path in _fill(route, _view, northwind, models):
            tried += 1
            get = outsider.get(path)
            assert get.status_code in (404, 405), f"GET {name} {path} gave {get.status_code}"
            post = outsider.post(path, {})
            assert post.status_code in (404, 405), f"POST {name} {path} gave {post.status_code}"
    assert tried >= 30, "the demo data should cover the object URLs"


@pytest.mark.django_db
def test_a_viewer_cannot_write_anywhere(demo):
    northwind, users = demo
    models = _uuid_models()
    viewer = _client(users["viewer"])
    checked = 0
    for name, route, view in our_routes():
        if getattr(view, "required_role", "viewer") == "viewer":
            continue
        for path in _fill(route, view, northwind, models):
            response = viewer.post(path, {})
            # 404 only when a bare <uuid> was filled with an object of another kind
            assert response.status_code in (403, 404, 405), f"POST {name} {path}"
            checked += response.status_code == 403
    assert checked >= 15


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(demo):
    northwind, _users = demo
    models = _uuid_models()
    anonymous = Client()
    for name, route, _view in our_routes():
        if PUBLIC.match(name):
            continue
        for path in _fill(route, _view, northwind, models):
            response = anonymous.get(path)
            assert response.status_code in (302, 405), f"GET {name} gave {response.status_code}"
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"], name


@pytest.mark.django_db
def test_made_up_ids_are_404_not_500(demo):
    _northwind, users = demo
    owner = _client(users["owner"])
    for name, route, _view in our_routes():
        if "<uuid:" not in route or PUBLIC.match(name):
            continue
        path = "/" + re.sub(r"<uuid:\w+>", str(uuid.uuid4()), route)
        if "<" in path:
            continue
        response = owner.get(path)
        assert response.status_code in (404, 405), f"{name} gave {response.status_code}"
