"""Partner Fit Cards: the latest finished revision and the history of revisions."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from .common import PartnershipRef, UserRef


class Revision(Schema):
    number: int
    data: dict[str, Any] = Field(
        description="The card and claim as they were finished (capability, incentives and "
        "conflict risks, integration surface, evidence artifacts, exit path, …)."
    )
    completeness: int = Field(description="Percent of the card filled in.")
    created_by: UserRef | None
    created_at: datetime.datetime


class RevisionPage(Schema):
    items: list[Revision]
    next_cursor: str | None = None


class FitCard(Schema):
    id: UUID = Field(alias="uuid")
    partnership: PartnershipRef
    revision_count: int
    finished_at: datetime.datetime | None
    finished_by: UserRef | None
    latest_revision: Revision | None
