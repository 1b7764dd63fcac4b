"""Charters use the shared pieces of core: the whole page on a history restore, the
organization's own calendar for expiry, keyed one-time codes, word diffs, data: images in PDFs."""

import base64
import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image, ImageDraw
from pypdf import PdfReader

from charters import services
from charters.forms import SendForm
from charters.models import Signer
from charters.selectors import version_diff
from core.tokens import hash_code
from notifications.models import OutboundEmail

from .conftest import CHARTER_DATA, META, sign

pytestmark = pytest.mark.django_db


def test_history_restore_of_the_charter_list_gets_the_whole_page(manager_client, partnership):
    response = manager_client.get(
        reverse("charters:list") + "?page=1",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert response.status_code == 200
    assert b"<html" in response.content
    assert b"<nav" in response.content
    assert b'id="charter-rows"' in response.content


def _form(org, partnership, day):
    return SendForm(
        {"order": "parallel", "expires_on": day.isoformat()},
        organization=org,
        partnership=partnership,
    )


@pytest.mark.parametrize(
    ("zone", "local_hour"),
    [("Pacific/Auckland", 9), ("Pacific/Honolulu", 20)],
)
def test_link_expiry_is_a_day_on_the_organizations_calendar(org, partnership, zone, local_hour):
    org.time_zone = zone
    org.save(update_fields=["time_zone"])
    local = datetime.datetime(2027, 3, 10, local_hour, 0, tzinfo=ZoneInfo(zone))
    with time_machine.travel(local, tick=False):
        today = local.date()
        refused = _form(org, partnership, today)
        assert not refused.is_valid()
        assert "Choose a day after today." in refused.errors["expires_on"]
        tomorrow = _form(org, partnership, today + datetime.timedelta(days=1))
        tomorrow.is_valid()
        assert "expires_on" not in tomorrow.errors
        last = _form(org, partnership, today + datetime.timedelta(days=365))
        last.is_valid()
        assert "expires_on" not in last.errors
        assert "a year away" in str(SendForm(organization=org, partnership=partnership))
        end = tomorrow.expires_at()
        assert end.astimezone(ZoneInfo(zone)).date() == today + datetime.timedelta(days=1)


def test_a_one_time_code_is_stored_as_a_keyed_hash_bound_to_the_signer(send, contact):
    send(require_code=True)
    signer = Signer.objects.get(email=contact.email)
    services.signer_consent(signer=signer, meta=META)
    services.signer_send_code(signer=signer, meta=META)
    body = OutboundEmail.objects.get(key__startswith="charter-code:").body_text
    code = re.search(r"\b(\d{6})\b", body).group(1)
    signer.refresh_from_db()
    assert signer.code_hash == hash_code(code, context=str(signer.uuid))
    assert signer.code_hash != hash_code(code, context="another signer")


def test_version_diff_marks_words_keeps_lines_and_escapes_text(partnership, manager, send):
    old = services.charter_save(
        partnership=partnership,
        actor=manager,
        data={**CHARTER_DATA, "timeline": "Crawl until January.\nWalk <b>after</b>."},
    )
    send()
    new = services.charter_save(
        partnership=partnership,
        actor=manager,
        data={**CHARTER_DATA, "timeline": "Crawl until March.\nWalk <b>after</b>."},
    )
    rows = {row["heading"]: row for row in version_diff(old, new)}
    timeline = str(rows["Timeline"]["html"])
    assert rows["Timeline"]["changed"] and not rows["Mutual goals"]["changed"]
    assert '<del class="diff-del">January.</del>' in timeline
    assert '<ins class="diff-ins">March.</ins>' in timeline
    assert "<br>" in timeline
    assert "&lt;b&gt;after&lt;/b&gt;" in timeline and "<b>" not in timeline


def test_a_drawn_signature_is_embedded_as_an_image_in_the_executed_pdf(send, contact, manager):
    request = send()
    image = Image.new("RGBA", (300, 90), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 60), (150, 20), (280, 70)], fill="black", width=4)
    raw = io.BytesIO()
    image.save(raw, format="PNG")
    png = services.clean_signature_png(
        "data:image/png;base64," + base64.b64encode(raw.getvalue()).decode()
    )
    sign(Signer.objects.get(email=contact.email), png=png)
    sign(Signer.objects.get(email=manager.email))
    assert services.execution_run(request_id=request.pk)
    request.refresh_from_db()
    with default_storage.open(request.executed_pdf, "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    assert sum(len(page.images) for page in reader.pages) >= 1
