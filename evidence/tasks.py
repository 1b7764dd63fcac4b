"""Nightly work on the evidence logs: signed checkpoints, then full verification."""

import contextlib
import logging

from celery import shared_task
from django.core.management import call_command

from accounts.models import Organization
from core.keyring import KeyringMissing

from .checkpoints import CheckpointRefused, latest_checkpoint, write_checkpoint
from .export_jobs import export_render, purge_exports
from .models import EvidenceEntry

logger = logging.getLogger(__name__)


@shared_task
def verify_evidence_chains() -> None:
    """Verify every organization's chain and cache the result for the log badge.

    Read-only and idempotent: running it twice only refreshes the cached result. A broken
    chain is reported on the log page (and by the command's exit code), not as a task failure.
    """
    with contextlib.suppress(SystemExit):
        call_command("verify_evidence", verbosity=0)


@shared_task
def write_evidence_checkpoints() -> int:
    """Sign a checkpoint of every organization's chain that grew since its last one.

    Idempotent (an unchanged chain gets no new checkpoint). Runs on the worker, the only
    process with the seal's private key. A chain that no longer verifies from its last
    checkpoint is not signed; it is logged as an error and shown on the log page.
    """
    written = 0
    with_entries = EvidenceEntry.objects.order_by().values("organization_id").distinct()
    for organization in Organization.objects.filter(pk__in=with_entries).order_by("pk"):
        before = latest_checkpoint(organization)
        try:
            after = write_checkpoint(organization)
            if after is not None and after != before:
                written += 1
        except CheckpointRefused as exc:
            logger.error("Evidence checkpoint refused for %s: %s", organization.slug, exc)
        except KeyringMissing as exc:
            logger.error("Evidence checkpoints need the seal keyring: %s", exc)
            break
    return written


@shared_task
def render_evidence_export(export_id: int) -> bool:
    """Write one export of the log (``export_jobs.export_render`` claims it: a repeat does
    nothing)."""
    return export_render(export_id=export_id)


@shared_task
def purge_evidence_exports() -> int:
    """Remove week-old exports and their files (idempotent)."""
    return purge_exports()
