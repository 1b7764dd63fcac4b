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


def _object_for(kwarg, models, org):
    """A Northwind object for a URL kwarg such as ``partnership_uuid``."""
    key = kwarg.removesuffix("_uuid").replace("_", "")
    model = models.get(key)
    if model is None:
        candidates = [m for name, m in models.items() if name.endswith(key) or key in name]
        model = candidates[0] if len(candidates) == 1 else None
    if model is None:
        return None
    names = {f.name for f in model._meta.get_fields()}
    qs = model.objects.all()
    if "organization" in names:
        qs = qs.filter(organization=org)
    elif "partnership" in names:
        qs = qs.filter(partnership__organization=org)
    return qs.order_by("pk").first()


def _fill(route, org, models):
    """Turn a route with <uuid:...> converters into a concrete path, or None if unknown."""
    path = route
    for conv, kwarg in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        if conv == "uuid":
            obj = _object_for(kwarg, models, org)
            if obj is None:
                return None
            value = str(obj.uuid)
        elif conv == "int":
            value = "1"
        else:
            return None  # tokens and slugs: public links, tested in their apps
        path = re.sub(rf"<(?:\w+:)?{kwarg}>", value, path, count=1)
    return "/" + path


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
        path = _fill(route, northwind, models)
        if path is None:
            continue
        tried += 1
        get = outsider.get(path)
        assert get.status_code in (404, 405), f"GET {name} {path} gave {get.status_code}"
        post = outsider.post(path, {})
        assert post.status_code in (404, 405), f"POST {name} {path} gave {post.status_code}"
    assert tried >= 10, "the demo data should cover the object URLs"


@pytest.mark.django_db
def test_a_viewer_cannot_write_anywhere(demo):
    northwind, users = demo
    models = _uuid_models()
    viewer = _client(users["viewer"])
    checked = 0
    for name, route, view in our_routes():
        if getattr(view, "required_role", "viewer") == "viewer":
            continue
        path = _fill(route, northwind, models) if "<" in route else "/" + route
        if path is None:
            continue
        response = viewer.post(path, {})
        assert response.status_code in (403, 405), f"POST {name} {path} gave {response.status_code}"
        checked += 1
    assert checked >= 10


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(demo):
    northwind, _users = demo
    models = _uuid_models()
    anonymous = Client()
    for name, route, _view in our_routes():
        if PUBLIC.match(name):
            continue
        path = _fill(route, northwind, models) if "<" in route else "/" + route
        if path is None:
            continue
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
