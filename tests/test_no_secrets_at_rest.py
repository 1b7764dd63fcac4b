"""No live secret at rest: after a round of invitation, allauth's mails and a charter signed with a
one-time code, no token or code that was e-mailed is anywhere in the database.

The secrets are read from what was actually e-mailed (``django.core.mail.outbox``): every link
whose route takes a ``token`` or ``key`` and every one-time code. Then every text, character,
JSON and binary column of every table is searched for each of them (on PostgreSQL through
``information_schema``, so tables without a model count too), and the stored sessions are
decoded and searched as well, since anyone who reads the database can decode them.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.db import connection, models
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from accounts.models import Membership
from charters import services as charters
from charters.models import Signer
from notifications.models import OutboundEmail
from tests.charters.conftest import CHARTER_DATA
from tests.factories import ContactFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "accord-test-pass"
SECRET_KWARGS = ("token", "key", "uidb36_key")
LINK = re.compile(r"https?://[^\s\"'<>]+|(?<![\w/])/[A-Za-z0-9][^\s\"'<>]*")
CODE = re.compile(r"code[^\n]{0,200}?(?<![0-9A-Za-z])(\d{6})(?![0-9A-Za-z])", re.IGNORECASE)


# --------------------------------------------------------------------------- what was e-mailed


def _texts(message) -> list[str]:
    parts = [message.subject, message.body]
    parts += [content for content, _mime in getattr(message, "alternatives", [])]
    return [p if isinstance(p, str) else p.decode("utf-8", "replace") for p in parts]


def emailed_secrets() -> dict[str, set[str]]:
    """{"links": tokens and keys from e-mailed links, "codes": e-mailed one-time codes}."""
    found: dict[str, set[str]] = {"links": set(), "codes": set()}
    for message in mail.outbox:
        for text in _texts(message):
            text = text.replace("&amp;", "&")
            for url in LINK.findall(text):
                path = re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]
                try:
                    match = resolve(path)
                except Resolver404:
                    continue
                for name in SECRET_KWARGS:
                    value = match.kwargs.get(name)
                    if value and value != "set-password":
                        found["links"].add(str(value))
            found["codes"].update(CODE.findall(text))
    return found


# --------------------------------------------------------------------------- where it may rest

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb", "ARRAY", "USER-DEFINED")


def _postgres_hits(secrets: set[str], codes: set[str]) -> list[str]:
    hits = []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND (data_type = ANY(%s) OR data_type = "
            "'bytea') ORDER BY table_name, column_name",
            [list(TEXT_TYPES)],
        )
        columns = cur.fetchall()
        for table, column, kind in columns:
            qt, qc = connection.ops.quote_name(table), connection.ops.quote_name(column)
            if kind == "bytea":
                cur.execute(
                    f"SELECT s FROM unnest(%s::text[]) AS s WHERE EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {qt} WHERE position(convert_to(s, 'UTF8') in {qc}) > 0)",
                    [sorted(secrets)],
                )
            else:
                cur.execute(
                    f"SELECT s FROM unnest(%s::text[]) AS s WHERE EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {qt} WHERE strpos({qc}::text, s) > 0)",
                    [sorted(secrets)],
                )
            hits += [f"{table}.{column}: link secret {s[:6]}…" for (s,) in cur.fetchall()]
            if kind != "bytea" and codes:
                cur.execute(
                    f"SELECT c FROM unnest(%s::text[]) AS c WHERE EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {qt} WHERE {qc}::text ~ ('(^|[^0-9A-Za-z])' || c || "
                    f"'([^0-9A-Za-z]|$)'))",
                    [sorted(codes)],
                )
                hits += [f"{table}.{column}: one-time code" for (_c,) in cur.fetchall()]
    return hits


def _model_hits(secrets: set[str], codes: set[str]) -> list[str]:
    """The same search through the models (SQLite has no information_schema)."""
    kinds = (models.CharField, models.TextField, models.JSONField, models.BinaryField)
    hits = []
    for model in apps.get_models(include_auto_created=True):
        fields = [f for f in model._meta.concrete_fields if isinstance(f, kinds)]
        for field in fields:
            for value in model._default_manager.values_list(field.attname, flat=True):
                if value is None:
                    continue
                if isinstance(value, bytes | memoryview):
                    text = bytes(value).decode("latin-1")
                else:
                    text = value if isinstance(value, str) else json.dumps(value)
                where = f"{model._meta.db_table}.{field.column}"
                hits += [f"{where}: link secret {s[:6]}…" for s in secrets if s in text]
                hits += [
                    f"{where}: one-time code"
                    for c in codes
                    if re.search(rf"(^|[^0-9A-Za-z]){c}([^0-9A-Za-z]|$)", text)
                ]
    return hits


def _session_hits(secrets: set[str], codes: set[str]) -> list[str]:
    """Stored sessions are signed, not encrypted: whoever reads the table decodes them."""
    hits = []
    for session in Session.objects.all():
        for name, value in session.get_decoded().items():
            text = json.dumps(value, default=str)
            hits += [f"session[{name!r}]: link secret" for s in secrets if s in text]
            hits += [f"session[{name!r}]: one-time code" for c in codes if c in text]
    return hits


def _secrets(expect_links: int, expect_codes: int) -> tuple[set[str], set[str]]:
    found = emailed_secrets()
    assert len(found["links"]) >= expect_links, f"e-mailed links not found: {found}"
    assert len(found["codes"]) >= expect_codes, f"e-mailed codes not found: {found}"
    return found["links"], found["codes"]


def assert_no_column_holds_them(*, expect_links: int, expect_codes: int = 0) -> None:
    """No column of any table holds an e-mailed token, key or code."""
    secrets, codes = _secrets(expect_links, expect_codes)
    if connection.vendor == "postgresql":
        hits = _postgres_hits(secrets, codes)
    else:
        hits = _model_hits(secrets, codes)
    assert hits == [], "e-mailed secrets found at rest:\n" + "\n".join(hits)


def assert_no_session_holds_them(*, expect_links: int, expect_codes: int = 0) -> None:
    secrets, codes = _secrets(expect_links, expect_codes)
    hits = _session_hits(secrets, codes)
    assert hits == [], "e-mailed secrets found in stored sessions:\n" + "\n".join(hits)


# --------------------------------------------------------------------------- the rounds


def invitation_round(owner_client, org, capture) -> None:
    """An owner invites an existing person through the members page; they open the e-mailed
    link signed out, sign in through the login page and accept."""
    invitee = UserFactory(email="ivy@elsewhere.test", full_name="Ivy Invitee")
    with capture(execute=True):
        response = owner_client.post(
            reverse("accounts:invite"), {"email": invitee.email, "role": "manager"}
        )
    assert response.status_code == 302
    [accept_path] = [
        path
        for m in mail.outbox
        if m.to == [invitee.email]
        for path in re.findall(r"/org/invitations/accept/[^/\s]+/", m.body)
    ]
    browser = Client()
    assert browser.get(accept_path).status_code == 200
    login = browser.post(
        f"{reverse('account_login')}?next={accept_path}",
        {"login": invitee.email, "password": PASSWORD},
    )
    assert login.status_code == 302
    assert browser.post(accept_path).status_code == 302
    assert Membership.objects.filter(organization=org, user=invitee).exists()


def allauth_round(capture) -> None:
    """Sign-up with its verification e-mail, confirmed; then a password reset through
    allauth's pages, from the e-mailed link to the new password."""
    browser = Client()
    with capture(execute=True):
        response = browser.post(
            reverse("account_signup"),
            {
                "email": "rae@reset.test",
                "full_name": "Rae Reset",
                "organization_name": "Reset Labs",
                "password1": "copper-Lynx-61",
                "password2": "copper-Lynx-61",
            },
        )
    assert response.status_code == 302
    [confirm] = [
        p for m in mail.outbox for p in re.findall(r"/accounts/confirm-email/\S+/", m.body)
    ]
    assert browser.post(confirm).status_code == 302

    anonymous = Client()
    with capture(execute=True):
        response = anonymous.post(reverse("account_reset_password"), {"email": "rae@reset.test"})
    assert response.status_code == 302
    [reset] = [
        p for m in mail.outbox for p in re.findall(r"/accounts/password/reset/key/\S+/", m.body)
    ]
    form = anonymous.get(reset)
    assert form.status_code == 302
    done = anonymous.post(
        form["Location"], {"password1": "fresh-Otter-42", "password2": "fresh-Otter-42"}
    )
    assert done.status_code == 302
    assert Client().login(email="rae@reset.test", password="fresh-Otter-42")


