"""The Partnership Evidence Log (append-only) and the decision trail."""

from __future__ import annotations

import datetime
from typing import Literal
from uuid import UUID

from django.urls import reverse
from ninja import Field, Schema

from .common import PartnershipRef, Search, Text, UserRef, text

Quality = Literal["anecdote", "demo", "pilot", "real"]
Boundary = Literal["intact", "strained", "violated"]
DecisionKind = Literal["none", "commit", "defer", "renegotiate", "unwind", "go", "no_go"]
Decided = Literal["commit", "defer", "renegotiate", "unwind", "go", "no_go"]


class EvidenceFile(Schema):
    name: str
    type: str
    url: str = Field(description="Download it with the same token.")


class EvidenceEntry(Schema):
    id: UUID = Field(alias="uuid")
    sequence: int = Field(description="Position in the organization's hash chain.")
    partnership: PartnershipRef
    claim: str
    artifact: str
    link: str
    file: EvidenceFile | None
    limits: str
    boundary_status: str
    decision: str
    quality: str
    observed_on: datetime.date
    approver: UserRef | None
    recorded_by: UserRef | None
    supersedes: UUID | None = Field(description="The entry this one corrects.")
    superseded_by: UUID | None = Field(description="The entry that corrects this one.")
    correction_reason: str
    created_at: datetime.datetime
    prev_hash: str
    entry_hash: str

    @staticmethod
    def resolve_file(obj):
        if not obj.file:
            return None
        return {
            "name": obj.file_name,
            "type": obj.file_type,
            "url": reverse("api-v1:evidence_file", kwargs={"entry_id": obj.uuid}),
        }

    @staticmethod
    def resolve_supersedes(obj):
        return obj.supersedes.uuid if obj.supersedes_id else None

    @staticmethod
    def resolve_superseded_by(obj):
        return getattr(obj, "superseded_by_uuid", None)


class EvidencePage(Schema):
    items: list[EvidenceEntry]
    next_cursor: str | None = None


class EvidenceIn(Schema):
    partnership: UUID
    claim: Text
    artifact: Text
    quality: Quality
    observed_on: datetime.date = Field(description="The evidence's date; not in the future.")
    limits: Text = ""
    boundary_status: Boundary = "intact"
    decision: DecisionKind = "none"
    approver: UUID | None = None
    link: text(500) = ""


class CorrectionIn(Schema):
    """What the correcting entry says; fields left out keep the corrected entry's values."""

    correction_reason: Text
    claim: Text | None = None
    artifact: Text | None = None
    quality: Quality | None = None
    observed_on: datetime.date | None = None
    limits: Text | None = None
    boundary_status: Boundary | None = None
    decision: DecisionKind | None = None
    approver: UUID | None = None
    link: text(500) | None = None


class EvidenceFilters(Schema):
    """The evidence log's filters, as on the log page."""

    q: Search = Field("", description="Full-text search over claim, artifact and limits.")
    partner: UUID | None = None
    partnership: UUID | None = None
    boundary_status: Boundary | None = None
    decision: DecisionKind | None = None
    quality: Quality | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    approver: UUID | None = None
    sort: Literal["-observed_on", "-recorded", "recorded"] = Field(
        "-observed_on", description="Newest evidence date first (the log's order), or by chain."
    )
    cursor: text(2000) | None = None
    limit: int = Field(25, ge=1, le=100)


class Decision(Schema):
    id: UUID = Field(alias="uuid")
    partnership: PartnershipRef
    kind: str
    rationale: str
    evidence: list[UUID] = Field(description="The entries the decision rests on.")
    decided_by: UserRef | None
    by_system: bool = Field(description="Recorded by the system (an automatic deferral).")
    approver: UserRef | None
    state: str = Field(description="pending, approved, rejected or effective")
    approval_note: str
    decided_at: datetime.datetime
    approved_at: datetime.datetime | None

    @staticmethod
    def resolve_evidence(obj):
        return [entry.uuid for entry in obj.evidence.all()]


class DecisionPage(Schema):
    items: list[Decision]
    next_cursor: str | None = None


class DecisionIn(Schema):
    partnership: UUID
    kind: Decided
    rationale: Text
    evidence: list[UUID] = Field([], max_length=200)


class DecisionFilters(Schema):
    partnership: UUID | None = None
    state: Literal["pending", "approved", "rejected", "effective"] | None = None
    kind: Decided | None = None
    cursor: text(2000) | None = None
    limit: int = Field(25, ge=1, le=100)


class ReviewIn(Schema):
    note: text(5000) = Field(description="The reason, required either way.")
