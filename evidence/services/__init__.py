"""Writes to the evidence log (``entries``) and the decision trail (``decisions``).

The names other apps and tests import are re-exported here.
"""

from .decisions import decision_approver_for, decision_record, decision_review
from .entries import evidence_record
from .partner import partner_evidence_accept, partner_evidence_submit, pending_partner_entries

__all__ = [
    "decision_approver_for",
    "decision_record",
    "decision_review",
    "evidence_record",
    "partner_evidence_accept",
    "partner_evidence_submit",
    "pending_partner_entries",
]