def _sign_through_the_link(signer: Signer, token: str, capture) -> None:
    """The partner's signer: consent, an e-mailed code, then the signature, by their link."""
    browser = Client()
    assert browser.get(reverse("charters:sign", args=[token])).status_code == 200
    consent = browser.post(reverse("charters:sign_consent", args=[token]), {"consent": "on"})
    assert consent.status_code == 302
    with capture(execute=True):
        sent = browser.post(reverse("charters:sign_send_code", args=[token]))
    assert sent.status_code == 302, sent.content.decode()[:3000]
    [code] = [
        c
        for m in mail.outbox
        if m.to == [signer.email]
        for c in CODE.findall(f"{m.subject}\n{m.body}")
    ][-1:]
    verified = browser.post(reverse("charters:sign_verify_code", args=[token]), {"code": code})
    assert verified.status_code == 302
    with capture(execute=True):
        signed = browser.post(
            reverse("charters:sign_sign", args=[token]),
            {"typed_name": signer.name, "authorized": "on"},
        )
    assert signed.status_code == 302


def _sign_as_member(signer: Signer, user, capture) -> None:
    """Our own signer signs while logged in: the session is the proof, no code is needed."""
    browser = Client()
    browser.force_login(user)
    args = [signer.uuid]
    assert browser.get(reverse("charters:sign_member", args=args)).status_code == 200
    consent = browser.post(reverse("charters:sign_member_consent", args=args), {"consent": "on"})
    assert consent.status_code == 302
    with capture(execute=True):
        signed = browser.post(
            reverse("charters:sign_member_sign", args=args),
            {"typed_name": signer.name, "authorized": "on"},
        )
    assert signed.status_code == 302


