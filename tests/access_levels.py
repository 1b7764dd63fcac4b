"""The vocabulary of the access map (``tests/access_map.py``): who may use a route's GET and
POST (``Access``, ``A``), a route's entry (``Route``), the levels and the URL kwargs that
recur."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Access:
    level: str | None
    ok: frozenset[int] = frozenset()


def A(level, ok=()):  # noqa: N802 (reads as a table)
    return Access(level, frozenset(ok))


@dataclass(frozen=True)
class Route:
    get: Access
    post: Access
    kwargs: dict[str, str] | Callable = field(default_factory=dict)
    query: str = ""
    fresh: bool = False  # the POST ends the session (logout): a new client per cell

    @property
    def link(self) -> bool:
        """A personal signing link: the signer role uses its own."""
        return isinstance(self.kwargs, dict) and "token:sign" in self.kwargs.values()

    @property
    def names_an_object(self) -> bool:
        """A Northwind object is in the URL: for another organization's member, a 404."""
        if not isinstance(self.kwargs, dict):
            return False
        return any(":" not in ref for ref in self.kwargs.values())


R = Route
NO = A(None)
PUBLIC = A("public")
LOGIN = A("login")
V, M, OWN = A("viewer"), A("manager"), A("owner")
# Permitted, then refused by the method check (the role check comes first).
LOGIN_405 = A("login", ok={405})
V_405, M_405, OWN_405 = A("viewer", ok={405}), A("manager", ok={405}), A("owner", ok={405})
TOKEN = A("token")
ANYONE = A("anyone")

P = {"partnership_uuid": "partnership"}
PARTNER = {"uuid": "partner"}
CONTACT = {"uuid": "partner", "contact_uuid": "contact"}
CARD_STEP = {"partnership_uuid": "partnership", "step": "text:capability"}
SIGN = {"token": "token:sign"}
OUR_SIGNER = {"signer_uuid": "our_signer"}
APPLICATION = {"application_uuid": "application"}
ORG_SLUG = {"org_slug": "org.slug"}
ENDPOINT = {"endpoint_uuid": "endpoint"}
