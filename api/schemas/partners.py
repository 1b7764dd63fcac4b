"""Partners and their contacts."""

from __future__ import annotations

import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from .common import Search, Text, text


class Contact(Schema):
    id: UUID = Field(alias="uuid")
    name: str
    email: str
    title: str
    created_at: datetime.datetime


class ContactPage(Schema):
    items: list[Contact]
    next_cursor: str | None = None


class PartnershipBrief(Schema):
    id: UUID = Field(alias="uuid")
    name: str
    tier: int
    phase: str
    status: str


class Partner(Schema):
    id: UUID = Field(alias="uuid")
    name: str
    website: str
    category: str
    description: str
    contacts: list[Contact]
    partnerships: list[PartnershipBrief] = Field(
        description="The partner's partnerships; in a filtered list, those that match."
    )
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_contacts(obj):
        return list(obj.contacts.all())

    @staticmethod
    def resolve_partnerships(obj):
        shown = getattr(obj, "shown_partnerships", None)
        return shown if shown is not None else list(obj.partnerships.all())


class PartnerPage(Schema):
    items: list[Partner]
    next_cursor: str | None = None


class PartnerIn(Schema):
    name: text(160)
    website: text(200) = ""
    category: text(80) = ""
    description: Text = ""


class PartnerPatch(Schema):
    name: text(160) | None = None
    website: text(200) | None = None
    category: text(80) | None = None
    description: Text | None = None


class ContactIn(Schema):
    name: text(150)
    email: text(254)
    title: text(150) = ""


class ContactPatch(Schema):
    name: text(150) | None = None
    email: text(254) | None = None
    title: text(150) | None = None


class PartnerFilters(Schema):
    """The partner list's filters, as on the Partners page."""

    q: Search = Field("", description="Partner name or category, or a partnership's name.")
    tier: Literal[1, 2, 3] | None = Field(None, description="Has a partnership of this tier.")
    phase: Literal["crawl", "walk", "run"] | None = None
    status: (
        Literal["proposed", "active", "deferred", "renegotiating", "unwinding", "ended"] | None
    ) = None
    owner: UUID | None = Field(None, description="Has a partnership owned by this user.")
    flagged: bool = Field(False, description="Has a partnership with an anti-pattern flag.")
    sort: Literal["name", "-name", "-activity", "-partnerships"] = "name"
    cursor: text(2000) | None = None
    limit: int = Field(25, ge=1, le=100)