def charter_round(org, manager, capture) -> None:
    """A charter sent for signature with a one-time code: the partner's signer signs through
    the e-mailed link and code, our manager while logged in; the executed charter is e-mailed
    to everyone."""
    partnership = PartnershipFactory(organization=org, owner=manager, partner__name="Acme")
    contact = ContactFactory(partner=partnership.partner, name="Paula", email="paula@acme.test")
    version = charters.charter_save(partnership=partnership, actor=manager, data=CHARTER_DATA)
    with capture(execute=True):
        request = charters.signature_request_send(
            version=version,
            actor=manager,
            our_users=[manager],
            partner_contacts=[contact],
            expires_at=timezone.now() + timedelta(days=14),
            require_code=True,
        )
    for signer in Signer.objects.filter(request=request).order_by("pk"):
        if signer.user_id:
            _sign_as_member(signer, manager, capture)
            continue
        [token] = [
            t
            for m in mail.outbox
            if m.to == [signer.email]
            for t in re.findall(r"/charters/sign/([A-Za-z0-9_-]+)/", m.body)
        ][:1]
        _sign_through_the_link(signer, token, capture)
    request.refresh_from_db()
    assert request.state == "completed" and request.execution_state == "done"


# --------------------------------------------------------------------------- the tests


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def test_an_invitation_leaves_no_token_at_rest(
    org, owner, owner_client, django_capture_on_commit_callbacks
):
    invitation_round(owner_client, org, django_capture_on_commit_callbacks)
    assert_no_column_holds_them(expect_links=1)


def test_allauth_verification_and_password_reset_leave_no_key_at_rest(
    db, django_capture_on_commit_callbacks
):
    allauth_round(django_capture_on_commit_callbacks)
    assert_no_column_holds_them(expect_links=2)


def test_a_charter_signed_with_a_code_leaves_no_link_or_code_at_rest(
    org, owner, manager, django_capture_on_commit_callbacks
):
    charter_round(org, manager, django_capture_on_commit_callbacks)
    assert_no_column_holds_them(expect_links=1, expect_codes=1)


def test_a_full_round_leaves_no_emailed_secret_at_rest(
    org, owner, manager, owner_client, django_capture_on_commit_callbacks
):
    invitation_round(owner_client, org, django_capture_on_commit_callbacks)
    allauth_round(django_capture_on_commit_callbacks)
    charter_round(org, manager, django_capture_on_commit_callbacks)
    assert_no_column_holds_them(expect_links=4, expect_codes=1)


def test_no_stored_session_keeps_an_emailed_secret_after_the_round(
    org, owner, owner_client, django_capture_on_commit_callbacks
):
    invitation_round(owner_client, org, django_capture_on_commit_callbacks)
    allauth_round(django_capture_on_commit_callbacks)
    assert_no_session_holds_them(expect_links=3)


def test_the_scan_finds_a_secret_planted_in_a_text_a_json_or_a_session_column(org, client):
    planted, code = "Zx9_planted-Token-4Yh2Lq8Rw3Ty6Ui0Op5As7Df", "480215"
    PartnershipFactory(organization=org, name=f"Pilot {planted}")
    OutboundEmail.objects.create(
        key="planted", to="a@b.test", subject="x", body_text="x", attachments=[{"n": code}]
    )
    session = client.session
    session["planted"] = planted
    session.save()
    scan = _postgres_hits if connection.vendor == "postgresql" else _model_hits
    hits = scan({planted}, {code})
    assert any("partnerships_partnership" in hit for hit in hits), hits
    assert any("notifications_outboundemail.attachments" in hit for hit in hits), hits
    assert _session_hits({planted}, set()) == ["session['planted']: link secret"]
