"""Every page kind of the access map, as the caller who sees the most of it.

``tests/access_map.py`` lists every route with the objects that fill it; here each route whose
GET gives a member (or a link holder, or anyone) an HTML page becomes one page kind to check.
Files, feeds and redirects are left out by what the server answers, not by a list, so a new
route is checked the day it is added to the map.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from tests.access_map import ROUTES, Route, fill

# Who opens a route of each GET access level: the member who sees the most (every button),
# the signer named on the row, or nobody signed in.
OPENER = {
    "viewer": "owner",
    "manager": "owner",
    "owner": "owner",
    "approver": "owner",
    "login": "owner",
    "signer": "manager",
    "anyone": "anonymous",
    "public": "anonymous",
}

# The area each page belongs to, named in a finding so its owner finds it.
ELSEWHERE = {
    "identity": ("accounts:", "account_", "mfa_", "usersessions_"),
    "apiprog": ("programs:", "api:", "webhooks:", "api-v1:"),
    "room": ("partnerroom:",),
    "guide": ("guide:",),
}

# Pages drawn by a script after they load: checked once this appears.
READY = {"api-v1:openapi-view": ".swagger-ui .info"}

# Forms tried once more after a failed submit (every required field left empty).
FORMS = (
    "partnerships:partner_create",
    "partnerships:partner_edit",
    "partnerships:contact_edit",
    "partnerships:partnership_create",
    "partnerships:partnership_edit",
    "partnerships:launch_item_edit",
    "evidence:entry_new",
    "evidence:entry_correct",
    "evidence:decision_new",
    "charters:edit",
    "charters:send",
    "charters:verify",
    "fitcards:step",
    "reviews:review",
    "accounts:profile",
    "accounts:settings",
    "account_login",
    "account_signup",
    "account_reset_password",
    "programs:apply",
    "partnerroom:access",
)


@dataclass(frozen=True)
class PageKind:
    name: str
    role: str
    path: str

    @property
    def area(self) -> str:
        """Whose templates these are: ``polish`` (this issue's) or the helper who owns them."""
        for area, prefixes in ELSEWHERE.items():
            if self.name.startswith(prefixes):
                return area
        return "polish"

    @property
    def slug(self) -> str:
        return self.name.replace(":", "-").replace("_", "-")


def _openable(route: Route) -> bool:
    return route.get.level in OPENER and not route.get.ok


def page_kinds(world) -> list[PageKind]:
    """One entry per route of the map that a caller may GET (the API's own pages included)."""
    kinds = []
    for name, route in ROUTES.items():
        if _openable(route):
            path = reverse(name, kwargs=fill(route, world)) + route.query
            kinds.append(PageKind(name, OPENER[route.get.level], path))
    kinds.append(PageKind("api-v1:openapi-view", "anonymous", reverse("api-v1:openapi-view")))
    return kinds
