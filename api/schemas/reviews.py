"""Weekly health reviews: the seed's three questions, the unwind trigger and overall health."""

from __future__ import annotations

import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from .common import PartnershipRef, Text, UserRef, text


class Cycle(Schema):
    id: UUID = Field(alias="uuid")
    starts_on: datetime.date
    due_on: datetime.date


class HealthReview(Schema):
    id: UUID = Field(alias="uuid")
    partnership: PartnershipRef
    cycle: Cycle
    phase: str = Field(description="The partnership's phase when the cycle started.")
    due_on: datetime.date
    state: str = Field(description="due, overdue, submitted or skipped (missed)")
    boundary_violated: str = Field(description="What boundary was violated this cycle?")
    evidence_less_trustworthy: str = Field(
        description="What evidence is now less trustworthy because of the partner seam?"
    )
    renegotiation_trigger: str = Field(description="What would trigger renegotiation or unwind?")
    unwind_trigger_fired: bool
    health: str = Field(description="green, amber or red; empty until submitted")
    notes: str
    submitted_by: UserRef | None
    submitted_at: datetime.datetime | None


class ReviewPage(Schema):
    items: list[HealthReview]
    next_cursor: str | None = None


class ReviewFilters(Schema):
    state: Literal["open", "mine", "overdue", "submitted", "skipped", "all"] = Field(
        "open", description="As on the reviews page; open and overdue lists are soonest first."
    )
    partnership: UUID | None = None
    cursor: text(2000) | None = None
    limit: int = Field(25, ge=1, le=100)


class ReviewEvidenceIn(Schema):
    """An evidence entry recorded with the review (optional)."""

    artifact: Text
    quality: Literal["anecdote", "demo", "pilot", "real"]
    limits: text(2000) = ""
    boundary_status: Literal["intact", "strained", "violated"] = "intact"
    observed_on: datetime.date | None = None


class SubmitIn(Schema):
    boundary_violated: Text = Field("", description="Write “none” if none was.")
    evidence_less_trustworthy: Text = ""
    renegotiation_trigger: Text
    unwind_trigger_fired: bool = False
    health: Literal["green", "amber", "red"]
    notes: Text = Field("", description="Required when the unwind trigger fired.")
    evidence: ReviewEvidenceIn | None = None
