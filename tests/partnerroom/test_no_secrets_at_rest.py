"""No partner-room secret at rest: after an invitation, a requested link and a sign-in with an
e-mailed code, no e-mailed token or code, and no session cookie, is in any column of any table
or in a stored session."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from partnerroom.services.access import access_grant
from partnerroom.session import COOKIE
from tests.test_no_secrets_at_rest import (
    _model_hits,
    _postgres_hits,
    assert_no_column_holds_them,
    assert_no_session_holds_them,
)

from .conftest import CODE_RE, last_link

pytestmark = pytest.mark.django_db


def test_no_room_token_code_or_cookie_is_stored(lena, owner, acquiring, deliver):
    mail.outbox.clear()
    with deliver():
        access_grant(contact=lena, granted_by=owner, require_code=True)
    with deliver():
        Client().post(reverse("partnerroom:access"), {"email": lena.email})
    token = last_link()
    client = Client()
    with deliver():
        client.post(reverse("partnerroom:sign_in", args=[token]))
    code = CODE_RE.search(mail.outbox[-1].body).group(1)
    client.post(reverse("partnerroom:code"), {"code": code})
    assert client.get(reverse("partnerroom:home")).status_code == 200

    assert_no_column_holds_them(expect_links=2, expect_codes=1)
    assert_no_session_holds_them(expect_links=2, expect_codes=1)
    cookie = {client.cookies[COOKIE].value}
    if connection.vendor == "postgresql":
        hits = _postgres_hits(cookie, set())
    else:
        hits = _model_hits(cookie, set())
    assert hits == []
