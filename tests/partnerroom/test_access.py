"""Reaching the room without an account: links hashed, expiring, single use and revocable;
sessions of limited length; the optional code; an access page that tells nobody anything."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.tokens import hash_token
from notifications.models import OutboundEmail
from partnerroom.models import RoomAccess, RoomEvent, RoomSession, SignInLink
from partnerroom.services.access import access_grant, access_revoke
from partnerroom.session import COOKIE

from .conftest import CODE_RE, SIGN_IN_RE, last_link

pytestmark = pytest.mark.django_db

HOME = "/room/"


def sign_in_url(token):
    return reverse("partnerroom:sign_in", args=[token])


def test_the_link_token_is_stored_only_as_its_hash_and_the_email_is_redacted(lena, grant, ask_link):
    grant(lena)
    token = ask_link(lena.email)
    assert len(token) >= 43  # 256 bits, URL-safe
    link = SignInLink.objects.get()
    assert link.token_hash == hash_token(token)
    email = OutboundEmail.objects.get(key=f"room-link:{link.pk}")
    assert email.sensitive and email.redacted_at is not None
    assert token not in email.body_text + email.body_html + email.subject
    assert mail.outbox[-1].to == [lena.email]


def test_opening_the_link_does_not_use_it_and_signing_in_uses_it_once(lena, grant, ask_link):
    grant(lena)
    token = ask_link(lena.email)
    client = Client()
    assert client.get(sign_in_url(token)).status_code == 200
    assert client.get(sign_in_url(token)).status_code == 200  # a mail scanner opened it
    response = client.post(sign_in_url(token))
    assert response.status_code == 302 and response["Location"] == reverse("partnerroom:home")
    assert client.get(HOME).status_code == 200
    # single use: the link is spent, for anyone
    assert Client().post(sign_in_url(token)).status_code == 404
    assert Client().get(sign_in_url(token)).status_code == 404
    assert RoomSession.objects.count() == 1


def test_the_session_cookie_is_stored_only_as_its_hash(lena, signed_in):
    client = signed_in(lena)
    raw = client.cookies[COOKIE].value
    session = RoomSession.objects.get()
    assert session.token_hash == hash_token(raw) and raw not in session.token_hash
    cookie = client.cookies[COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/room/" and cookie["samesite"] == "Lax"


def test_a_link_expires_after_thirty_minutes(lena, grant, ask_link):
    grant(lena)
    token = ask_link(lena.email)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        assert Client().get(sign_in_url(token)).status_code == 404
        assert Client().post(sign_in_url(token)).status_code == 404
    assert not RoomSession.objects.exists()


def test_an_invitation_link_lasts_longer_but_still_expires(lena, owner, deliver):
    with deliver():
        access_grant(contact=lena, granted_by=owner)
    token = last_link()
    assert "invites you" in mail.outbox[-1].subject
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=71)):
        assert Client().get(sign_in_url(token)).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=73)):
        assert Client().get(sign_in_url(token)).status_code == 404


def test_a_session_ends_after_eight_hours(lena, signed_in):
    client = signed_in(lena)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=7, minutes=50)):
        assert client.get(HOME).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=8, minutes=1)):
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("partnerroom:access"))


def test_revoking_ends_the_session_and_kills_unused_links(lena, owner, signed_in, ask_link):
    client = signed_in(lena)
    spare = ask_link(lena.email)
    access = RoomAccess.objects.get(contact=lena)
    access_revoke(access=access, actor=owner)
    assert client.get(HOME).status_code == 302
    assert Client().post(sign_in_url(spare)).status_code == 404
    assert RoomSession.objects.filter(ended_at__isnull=True).count() == 0
    assert RoomEvent.objects.filter(kind=RoomEvent.Kind.REVOKED, actor=owner).exists()
    # asking again sends nothing: the grant is gone
    mail.outbox.clear()
    Client().post(reverse("partnerroom:access"), {"email": lena.email})
    assert not SIGN_IN_RE.search("".join(m.body for m in mail.outbox))


def test_signing_out_ends_the_session_for_good(lena, signed_in):
    client = signed_in(lena)
    raw = client.cookies[COOKIE].value
    assert client.post(reverse("partnerroom:sign_out")).status_code == 302
    replay = Client()
    replay.cookies[COOKIE] = raw
    assert replay.get(HOME).status_code == 302


@pytest.mark.parametrize("who", ["granted", "ungranted contact", "unknown", "revoked"])
def test_the_access_page_answers_the_same_whoever_asks(who, lena, owner, grant, deliver):
    if who == "granted":
        grant(lena)
    if who == "revoked":
        access_revoke(access=grant(lena), actor=owner)
    email = "nobody@nowhere.example" if who == "unknown" else lena.email
    mail.outbox.clear()
    with deliver():
        response = Client().post(reverse("partnerroom:access"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerroom:access_sent")
    assert len(mail.outbox) == (1 if who == "granted" else 0)
    page = Client().get(response["Location"])
    assert b"If this address has access" in page.content


def test_a_contact_without_a_grant_leaves_one_line_a_day_for_the_owner(lena):
    for _ in range(3):
        Client().post(reverse("partnerroom:access"), {"email": lena.email.upper()})
    events = RoomEvent.objects.filter(kind=RoomEvent.Kind.ASKED_NO_ACCESS, contact=lena)
    assert events.count() == 1


def test_links_are_limited_per_address_and_requests_per_ip(lena, grant, deliver):
    grant(lena)
    with deliver():
        for i in range(5):
            Client().post(
                reverse("partnerroom:access"), {"email": lena.email}, REMOTE_ADDR=f"198.51.100.{i}"
            )
    assert SignInLink.objects.count() == 3
    statuses = [
        Client()
        .post(
            reverse("partnerroom:access"), {"email": f"x{i}@example.test"}, REMOTE_ADDR="192.0.2.1"
        )
        .status_code
        for i in range(21)
    ]
    assert statuses[:20] == [302] * 20 and statuses[20] == 429


def test_a_link_returns_to_the_room_page_that_asked_for_it(lena, acquiring, grant, ask_link):
    grant(lena)
    wanted = reverse("partnerroom:partnership", args=[acquiring.uuid])
    token = ask_link(lena.email, next_path=wanted)
    response = Client().post(sign_in_url(token))
    assert response["Location"] == wanted


def test_a_link_never_returns_outside_the_room(lena, grant, ask_link):
    grant(lena)
    token = ask_link(lena.email, next_path="https://evil.example/room/")
    assert Client().post(sign_in_url(token))["Location"] == reverse("partnerroom:home")
    token = ask_link(lena.email, next_path="/org/members/")
    assert Client().post(sign_in_url(token))["Location"] == reverse("partnerroom:home")


def test_an_unsigned_visitor_is_sent_to_the_access_page_with_the_way_back(acquiring):
    target = reverse("partnerroom:partnership", args=[acquiring.uuid])
    response = Client().get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("partnerroom:access") + "?next=")


class TestOneTimeCode:
    def start(self, lena, grant, ask_link, deliver):
        grant(lena, require_code=True)
        token = ask_link(lena.email)
        client = Client()
        mail.outbox.clear()
        with deliver():
            response = client.post(sign_in_url(token))
        assert response["Location"] == reverse("partnerroom:code")
        return client, CODE_RE.search(mail.outbox[-1].body).group(1)

    def test_the_room_stays_shut_until_the_code_is_typed(self, lena, grant, ask_link, deliver):
        client, code = self.start(lena, grant, ask_link, deliver)
        assert client.get(HOME)["Location"] == reverse("partnerroom:code")
        session = RoomSession.objects.get()
        assert code not in session.code_hash
        response = client.post(reverse("partnerroom:code"), {"code": code})
        assert response["Location"] == reverse("partnerroom:home")
        assert client.get(HOME).status_code == 200
        assert OutboundEmail.objects.get(key=f"room-code:{session.uuid}").redacted_at

    def test_five_wrong_codes_end_the_session(self, lena, grant, ask_link, deliver):
        client, code = self.start(lena, grant, ask_link, deliver)
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(4):
            assert client.post(reverse("partnerroom:code"), {"code": wrong}).status_code == 422
        assert client.post(reverse("partnerroom:code"), {"code": wrong}).status_code == 403
        assert client.post(reverse("partnerroom:code"), {"code": code}).status_code == 302
        assert client.get(HOME).status_code == 302
        assert RoomSession.objects.get().ended_at is not None

    def test_a_late_code_is_refused(self, lena, grant, ask_link, deliver):
        client, code = self.start(lena, grant, ask_link, deliver)
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
            assert client.post(reverse("partnerroom:code"), {"code": code}).status_code == 403
        assert client.get(HOME).status_code == 302


def test_bad_tokens_and_cookies_are_never_a_500():
    for token in ["x", "a" * 500, "%00", "../../etc"]:
        assert Client().get(f"/room/sign-in/{token}/").status_code in (404,)
        assert Client().post(f"/room/sign-in/{token}/").status_code in (404,)
    client = Client()
    client.cookies[COOKIE] = "z" * 5000
    assert client.get(HOME).status_code == 302
    assert client.post(reverse("partnerroom:code"), {"code": "1"}).status_code == 302
    assert (
        Client().post(reverse("partnerroom:access"), {"email": "not an address"}).status_code == 422
    )
