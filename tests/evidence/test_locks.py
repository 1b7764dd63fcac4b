"""Recording evidence locks the organization's chain row, never the organization, partner or
partnership rows: it neither waits for nor blocks a charter being signed or a partner edited."""

import re
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization
from partnerships.models import Partner, Partnership
from tests.conftest import postgres_only
from tests.factories import PartnershipFactory

from .factories import log_evidence

pytestmark = postgres_only


def _log_in_another_session(partnership, outcome: dict) -> None:
    """Log evidence on a connection of its own, giving up after 3 seconds of waiting."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            outcome["entry"] = log_evidence(partnership, artifact="Logged while rows were locked")
    except Exception as exc:  # noqa: BLE001 (reported to the test below)
        outcome["error"] = exc
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_evidence_is_logged_while_the_organization_and_partner_rows_are_locked(org, owner):
    partnership = PartnershipFactory(organization=org, owner=owner, status="active")
    log_evidence(partnership)  # the chain row exists already
    outcome: dict = {}
    with transaction.atomic():
        # What an UPDATE of these rows holds, e.g. a charter being signed for this partnership.
        Organization.objects.select_for_update(no_key=True).get(pk=org.pk)
        Partner.objects.select_for_update(no_key=True).get(pk=partnership.partner_id)
        Partnership.objects.select_for_update(no_key=True).get(pk=partnership.pk)
        worker = threading.Thread(target=_log_in_another_session, args=(partnership, outcome))
        worker.start()
        worker.join(timeout=20)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["entry"].sequence == 2


@pytest.mark.django_db
def test_every_row_lock_taken_by_recording_evidence_is_on_its_own_table(org, owner):
    partnership = PartnershipFactory(organization=org, owner=owner, status="active")
    with CaptureQueriesContext(connection) as queries:
        log_evidence(partnership)
        log_evidence(partnership, days_ago=1)
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locks, "appends must be serialized by a row lock"
    for sql in locks:
        of = re.search(r"FOR UPDATE OF (.+)$", sql)
        assert of, f"a lock without OF: {sql}"
        assert of.group(1).strip() == '"evidence_evidencechainlock"', sql
