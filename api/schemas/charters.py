"""Charters: versions, signature requests with their signers, the audit trail, documents."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.urls import reverse
from ninja import Field, Schema

from .common import PartnershipRef, UserRef


class VersionSummary(Schema):
    id: UUID = Field(alias="uuid")
    number: int
    title: str
    frozen_at: datetime.datetime | None = Field(description="Sent for signature (then frozen).")
    document_sha256: str
    created_by: UserRef | None
    created_at: datetime.datetime


class Version(VersionSummary):
    mutual_goals: str
    value_exchange: str
    timeline: str
    measurement: str
    decision_cadence: str
    escalation_path: str
    breakage_ownership: str
    claim_sentence: str
    boundary_line: str
    triggers: str
    document_url: str | None = Field(description="The frozen PDF as sent for signature.")

    @staticmethod
    def resolve_document_url(obj):
        if not obj.document_pdf:
            return None
        return reverse("api-v1:version_document", kwargs={"version_id": obj.uuid})


class Signer(Schema):
    id: UUID = Field(alias="uuid")
    side: str = Field(description="ours or partner")
    name: str
    email: str
    title: str
    company: str
    order: int
    state: str = Field(description="pending, signed or declined")
    signature_kind: str
    signed_at: datetime.datetime | None
    declined_at: datetime.datetime | None
    decline_reason: str


class SignatureRequest(Schema):
    id: UUID = Field(alias="uuid")
    version: int = Field(description="The version number sent.")
    state: str = Field(description="pending, completed, declined, voided or expired")
    ordered: bool
    require_code: bool
    sent_by: UserRef | None
    sent_at: datetime.datetime
    expires_at: datetime.datetime
    completed_at: datetime.datetime | None
    closed_reason: str
    closed_at: datetime.datetime | None
    execution_state: str
    executed_at: datetime.datetime | None
    executed_sha256: str
    executed_pdf_url: str | None
    signers: list[Signer]

    @staticmethod
    def resolve_version(obj):
        return obj.version.number

    @staticmethod
    def resolve_executed_pdf_url(obj):
        if obj.execution_state != "done":
            return None
        return reverse("api-v1:executed_document", kwargs={"request_id": obj.uuid})


class Charter(Schema):
    id: UUID = Field(alias="uuid")
    partnership: PartnershipRef
    executed_at: datetime.datetime | None
    executed_version: int | None
    versions: list[VersionSummary]
    signature_requests: list[SignatureRequest]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_executed_version(obj):
        return obj.executed_version.number if obj.executed_version_id else None

    @staticmethod
    def resolve_versions(obj):
        return obj.versions_list  # loaded by the route, newest first

    @staticmethod
    def resolve_signature_requests(obj):
        return obj.requests_list


class CharterSummary(Schema):
    id: UUID = Field(alias="uuid")
    partnership: PartnershipRef
    executed_at: datetime.datetime | None
    latest_version: int | None
    open_request: UUID | None = Field(description="The signature request awaiting signatures.")
    updated_at: datetime.datetime


class CharterPage(Schema):
    items: list[CharterSummary]
    next_cursor: str | None = None


class AuditEvent(Schema):
    id: UUID = Field(alias="uuid")
    kind: str
    created_at: datetime.datetime
    signer: UUID | None
    actor: UserRef | None
    ip_address: str | None
    user_agent: str
    document_sha256: str
    detail: str

    @staticmethod
    def resolve_signer(obj):
        return obj.signer.uuid if obj.signer_id else None


class AuditPage(Schema):
    items: list[AuditEvent]
    next_cursor: str | None = None
