"""Delivery is enqueued by task name after commit; services never import their tasks."""

import ast
import datetime
import pathlib

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from notifications import tasks
from notifications.models import OutboundEmail
from notifications.services import email_queue

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _imports(path: pathlib.Path) -> set[str]:
    """Every module name imported anywhere in ``path`` (top level or inside a function)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ("." * node.level) + (node.module or "")
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize(
    "module, forbidden",
    [
        ("notifications/services.py", ("notifications.tasks", ".tasks", "..tasks")),
        *[
            (str(path.relative_to(ROOT)), ("reviews.tasks", ".tasks", "..tasks"))
            for path in sorted((ROOT / "reviews" / "services").glob("*.py"))
        ],
    ],
)
def test_services_never_import_their_apps_tasks(module, forbidden):
    imported = _imports(ROOT / module)
    assert not [name for name in imported if name in forbidden or name.endswith(".tasks")], module


def queue(org, key="k1"):
    return email_queue(
        key=key,
        to="someone@northwind.test",
        template="review-reminder",
        context={"user": {"display_name": "Sam"}, "rows": [], "list_url": "/reviews/"},
        organization=org,
    )


@pytest.mark.django_db
def test_delivery_is_enqueued_by_name_after_commit(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queue(org)
        assert len(mail.outbox) == 0  # nothing before commit
    assert len(callbacks) == 1
    email.refresh_from_db()
    assert email.state == "sent" and len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_broker_outage_leaves_the_email_pending_and_the_caller_unharmed(
    org, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.deliver_email, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        email = queue(org)  # must not raise: the change that wanted the e-mail is committed
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.PENDING  # retry_pending_emails picks it up
    monkeypatch.undo()
    later = timezone.now() + datetime.timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        assert tasks.retry_pending_emails.delay().get() == 1
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT and len(mail.outbox) == 1
