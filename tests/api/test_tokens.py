"""API tokens: stored only as a hash, scoped, expiring, revocable, tied to their maker, rate
limited, and made only by owners on the settings page (shown once)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from api.models import ApiToken
from api.tokens import token_authenticate
from core.tokens import hash_token

from .conftest import Api, make_token

pytestmark = pytest.mark.django_db


def _every_text_value() -> str:
    """Every value of every column of the token table, as one string."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608 (a constant)
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_a_token_is_stored_only_as_its_hash(org, owner):
    raw = make_token(org, owner, "read")
    stored = _every_text_value()
    assert raw not in stored
    assert raw[10:] not in stored  # not even the random part beyond the shown prefix
    assert hash_token(raw) in stored
    assert ApiToken.objects.get().prefix == raw[:10]


def test_a_read_token_reads_and_may_not_write(world, reader):
    assert reader.get("/partners").status_code == 200
    response = reader.post("/partners", {"name": "Initech"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_write_token_writes_as_its_maker(world, writer, owner):
    response = writer.post("/partners", {"name": "Initech"})
    assert response.status_code == 201
    body = writer.get(f"/partnerships/{world['partnership']}/history").json()
    response = writer.post(
        f"/partnerships/{world['partnership']}/status",
        {"to_status": "renegotiating", "reason": "New terms."},
    )
    assert response.status_code == 200
    newest = writer.get(f"/partnerships/{world['partnership']}/history").json()["items"][0]
    assert newest["actor"]["email"] == owner.email
    assert len(body["items"]) >= 1


def test_an_expired_token_is_refused(org, owner, world):
    raw = make_token(org, owner, "read", expires_at=timezone.now() + datetime.timedelta(days=1))
    assert Api(raw).get("/partners").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, seconds=1)):
        response = Api(raw).get("/partners")
    assert response.status_code == 401
    assert response.json()["detail"] == "The token has expired."
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working_at_once(owner_client, read_token, reader, world):
    assert reader.get("/partners").status_code == 200
    token = ApiToken.objects.get(token_hash=hash_token(read_token))
    response = owner_client.post(reverse("api:token_revoke", args=[token.uuid]))
    assert response.status_code == 302
    response = reader.get("/partners")
    assert response.status_code == 401
    assert response.json()["detail"] == "The token was revoked."


def test_a_token_stops_working_when_its_maker_leaves(org, owner, manager, world):
    Membership.objects.filter(organization=org, user=manager).update(role=Role.OWNER)
    raw = make_token(org, manager, "write")
    Membership.objects.filter(organization=org, user=manager).delete()
    response = Api(raw).get("/partners")
    assert response.status_code == 401
    assert "left the organization" in response.json()["detail"]


def test_a_write_token_only_reads_once_its_maker_is_a_viewer(org, owner, manager, world):
    Membership.objects.filter(organization=org, user=manager).update(role=Role.OWNER)
    raw = make_token(org, manager, "write")
    Membership.objects.filter(organization=org, user=manager).update(role=Role.VIEWER)
    assert token_authenticate(raw).role == Role.VIEWER
    assert Api(raw).post("/partners", {"name": "Initech"}).status_code == 403


@pytest.mark.parametrize("value", ["", "acc_", "acc_" + "x" * 43, "Bearer", "not-a-token"])
def test_a_made_up_token_is_refused(value, world):
    response = Api(value).get("/partners")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_scheme_other_than_bearer_is_refused(read_token, world):
    response = Api().get("/partners", headers={"Authorization": f"Basic {read_token}"})
    assert response.status_code == 401


def test_the_last_use_time_and_address_are_recorded(read_token, world):
    Api(read_token).client.get(
        "/api/v1/partners",
        headers={"Authorization": f"Bearer {read_token}"},
        REMOTE_ADDR="198.51.100.23",
    )
    token = ApiToken.objects.get(token_hash=hash_token(read_token))
    assert token.last_used_ip == "198.51.100.23"
    assert timezone.now() - token.last_used_at < datetime.timedelta(seconds=30)


def test_a_session_cookie_grants_nothing_to_the_api(owner_client, world):
    response = owner_client.get("/api/v1/partners")
    assert response.status_code == 401


def test_another_organizations_object_is_a_404_not_a_403(stranger, world):
    response = stranger.get(f"/partnerships/{world['partnership']}")
    assert response.status_code == 404
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Not found.",
        "code": "not_found",
        "errors": [],
    }


def test_calls_past_the_rate_limit_get_429_with_retry_after(settings, reader, writer, world):
    settings.API_RATE_LIMIT = "3/60"
    with time_machine.travel(datetime.datetime(2026, 5, 4, 10, 0, 15, tzinfo=datetime.UTC)):
        for _ in range(3):
            assert reader.get("/members").status_code == 200
        response = reader.get("/members")
        assert response.status_code == 429
        assert response["Retry-After"] == "45"
        assert response.json()["code"] == "rate_limited"
        assert writer.get("/members").status_code == 200  # the limit is per token
    with time_machine.travel(datetime.datetime(2026, 5, 4, 10, 1, 0, tzinfo=datetime.UTC)):
        assert reader.get("/members").status_code == 200


# --- the settings page -------------------------------------------------------------------


def test_an_owner_makes_a_token_and_sees_it_once(owner_client, owner, world):
    response = owner_client.post(
        reverse("api:token_new"), {"name": "CRM sync", "scope": "write", "expires": "30"}
    )
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    raw = response.context["new_token"]
    assert raw.encode() in response.content
    token = ApiToken.objects.get(name="CRM sync")
    assert token.token_hash == hash_token(raw) and token.created_by == owner
    assert token.expires_at - timezone.now() > datetime.timedelta(days=29)
    assert Api(raw).post("/partners", {"name": "Initech"}).status_code == 201
    page = owner_client.get(reverse("api:tokens"))
    assert raw.encode() not in page.content
    assert b"CRM sync" in page.content and token.prefix.encode() in page.content


def test_a_token_without_a_name_is_not_made(owner_client):
    response = owner_client.post(reverse("api:token_new"), {"name": "", "scope": "read"})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_only_owners_reach_the_tokens_page(role, role_clients, read_token):
    client = role_clients[role]
    assert client.get(reverse("api:tokens")).status_code == 403
    response = client.post(reverse("api:token_new"), {"name": "Mine", "scope": "write"})
    assert response.status_code == 403
    token = ApiToken.objects.get()
    assert client.post(reverse("api:token_revoke", args=[token.uuid])).status_code == 403
    assert ApiToken.objects.get().revoked_at is None


def test_an_outsider_cannot_revoke_our_token(outsider_client, read_token):
    token = ApiToken.objects.get()
    assert outsider_client.post(reverse("api:token_revoke", args=[token.uuid])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_the_page_shows_last_use(owner_client, read_token, world):
    Api(read_token).client.get(
        "/api/v1/members",
        headers={"Authorization": f"Bearer {read_token}"},
        REMOTE_ADDR="192.0.2.9",
    )
    page = owner_client.get(reverse("api:tokens"))
    assert b"192.0.2.9" in page.content
