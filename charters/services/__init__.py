"""Writes for charters and their e-signing (SPEC §4), one module per stage:

- ``versions``: the charter's text, drafts and new versions
- ``sending``: freezing a version, sending it, voiding it
- ``signing``: the signer's side (link state, consent, code, sign, decline)
- ``execution``: the sealed executed PDF, produced once
- ``scan``: expiry, reminders and unfinished executions

with small helpers: ``common`` (who acted, the audit trail, e-mail context), ``links`` (how
a signer is reached) and ``drawing`` (a drawn signature, re-encoded).

Every state change is one transaction that also appends its AuditEvent and queues its e-mails
(idempotency keys), so a retried request or task never signs, mails or audits twice.

This module re-exports only the names other apps and the tests import from
``charters.services``; code inside the app imports the stage module it needs.
"""

from .common import SYSTEM, ClientMeta
from .drawing import clean_signature_png
from .execution import execution_run
from .scan import signatures_scan
from .sending import Order, signature_request_send, signature_request_void
from .signing import (
    CONSENT_VERSION,
    signer_consent,
    signer_decline,
    signer_record_open,
    signer_send_code,
    signer_sign,
    signer_verify_code,
)
from .versions import charter_prefill, charter_save

__all__ = [
    "CONSENT_VERSION",
    "SYSTEM",
    "ClientMeta",
    "Order",
    "charter_prefill",
    "charter_save",
    "clean_signature_png",
    "execution_run",
    "signature_request_send",
    "signature_request_void",
    "signatures_scan",
    "signer_consent",
    "signer_decline",
    "signer_record_open",
    "signer_send_code",
    "signer_sign",
    "signer_verify_code",
]
