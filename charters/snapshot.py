"""Charters bind what both sides knew: the evidence snapshot of a version.

When a version is first sent, its document states the partnership's evidence log as it stood
(the organization's chain head, entry #N and its digest, and how many of the partnership's
entries it held). The worker then records the signed checkpoint that covers entry #N, and the
executed PDF, the verification page and the partner room show both.

The evidence app sits beside this one in the layers, so it is named here by dotted path and
imported on first use, as ``partnerships.extensions`` names panels and gates.
"""

from __future__ import annotations

import datetime
import logging

from django.utils.module_loading import import_string

from core.keyring import KeyringMissing

from .models import CharterVersion

logger = logging.getLogger(__name__)

SNAPSHOT = "evidence.snapshot.partnership_snapshot"
CHECKPOINT = "evidence.snapshot.snapshot_checkpoint"
HOLDS = "evidence.snapshot.snapshot_holds"
SIGN_TASK = "charters.tasks.sign_evidence_snapshot"


def evidence_snapshot(partnership) -> dict:
    """``{"sequence", "head", "entries"}`` of the partnership's evidence log now."""
    return import_string(SNAPSHOT)(partnership)


def snapshot_holds(version: CharterVersion) -> bool | None:
    """Whether the log still has the snapshot's digest at its entry (None: no snapshot)."""
    if version.evidence_sequence is None:
        return None
    return import_string(HOLDS)(
        version.organization_id, version.evidence_sequence, version.evidence_head
    )


def snapshot_sign(version_id: int) -> dict:
    """Record the signed checkpoint covering a sent version's snapshot, once (worker only:
    it signs). Returns what is recorded; empty when there is nothing to sign yet or no key
    here, which the next run (or the execution) retries."""
    version = CharterVersion.objects.select_related("organization").get(pk=version_id)
    if version.evidence_checkpoint or not version.evidence_sequence:
        return version.evidence_checkpoint or {}
    try:
        found = import_string(CHECKPOINT)(version.organization, version.evidence_sequence)
    except KeyringMissing as exc:
        logger.warning("No signed checkpoint for charter version %s: %s", version.pk, exc)
        return {}
    except Exception as exc:  # a chain that does not verify is not signed; say so, go on
        logger.error("No signed checkpoint for charter version %s: %s", version.pk, exc)
        return {}
    if found:
        CharterVersion.objects.filter(pk=version.pk, evidence_checkpoint={}).update(
            evidence_checkpoint=found
        )
    return found


def checkpoint_time(version: CharterVersion) -> datetime.datetime | None:
    """When the recorded checkpoint was signed, as a datetime for templates."""
    at = (version.evidence_checkpoint or {}).get("at")
    try:
        return datetime.datetime.fromisoformat(at) if at else None
    except ValueError:
        return None
