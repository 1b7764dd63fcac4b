"""Enqueue a Celery task by its name, after the current transaction commits.

Services decide that work must happen later (send this e-mail, seal this charter); tasks call
services to do it. If services imported their tasks the two modules would import each other,
so a service names the task instead (``"charters.tasks.execute_request"``) and this module
finds it when the work is queued. Queuing on commit means a worker never looks for a row that
a rolled-back transaction never wrote.
"""

from __future__ import annotations

import importlib

from django.db import transaction


def task_by_name(dotted: str):
    """The Celery task object at ``dotted`` (``"app.tasks.function"``)."""
    module, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def enqueue(dotted: str, *args, robust: bool = False, **kwargs) -> None:
    """Run task ``dotted`` with ``args``/``kwargs`` once the surrounding transaction commits
    (at once when there is none).

    ``robust=True`` is for work that a periodic scan picks up anyway (the outbox, executions):
    a broker that is down is logged instead of turning a committed write into an error.
    """
    transaction.on_commit(lambda: task_by_name(dotted).delay(*args, **kwargs), robust=robust)
