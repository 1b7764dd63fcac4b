"""Shapes shared by every resource: references to people and partnerships, and text input.

Every object is named by its UUID (``id``); database ids never leave the server.
"""

from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it as the pages' forms do.
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    return value


def text(max_length: int | None = None):
    """A string input type: no NUL characters, at most ``max_length`` characters."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_no_nul)]


Line = text(200)
Text = text(20_000)
Search = text(100)


class UserRef(Schema):
    id: UUID = Field(alias="uuid")
    email: str
    name: str = Field(alias="display_name")


class PartnerRef(Schema):
    id: UUID = Field(alias="uuid")
    name: str


class PartnershipRef(Schema):
    id: UUID = Field(alias="uuid")
    name: str
    partner: PartnerRef


class Member(Schema):
    id: UUID = Field(alias="uuid", description="The membership's id.")
    user: UserRef
    role: str = Field(description="owner, manager or viewer")
    can_approve: bool
    created_at: datetime.datetime


class MemberPage(Schema):
    items: list[Member]
    next_cursor: str | None = Field(
        None, description="Pass as ?cursor= for the next page; null on the last page."
    )


def user_ref(user) -> dict | None:
    """A user as a reference, or None (for nullable people fields)."""
    if user is None:
        return None
    return {"uuid": user.uuid, "email": user.email, "display_name": user.display_name}
