"""Reviews lock only their own rows (``FOR UPDATE OF self``): submitting a review never waits
for someone editing the organization, the partner or the partnership at the same time."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization
from partnerships.models import Partner, Partnership
from reviews import services
from reviews.models import HealthReview
from tests.conftest import postgres_only

MONDAY = datetime.date(2026, 3, 2)
ANSWERS = {
    "boundary_violated": "none",
    "evidence_less_trustworthy": "",
    "renegotiation_trigger": "Two weeks of missed SLAs",
    "unwind_trigger_fired": False,
    "health": "green",
}


@pytest.fixture
def review(org, make_partnership):
    partnership = make_partnership(name="Dispute desk pilot")
    services.cycle_start(organization=org, starts_on=MONDAY)
    return HealthReview.objects.get(partnership=partnership)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_submitting_a_review_does_not_wait_for_edits_of_its_organization_or_partner(
    org, owner, review
):
    partnership = review.partnership
    holding, done = threading.Event(), threading.Event()
    errors = []

    def edit_the_rows_around_it():
        try:
            with transaction.atomic():
                Organization.objects.filter(pk=org.pk).update(name="Northwind Ltd")
                Partner.objects.filter(pk=partnership.partner_id).update(name="Acme Ltd")
                Partnership.objects.filter(pk=partnership.pk).update(name="Dispute desk")
                holding.set()
                done.wait(15)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    editor = threading.Thread(target=edit_the_rows_around_it)
    editor.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '3s'")
            services.review_submit(review=review, submitted_by=owner, **ANSWERS)
    finally:
        done.set()
        editor.join(20)
    assert errors == []
    review.refresh_from_db()
    assert review.state == "submitted"


@postgres_only
@pytest.mark.django_db
def test_every_row_lock_in_reviews_names_only_its_own_table(
    org, owner, approver, review, make_partnership, django_capture_on_commit_callbacks
):
    import time_machine

    with CaptureQueriesContext(connection) as queries:
        services.review_submit(review=review, submitted_by=owner, **ANSWERS)
        make_partnership(approver=approver, deferral_date=datetime.date(2026, 3, 1))
        with time_machine.travel(datetime.datetime(2026, 3, 9, 12, tzinfo=datetime.UTC)):
            services.cycle_start(organization=org, starts_on=datetime.date(2026, 3, 9))
        with time_machine.travel(datetime.datetime(2026, 3, 14, 12, tzinfo=datetime.UTC)):
            assert services.reminders_send(organization=org)["reminded"] >= 1
            services.deferrals_apply(organization=org)
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    review_locks = [sql for sql in locks if 'FROM "reviews_healthreview"' in sql]
    assert len(review_locks) >= 2  # the submitted review, the reminder claim
    # Starting a cycle locks the cycle's own row (overlapping runs take turns) and only it.
    cycle_locks = [sql for sql in locks if 'FROM "reviews_reviewcycle"' in sql]
    assert cycle_locks, locks
    for sql in cycle_locks:
        assert sql.rstrip().endswith('FOR UPDATE OF "reviews_reviewcycle"'), sql
    for sql in review_locks:
        assert 'FOR UPDATE OF "reviews_healthreview"' in sql or (
            'FOR UPDATE SKIP LOCKED OF "reviews_healthreview"' in sql
        ), sql
    # Rule 5 locks the partnership it defers (and the decision it records locks it again),
    # and never a row joined to it: each statement names only the partnership's table.
    deferral = [sql for sql in locks if 'FOR UPDATE OF "partnerships_partnership"' in sql]
    assert deferral, locks
    for sql in deferral:
        assert sql.rstrip().endswith('FOR UPDATE OF "partnerships_partnership"'), sql
