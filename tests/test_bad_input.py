"""Bad input is a clear error, never a 500 (issue 12.10).

Hypothesis posts generated values to the forms of the main routes and puts them in their query
strings: empty values, huge ones, unicode, NUL bytes, numbers where text is expected, extreme
numbers and dates, duplicate keys. Each form's fields are read from the page that shows it, so
a new field is fuzzed without touching this file. After each route, its page and the pages
that list what it writes must still open: nothing stored may break a later page.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import build_world, isolated

EXAMPLES = 25
FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
SKIP_FIELDS = {"csrfmiddlewaretoken"}

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
SCALAR = st.one_of(
    st.just(""),
    TEXT,
    TEXT.map(lambda t: f"{t}\x00{t}"),
    st.just("x" * 20_000),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "9999-12-31",
            "0001-01-01",
            "2026-02-30",
            "99999-01-01",
            "-1",
            "922337203685477581",
            "1e309",
            "true",
            "on",
            "null",
            "[]",
            '{"a": 1}',
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "🙂" * 300,
            "00000000-0000-0000-0000-000000000000",
            "not-a-uuid",
        ]
    ),
    st.uuids().map(str),
)
VALUE = st.one_of(SCALAR, st.lists(SCALAR, min_size=2, max_size=3))  # a list: duplicate keys


def data_for(fields: list[str]):
    """Some of ``fields`` (and an unexpected one) with generated values."""
    names = [*fields, "unexpected"]
    return st.dictionaries(st.sampled_from(names), VALUE, max_size=len(names))


def _p(w):
    return {"partnership_uuid": w.objects["partnership"].uuid}


def _u(name, key="uuid"):
    return lambda w: {key: w.objects[name].uuid}


# (route, URL kwargs, the route whose page shows the form when it is not the route itself)
POSTED = [
    ("partnerships:partner_create", None, None),
    ("partnerships:partner_edit", _u("partner"), None),
    ("partnerships:contact_create", _u("partner"), ("partnerships:partner_detail", "uuid")),
    (
        "partnerships:contact_edit",
        lambda w: {"uuid": w.objects["partner"].uuid, "contact_uuid": w.objects["contact"].uuid},
        None,
    ),
    ("partnerships:partnership_create", None, None),
    ("partnerships:partnership_edit", _p, None),
    ("partnerships:partnership_status", _p, ("partnerships:partnership_detail", "partnership")),
    ("partnerships:partnership_flow", lambda w: {**_p(w), "slug": "crawl-to-walk"}, None),
    ("partnerships:partnership_flow", lambda w: {**_p(w), "slug": "tier"}, None),
    ("partnerships:flow_build_vs_partner", None, None),
    ("partnerships:flow_program", None, None),
    ("partnerships:launch_plan", _p, None),
    ("partnerships:launch_item_edit", _u("launch_item", "item_uuid"), None),
    ("partnerships:launch_item_toggle", _u("launch_item", "item_uuid"), ["done"]),
    ("accounts:onboarding", None, None),
    ("accounts:settings", None, None),
    ("accounts:profile", None, None),
    ("accounts:invite", None, ("accounts:members", None)),
    ("accounts:change_role", _u("spare_membership", "membership_uuid"), ["role", "can_approve"]),
    ("fitcards:step", lambda w: {**_p(w), "step": "claim"}, None),
    ("fitcards:autosave", lambda w: {**_p(w), "step": "capability"}, ("fitcards:step", "step")),
    ("evidence:entry_new", None, None),
    ("evidence:entry_correct", _u("entry"), None),
    ("evidence:decision_new", _u("partnership"), None),
    ("evidence:decision_review", _u("decision"), ("evidence:decision_detail", "uuid")),
    ("charters:edit", _p, None),
    ("charters:send", _u("version", "version_uuid"), None),
    ("charters:void", _u("request", "request_uuid"), ["reason"]),
    ("charters:verify", None, None),
    ("reviews:review", _u("review"), None),
    ("reviews:calendar", None, None),
    ("account_login", None, None),
    ("account_signup", None, None),
    ("account_reset_password", None, None),
]
# (route, URL kwargs, the query parameters it reads besides its filter form's fields)
QUERIED = [
    ("partnerships:partner_list", None, ["page"]),
    ("partnerships:partnership_create", None, ["partner", "flow"]),
    ("partnerships:flow_build_vs_partner", None, ["partner", "core", "roadmap", "needs_us"]),
    ("partnerships:partnership_flow", lambda w: {**_p(w), "slug": "crawl-to-walk"}, ["crawl_met"]),
    ("partnerships:flow_history", None, []),
    ("dashboard", None, []),
    ("evidence:log", None, ["q", "page", "partnership", "quality", "sort"]),
    ("evidence:partnership_log", _u("partnership"), ["q", "page"]),
    ("evidence:export_csv", None, ["partnership", "q"]),
    ("evidence:entry_new", None, ["partnership"]),
    ("fitcards:compare", _p, ["a", "b"]),
    ("fitcards:history", _p, ["page"]),
    ("charters:list", None, ["page", "state"]),
    ("charters:compare", _p, ["a", "b"]),
    ("reviews:list", None, ["state", "page", "mine"]),
    ("notifications:outbox", None, ["state", "page"]),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield build_world()
        call_command("flush", interactive=False, verbosity=0, stdout=io.StringIO())


def _owner(world) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users["owner"])
    return client


def _fields(client, path: str) -> list[str]:
    response = client.get(path)
    if response.streaming or "html" not in response.get("Content-Type", ""):
        return []
    page = response.content.decode(errors="replace")
    return sorted({name for name in FIELD.findall(page) if name not in SKIP_FIELDS})


def _form_fields(client, world, name, kwargs, host) -> list[str]:
    if isinstance(host, list):
        return host
    if host is None:
        return _fields(client, reverse(name, kwargs=kwargs))
    host_name, host_key = host
    host_kwargs = dict(kwargs or {})
    if host_key == "partnership":
        host_kwargs = {"partnership_uuid": world.objects["partnership"].uuid}
    elif host_key == "step":
        host_kwargs = {**host_kwargs, "step": "capability"}
    elif host_key is None:
        host_kwargs = {}
    return _fields(client, reverse(host_name, kwargs=host_kwargs))


def _later_pages(world) -> list[str]:
    return [
        reverse("dashboard"),
        reverse("partnerships:partner_list"),
        reverse("partnerships:partnership_detail", kwargs=_p(world)),
        reverse("evidence:log"),
        reverse("charters:detail", kwargs=_p(world)),
        reverse("reviews:list"),
        reverse("accounts:members"),
        reverse("accounts:settings"),
    ]


def _fuzz(send, path, fields, failures, label):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=data_for(fields))
    def run(data):
        cache.clear()  # rate limits must not hide what the view does with the input
        status = isolated(send, path, data).status_code
        if status == 500:
            failures.append(f"{label} {path} {sorted(data)!r}: 500")

    run()


@pytest.mark.django_db
def test_posted_forms_never_answer_500(world):
    client = _owner(world)
    failures: list[str] = []
    for name, kwargs_of, host in POSTED:
        kwargs = kwargs_of(world) if kwargs_of else None
        path = reverse(name, kwargs=kwargs)
        fields = _form_fields(client, world, name, kwargs, host)
        anonymous = name.startswith("account_")
        sender = Client(raise_request_exception=False) if anonymous else client
        _fuzz(sender.post, path, fields, failures, f"POST {name}")
        if not anonymous and isolated(client.get, path).status_code == 500:
            failures.append(f"GET {path} after fuzzing {name}: 500")
    for page in _later_pages(world):  # what was stored must not break a later page
        if isolated(client.get, page).status_code == 500:
            failures.append(f"GET {page} after every form was fuzzed: 500")
    assert failures == [], "\n".join(failures[:40])


@pytest.mark.django_db
def test_query_parameters_never_answer_500(world):
    client = _owner(world)
    failures: list[str] = []
    for name, kwargs_of, params in QUERIED:
        kwargs = kwargs_of(world) if kwargs_of else None
        path = reverse(name, kwargs=kwargs)
        fields = sorted({*_fields(client, path), *params})
        _fuzz(client.get, path, fields, failures, f"GET {name}")
    assert failures == [], "\n".join(failures[:40])


@pytest.mark.django_db
def test_a_signing_link_takes_bad_input_without_a_500(world):
    client = Client(raise_request_exception=False)
    path = reverse("charters:sign", args=[world.tokens["sign"]])
    failures: list[str] = []
    _fuzz(client.post, path, [*_fields(client, path), "action"], failures, "POST charters:sign")
    malformed = ["%00", "x" * 5000, "%F0%9F%99%82", "..%2F..", "%25", "a%0Ab"]
    for token in malformed:
        for prefix, suffix in (
            ("/charters/sign/", "/"),
            ("/charters/sign/", "/document.pdf"),
            ("/reviews/calendar/", ".ics"),
            ("/org/invitations/accept/", "/"),
        ):
            status = isolated(client.get, f"{prefix}{token}{suffix}").status_code
            if status == 500:
                failures.append(f"GET {prefix}{token[:10]}{suffix}: 500")
    assert failures == [], "\n".join(failures)


KNOWN = [
    "/evidence/?q=x&page=922337203685477581",
    "/evidence/?page=-1",
    "/evidence/new/?partnership=abc",
    "/evidence/export/csv/?partnership=abc",
    "/evidence/export/pdf/?partnership=abc",
    "/partnerships/new/?partner=abc",
    "/partnerships/new/?flow=abc",
    "/partnerships/new/?partner=%00",
    "/decisions/build-vs-partner/?partner=",
    "/decisions/build-vs-partner/?partner=abc",
    "/partners/?page=922337203685477581&tier=99999999999999999999&owner=%00",
    "/fit-cards/?page=abc",
]


@pytest.mark.django_db
def test_the_inputs_that_once_gave_500s_are_clear_errors(world):
    client = _owner(world)
    statuses = {url: isolated(client.get, url).status_code for url in KNOWN}
    assert {url: s for url, s in statuses.items() if s >= 500} == {}
