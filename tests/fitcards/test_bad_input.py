"""Bad input to every step and the autosave is a clear error or a clean value, never a 500,
and nothing it leaves in the draft breaks a page later (issue 12.10)."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fitcards.models import FitCardDraft
from fitcards.steps import STEPS

EDIT_STEPS = [step.slug for step in STEPS if step.slug != "review"]
ALL_STEPS = [step.slug for step in STEPS]
HUGE = "x" * 20_000


def _fields(partnership, slug: str) -> list[str]:
    step = next(s for s in STEPS if s.slug == slug)
    return list(step.form_class(partnership=partnership).fields)


def _pages_still_open(client: Client, partnership, steps=ALL_STEPS) -> None:
    """Every page that reads the draft renders after the bad input."""
    urls = [reverse("fitcards:detail", args=[partnership.uuid]), reverse("fitcards:index")]
    urls += [reverse("fitcards:step", args=[partnership.uuid, slug]) for slug in steps]
    for url in urls:
        assert client.get(url).status_code == 200, url


def _stored_text(partnership) -> str:
    draft = FitCardDraft.objects.filter(partnership=partnership).first()
    return "" if draft is None else "".join(str(v) for v in draft.data.values())


@pytest.mark.parametrize("slug", EDIT_STEPS)
def test_a_nul_byte_in_a_step_is_refused_with_a_message_and_not_stored(
    slug, manager_client, partnership
):
    data = {name: f"before\x00after {name}" for name in _fields(partnership, slug)}
    url = reverse("fitcards:step", args=[partnership.uuid, slug])
    response = manager_client.post(url, {"nav": "next", **data})
    assert response.status_code == 422
    errors = " ".join(str(e) for errs in response.context["form"].errors.values() for e in errs)
    assert "control character" in errors
    assert "\x00" not in _stored_text(partnership)
    _pages_still_open(manager_client, partnership)


@pytest.mark.parametrize("slug", ALL_STEPS)
def test_a_nul_byte_in_the_autosave_is_stripped_and_said(slug, manager_client, partnership):
    fields = _fields(partnership, slug)
    data = {name: "typed\x00 text\x07 here\tand\r\nthere" for name in fields}
    url = reverse("fitcards:autosave", args=[partnership.uuid, slug])
    response = manager_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    if fields:
        assert "control characters were removed" in response.content.decode()
        draft = FitCardDraft.objects.get(partnership=partnership)
        assert draft.data[fields[-1]] in ("typed text here\tand\r\nthere", "")
    assert "\x00" not in _stored_text(partnership)
    _pages_still_open(manager_client, partnership)


@pytest.mark.parametrize("slug", EDIT_STEPS)
def test_huge_input_is_refused_with_the_limit_and_stored_cut(slug, manager_client, partnership):
    fields = _fields(partnership, slug)
    url = reverse("fitcards:step", args=[partnership.uuid, slug])
    response = manager_client.post(url, {"nav": "next", **dict.fromkeys(fields, HUGE)})
    assert response.status_code == 422
    errors = " ".join(str(e) for errs in response.context["form"].errors.values() for e in errs)
    assert "at most" in errors or "valid" in errors
    draft = FitCardDraft.objects.get(partnership=partnership)
    assert all(len(draft.data[name]) <= 5000 for name in fields)
    response = manager_client.post(
        reverse("fitcards:autosave", args=[partnership.uuid, slug]), dict.fromkeys(fields, HUGE)
    )
    assert response.status_code == 200
    assert "was cut" in response.content.decode()
    _pages_still_open(manager_client, partnership)


@pytest.mark.parametrize("slug", EDIT_STEPS)
def test_unicode_is_kept_as_written(slug, manager_client, partnership):
    text = "Zürich 東京 مرحبا 👩🏽‍💻 e\u0301 ‮rtl‬"
    fields = [f for f in _fields(partnership, slug) if not f.startswith(("kind_", "deferral_d"))]
    fields = [f for f in fields if f != "unwind_authorizer"]
    url = reverse("fitcards:autosave", args=[partnership.uuid, slug])
    assert manager_client.post(url, dict.fromkeys(fields, text)).status_code == 200
    draft = FitCardDraft.objects.get(partnership=partnership)
    assert all(draft.data[name] == text for name in fields)
    page = manager_client.get(reverse("fitcards:step", args=[partnership.uuid, slug]))
    assert "東京" in page.content.decode()


def test_wrong_types_in_the_claim_are_field_errors(manager_client, partnership, answers):
    url = reverse("fitcards:step", args=[partnership.uuid, "claim"])
    bad = {
        **answers["claim"],
        "deferral_date": "99999-99-99",
        "unwind_authorizer": "not-a-uuid\x00",
    }
    response = manager_client.post(url, {"nav": "next", **bad})
    assert response.status_code == 422
    assert {"deferral_date", "unwind_authorizer"} <= set(response.context["form"].errors)
    response = manager_client.post(url, {"nav": "next", **answers["claim"], "deferral_date": "0"})
    assert "deferral_date" in response.context["form"].errors
    evidence = reverse("fitcards:step", args=[partnership.uuid, "evidence"])
    response = manager_client.post(evidence, {"nav": "next", "kind_1": "[]", "artifact_1": "A"})
    assert "kind_1" in response.context["form"].errors
    _pages_still_open(manager_client, partnership)


def test_duplicate_keys_take_the_last_value_in_form_and_draft(manager_client, partnership):
    url = reverse("fitcards:step", args=[partnership.uuid, "capability"])
    body = "nav=save&capability_provided=first&capability_provided=second&uncertainty_reduced=u"
    body += "&nav=next&uncertainty_reduced=\x00"
    response = manager_client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    draft = FitCardDraft.objects.get(partnership=partnership)
    assert draft.data["capability_provided"] == "second"
    assert draft.data["uncertainty_reduced"] == ""
    _pages_still_open(manager_client, partnership)


def test_out_of_range_revision_numbers_are_404(viewer_client, partnership):
    for name, query in (
        ("fitcards:compare", "?a=1&b=99999999999999999999"),
        ("fitcards:compare", "?a=-1&b=0"),
        ("fitcards:pdf", "?revision=99999999999999999999"),
    ):
        url = reverse(name, args=[partnership.uuid]) + query
        assert viewer_client.get(url).status_code == 404, url


_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(["", " ", "\x00", "\x00" * 3, "a\x1bb", "\ufeff", "é\u0301", "0", "-1"]),
    st.sampled_from(["9" * 30, "2024-02-30", "10000-01-01", "0001-01-01", "true", "[]", "{}"]),
    st.just("y" * 6000),
)


@pytest.mark.parametrize("slug", ALL_STEPS)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_generated_values_never_make_a_server_error(slug, data, manager_client, partnership):
    fields = _fields(partnership, slug) + ["nav"]
    values = {name: data.draw(_text, label=name) for name in fields}
    step_url = reverse("fitcards:step", args=[partnership.uuid, slug])
    autosave_url = reverse("fitcards:autosave", args=[partnership.uuid, slug])
    assert manager_client.post(step_url, values).status_code in (200, 302, 422)
    assert manager_client.post(autosave_url, values).status_code == 200
    assert "\x00" not in _stored_text(partnership)
    _pages_still_open(manager_client, partnership, steps=[slug, "review"])
