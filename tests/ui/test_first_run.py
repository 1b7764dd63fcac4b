"""A first run that explains itself (issue 18.9): the empty dashboard's steps tick
themselves off, mail files open in a mail client, a refused request logs one line, and
``make run`` serves on the port it is given."""

from __future__ import annotations

import email
import io
import logging
import subprocess
from email import policy

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.services import invitation_create
from core.logs import ClientErrorsWithoutTraceback
from partnerships.models import FlowRun
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _ticked(client) -> int:
    page = client.get(reverse("dashboard")).content.decode()
    assert "Start here" in page
    return page.count('<li class="done">')


def test_start_here_steps_are_links_that_tick_themselves_off(owner_client, org, owner):
    page = owner_client.get(reverse("dashboard")).content.decode()
    for name in ("accounts:members", "partnerships:partner_create"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("partnerships:flow_build_vs_partner")}"' in page
    assert _ticked(owner_client) == 0
    invitation_create(organization=org, email="new@northwind.test", role="viewer", invited_by=owner)
    assert _ticked(owner_client) == 1
    partner = PartnerFactory(organization=org)
    assert _ticked(owner_client) == 2
    FlowRun.objects.create(
        organization=org,
        kind=FlowRun.Kind.BUILD_VS_PARTNER,
        partner=partner,
        recommendation="partner",
        final_choice="partner",
        decided_by=owner,
    )
    assert _ticked(owner_client) == 3


def test_a_viewer_gets_steps_that_are_links_it_may_open(viewer_client):
    page = viewer_client.get(reverse("dashboard")).content.decode()
    assert reverse("partnerships:partner_create") not in page
    assert f'href="{reverse("partnerships:partner_list")}"' in page


def test_each_mail_is_an_eml_file_a_mail_client_opens(tmp_path):
    with override_settings(EMAIL_BACKEND="core.mail.EmlFileBackend", EMAIL_FILE_PATH=tmp_path):
        connection = mail.get_connection()
        sent = connection.send_messages(
            [
                mail.EmailMessage("Sign", "Open the link.", to=["lena@payharbor.example"]),
                mail.EmailMessage("Invitation", "Join Northwind.", to=["new@northwind.test"]),
            ]
        )
    files = sorted(tmp_path.iterdir())
    assert sent == 2 and len(files) == 2 and all(f.suffix == ".eml" for f in files)
    recipients = set()
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        recipients.add(str(message["To"]))
        assert message.get_body().get_content().strip() in ("Open the link.", "Join Northwind.")
    assert recipients == {"lena@payharbor.example", "new@northwind.test"}


def test_a_refused_request_logs_one_line_without_a_traceback(viewer_client):
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(ClientErrorsWithoutTraceback())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        assert viewer_client.post(reverse("partnerships:partner_create"), {}).status_code == 403
    finally:
        root.removeHandler(handler)
    lines = out.getvalue().strip().splitlines()
    assert lines == ["Forbidden (Permission denied): /partners/new/"]
    # Django's own console handler is replaced: the root's one handler prints it once.
    assert logging.getLogger("django").handlers == []
    assert any(
        isinstance(f, ClientErrorsWithoutTraceback) for h in root.handlers for f in h.filters
    )


def test_make_run_serves_on_the_port_it_is_given_with_links_to_match():
    plan = subprocess.run(  # noqa: S603 (fixed arguments)
        ["make", "-n", "run", "PORT=8123"],  # noqa: S607
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8123}" in plan
    assert "ACCORD_PORT=8123" in plan and "http://127.0.0.1:8123" in plan
    procfile = (settings.BASE_DIR / "Procfile.dev").read_text()
    assert "runserver 127.0.0.1:${ACCORD_PORT:-8000}" in procfile
