"""Partnerships: the seed fields, the rules' judgement (flags, time box, leverage advice),
phase and status with their history, and the go / no-go decision that changes the phase."""

from __future__ import annotations

import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from core.clock import org_today
from partnerships.rules import leverage_advice, partnership_flags, phase_time_box

from .common import Line, PartnerRef, Search, Text, UserRef, text

Phase = Literal["crawl", "walk", "run"]
Status = Literal["proposed", "active", "deferred", "renegotiating", "unwinding", "ended"]
Leverage = Literal["requirement", "economic", "competitive", "customer", "co_marketing"]
Dependency = Literal["low", "medium", "critical"]


class Flag(Schema):
    code: str
    title: str
    explanation: str
    severity: str = Field(description="warn or bad")


class TimeBox(Schema):
    min_weeks: int
    max_weeks: int
    ends_on: datetime.date
    weeks_elapsed: int
    overdue: bool


class LeverageAdvice(Schema):
    level: str = Field(description="full, light or dont")
    headline: str
    explanation: str


class Partnership(Schema):
    id: UUID = Field(alias="uuid")
    partner: PartnerRef
    name: str
    tier: int = Field(description="1 integration, 2 partnership, 3 strategic")
    phase: str
    phase_started_on: datetime.date
    phase_success_criteria: str
    status: str
    leverage: str
    launched_on: datetime.date | None
    dependency: str
    owner: UserRef
    approver: UserRef | None
    value_to_us: str
    value_to_partner: str
    value_to_customers: str
    we_lose: str
    partner_loses: str
    claim_uncertainty: str
    claim_capability: str
    claim_boundary: str
    claim_evidence: str
    boundary_not_established: str
    deferral_condition: str
    deferral_date: datetime.date | None
    unwind_condition: str
    unwind_authorizer: UserRef | None
    integration_pathway: str
    exit_path: str
    missed_review_cycles: int
    claim_sentence: str
    boundary_line: str
    deferral_sentence: str
    flags: list[Flag] = Field(description="The anti-pattern flags (rules 1, 2, 6 and 7).")
    time_box: TimeBox
    leverage_advice: LeverageAdvice
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_flags(obj, context):
        return partnership_flags(obj, today=_today(context))

    @staticmethod
    def resolve_time_box(obj, context):
        return phase_time_box(
            phase=obj.phase, started_on=obj.phase_started_on, today=_today(context)
        )

    @staticmethod
    def resolve_leverage_advice(obj):
        return leverage_advice(obj.leverage)


def _today(context) -> datetime.date:
    """The organization's today, worked out once per request."""
    request = context["request"]
    if not hasattr(request, "_api_today"):
        request._api_today = org_today(request.organization)
    return request._api_today


class PartnershipPage(Schema):
    items: list[Partnership]
    next_cursor: str | None = None


class PartnershipIn(Schema):
    partner: UUID
    name: text(160)
    tier: Literal[1, 2, 3] = 1
    leverage: Leverage
    dependency: Dependency = "low"
    owner: UUID | None = Field(None, description="A member's user id; the token's maker if empty.")
    approver: UUID | None = None
    phase_success_criteria: Text = Field("", description="Crawl's success criteria.")
    value_to_us: Text = ""
    value_to_partner: Text = ""
    value_to_customers: Text = ""
    we_lose: Text = ""
    partner_loses: Text = ""
    claim_uncertainty: Text
    claim_capability: Text = ""
    claim_boundary: Text = ""
    claim_evidence: Text = ""
    boundary_not_established: Text = ""
    deferral_condition: Text = "evidence remains ambiguous"
    deferral_date: datetime.date | None = None
    unwind_condition: Text = ""
    unwind_authorizer: UUID | None = None
    integration_pathway: Text = ""
    exit_path: Text = ""
    request_id: UUID | None = Field(
        None, description="Idempotency key: the same request_id creates one partnership."
    )


class PartnershipPatch(Schema):
    """The descriptive fields; partner and tier do not change here, phase and status change
    through their own operations."""

    name: text(160) | None = None
    leverage: Leverage | None = None
    dependency: Dependency | None = None
    owner: UUID | None = None
    approver: UUID | None = None
    phase_success_criteria: Text | None = None
    value_to_us: Text | None = None
    value_to_partner: Text | None = None
    value_to_customers: Text | None = None
    we_lose: Text | None = None
    partner_loses: Text | None = None
    claim_uncertainty: Text | None = None
    claim_capability: Text | None = None
    claim_boundary: Text | None = None
    claim_evidence: Text | None = None
    boundary_not_established: Text | None = None
    deferral_condition: Text | None = None
    deferral_date: datetime.date | None = None
    unwind_condition: Text | None = None
    unwind_authorizer: UUID | None = None
    integration_pathway: Text | None = None
    exit_path: Text | None = None


class PartnershipFilters(Schema):
    q: Search = Field("", description="Partnership or partner name.")
    partner: UUID | None = None
    tier: Literal[1, 2, 3] | None = None
    phase: Phase | None = None
    status: Status | None = None
    owner: UUID | None = None
    flagged: bool = False
    sort: Literal["name", "-updated", "created", "-created"] = "name"
    cursor: text(2000) | None = None
    limit: int = Field(25, ge=1, le=100)


class HistoryEvent(Schema):
    id: UUID = Field(alias="uuid")
    kind: str = Field(description="created, phase, status, flow, decision, fit_card, …")
    summary: str
    detail: str
    from_value: str
    to_value: str
    actor: UserRef | None
    by_system: bool
    created_at: datetime.datetime


class HistoryPage(Schema):
    items: list[HistoryEvent]
    next_cursor: str | None = None


class StatusIn(Schema):
    to_status: Status
    reason: text(2000)


class Question(Schema):
    key: str
    text: str
    help: str


class GoNoGo(Schema):
    """The go / no-go decision for the current phase, as the page asks it."""

    flow: str | None = Field(description="crawl_to_walk or walk_to_run; null in run")
    title: str | None
    questions: list[Question]
    choices: list[str] = Field(description="go, restart (walk only) or end")
    blockers: list[str] = Field(description="What the gates would refuse a go for, right now.")


class GoNoGoIn(Schema):
    answers: dict[Line, Literal["yes", "no"]] = Field(
        description='The answer to each question by its key, e.g. {"crawl_met": "yes"}.'
    )
    final_choice: Literal["go", "restart", "end"]
    override_reason: Text = Field("", description="Needed when the choice differs.")
    success_criteria: Text = Field("", description="For the next phase (a go or a restart).")
    request_id: UUID | None = Field(None, description="Idempotency key.")


class GoNoGoResult(Schema):
    recommendation: str
    final_choice: str
    overridden: bool
    partnership: Partnership
