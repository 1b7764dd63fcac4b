"""The access map: every URL name of the project, the objects that fill its URL, and who may
use its GET and its POST (read by ``tests/test_access_matrix.py``).

Adding a route is one line in ``ROUTES``::

    "app:name": R(GET access, POST access, {"url_kwarg": "world object"}),

A URL kwarg names what fills it, made by ``tests.factories.build_world``:

- ``"partnership"``: ``world.objects["partnership"].uuid`` (``"org.slug"``: another attribute);
- ``"token:sign"``: the raw token ``world.tokens["sign"]``. The signer role (who holds a
  signing link of another organization's charter) gets its own link instead, and its page
  must not show Northwind;
- ``"text:capability"``: that text as it is.

Access levels:

- ``public``: anyone; anything but a 500 (``ok``: exactly those statuses);
- ``anyone``: everyone gets the page, never a 403, 404 or 410 (on a link route: whoever
  holds the live link);
- ``login``: anyone signed in;
- ``viewer`` / ``manager`` / ``owner``: a member with at least that role (below it: 403);
- ``approver``: the decision's approver (Northwind's owner);
- ``signer``: the signer's own account (the manager); any other member gets a 404;
- ``token``: API tokens only; every caller here has a session at most, so a 401;
- ``None``: the method is refused first, a 405 for everyone.

``ok`` is what a permitted caller gets when it is not the page (a 405 after the role check).
Another organization's member gets a 404 wherever a Northwind object is in the URL.
"""

from __future__ import annotations

from tests.access_levels import (  # noqa: F401 (Access, Route: the map's vocabulary)
    ANYONE,
    APPLICATION,
    CARD_STEP,
    CONTACT,
    ENDPOINT,
    LOGIN,
    LOGIN_405,
    M_405,
    NO,
    ORG_SLUG,
    OUR_SIGNER,
    OWN,
    OWN_405,
    PARTNER,
    PUBLIC,
    SIGN,
    TOKEN,
    V_405,
    A,
    Access,
    M,
    P,
    R,
    Route,
    V,
)

ROUTES: dict[str, Route] = {
    # partnerships
    "partnerships:home": R(V, V),
    "dashboard": R(V, V),
    "partnerships:partner_list": R(V, V),
    "partnerships:partner_create": R(M, M),
    "partnerships:partner_detail": R(V, V, PARTNER),
    "partnerships:partner_edit": R(M, M, PARTNER),
    "partnerships:contact_create": R(NO, M, PARTNER),
    "partnerships:contact_row": R(V, V, CONTACT),
    "partnerships:contact_edit": R(M, M, CONTACT),
    "partnerships:partnership_create": R(M, M),
    "partnerships:partnership_detail": R(V, V, P),
    "partnerships:partnership_edit": R(M, M, P),
    "partnerships:partnership_status": R(NO, M, P),
    "partnerships:partnership_flow": R(V, M, {**P, "slug": "text:crawl-to-walk"}),
    "partnerships:launch_plan": R(V, M, P),
    "partnerships:launch_item_toggle": R(NO, M, {"item_uuid": "launch_item"}),
    "partnerships:launch_item_edit": R(M, M, {"item_uuid": "launch_item"}),
    "partnerships:flow_history": R(V, V),
    "partnerships:flow_build_vs_partner": R(V, M),
    "partnerships:flow_program": R(V, OWN),
    # accounts
    "accounts:onboarding": R(LOGIN, LOGIN),
    "accounts:switch": R(LOGIN_405, V, {"org_uuid": "org"}),
    "accounts:settings": R(OWN, OWN),
    "accounts:profile": R(LOGIN, LOGIN),
    "accounts:sso": R(OWN, OWN),
    "accounts:sso_remove": R(OWN_405, OWN),
    "accounts:members": R(V, V),
    "accounts:invite": R(OWN_405, OWN),
    "accounts:change_role": R(OWN_405, OWN, {"membership_uuid": "spare_membership"}),
    "accounts:remove_member": R(OWN_405, OWN, {"membership_uuid": "spare_membership"}),
    "accounts:revoke_invitation": R(OWN_405, OWN, {"invitation_uuid": "invitation"}),
    "accounts:invitation_accept": R(ANYONE, ANYONE, {"token": "token:invitation"}),
    # API tokens and webhooks (owners)
    "api:tokens": R(OWN, OWN),
    "api:token_new": R(NO, OWN),
    "api:token_revoke": R(NO, OWN, {"token_uuid": "api_token"}),
    "webhooks:endpoints": R(OWN, OWN),
    "webhooks:endpoint_new": R(NO, OWN),
    "webhooks:endpoint": R(OWN, OWN, ENDPOINT),
    "webhooks:endpoint_rotate": R(NO, OWN, ENDPOINT),
    "webhooks:endpoint_test": R(NO, OWN, ENDPOINT),
    "webhooks:endpoint_delete": R(NO, OWN, {"endpoint_uuid": "doomed_endpoint"}),
    "webhooks:resend": R(NO, OWN, {"delivery_uuid": "delivery"}),
    # fit cards (asking for a PDF is reading the card: any member)
    "fitcards:index": R(V, V_405),
    "fitcards:blank_fitcard": R(V, V_405),
    "fitcards:blank_evidence_log": R(V, V_405),
    "fitcards:detail": R(V, V_405, P),
    "fitcards:edit": R(M, M_405, P),
    "fitcards:step": R(M, M, CARD_STEP),
    "fitcards:autosave": R(M_405, M, CARD_STEP),
    "fitcards:finish": R(M_405, M, P),
    "fitcards:discard": R(M_405, M, P),
    "fitcards:history": R(V, V_405, P),
    "fitcards:compare": R(V, V_405, P, query="?a=1&b=1"),
    "fitcards:pdf": R(V, V, P),
    "fitcards:pdf_file": R(V, LOGIN_405, {**P, "pdf_uuid": "fitcard_pdf"}),
    # evidence
    "evidence:log": R(V, NO),
    "evidence:entry_new": R(M, M),
    "evidence:export_csv": R(V, V),
    "evidence:export_pdf": R(V, V),
    "evidence:export_status": R(V, LOGIN_405, {"export_uuid": "evidence_export"}),
    "evidence:export_file": R(V, LOGIN_405, {"export_uuid": "evidence_export"}),
    "evidence:policy": R(NO, OWN),
    "evidence:entry_detail": R(V, NO, {"uuid": "entry"}),
    "evidence:entry_correct": R(M, M, {"uuid": "entry"}),
    "evidence:entry_file": R(V, NO, {"uuid": "entry"}),
    "evidence:entry_accept": R(M_405, M, {"uuid": "entry"}),
    "evidence:partnership_log": R(V, NO, {"uuid": "partnership"}),
    "evidence:decision_new": R(M, M, {"uuid": "partnership"}),
    "evidence:decision_detail": R(V, NO, {"uuid": "decision"}),
    "evidence:decision_review": R(NO, A("approver"), {"uuid": "decision"}),
    # charters
    "charters:list": R(V, V),
    "charters:verify": R(ANYONE, ANYONE),
    "charters:detail": R(V, V, P),
    "charters:edit": R(M, M, P),
    "charters:compare": R(V, V, P),
    "charters:send": R(M, M, {"version_uuid": "version"}),
    "charters:document": R(V, V, {"version_uuid": "version"}),
    "charters:version_language": R(M_405, M, {"version_uuid": "version"}),
    "charters:executed_pdf": R(V, V, {"request_uuid": "executed_request"}),
    # signing as a member of ours: only the signer named on the row (the manager)
    "charters:sign_member": R(A("signer"), LOGIN_405, OUR_SIGNER),
    "charters:sign_member_consent": R(LOGIN_405, A("signer"), OUR_SIGNER),
    "charters:sign_member_send_code": R(LOGIN_405, A("signer"), OUR_SIGNER),
    "charters:sign_member_verify_code": R(LOGIN_405, A("signer"), OUR_SIGNER),
    "charters:sign_member_sign": R(LOGIN_405, A("signer"), OUR_SIGNER),
    "charters:sign_member_decline": R(LOGIN_405, A("signer"), OUR_SIGNER),
    # signing by a personal link: the link is the proof
    "charters:sign": R(ANYONE, NO, SIGN),
    "charters:sign_consent": R(NO, ANYONE, SIGN),
    "charters:sign_send_code": R(NO, ANYONE, SIGN),
    "charters:sign_verify_code": R(NO, ANYONE, SIGN),
    "charters:sign_sign": R(NO, ANYONE, SIGN),
    "charters:sign_decline": R(NO, ANYONE, SIGN),
    "charters:sign_document": R(ANYONE, NO, SIGN),
    "charters:sign_executed": R(ANYONE, NO, SIGN),
    # These two end the links above (a voided request, a reminder's new link): keep them last.
    "charters:remind": R(M_405, M, {"signer_uuid": "partner_signer"}),
    "charters:void": R(M_405, M, {"request_uuid": "request"}),
    # health reviews
    "reviews:list": R(V, V),
    "reviews:review": R(V, M, {"uuid": "review"}),
    "reviews:history": R(V, V, {"uuid": "walking"}),
    "reviews:calendar": R(V, V),
    "reviews:feed": R(ANYONE, NO, {"token": "token:feed"}),
    # the e-mail outbox (owners)
    "notifications:outbox": R(OWN, OWN),
    "notifications:retry": R(OWN_405, OWN, {"uuid": "email"}),
    # partner programs: the public pages (the confirmation link works once), then the members'
    # (as in tests/programs/test_access.py)
    "programs:apply": R(ANYONE, ANYONE, ORG_SLUG),
    "programs:apply_sent": R(ANYONE, NO, ORG_SLUG),
    "programs:confirm": R(PUBLIC, PUBLIC, {"token": "token:application"}),
    "programs:directory": R(ANYONE, NO, ORG_SLUG),
    "programs:index": R(V, V),
    "programs:application": R(V, V, APPLICATION),
    "programs:accept": R(NO, M, APPLICATION),
    "programs:decline": R(NO, M, APPLICATION),
    "programs:end": R(NO, M, {"application_uuid": "accepted_application"}),
    "programs:settings": R(OWN, OWN),
    "programs:directory_manage": R(V, V),
    "programs:listing_save": R(NO, M, {"partner_uuid": "program_partner"}),
    "programs:revisit_dismiss": R(NO, OWN, {"suggestion_uuid": "suggestion"}),
    "programs:trust": R(V, V),
    "programs:partner_trust": R(V, V, {"partner_uuid": "partner"}),
    "programs:capacity": R(V, V),
    "programs:revisit": R(V, V),
}

# django-allauth's pages are the login itself: open to anyone, never a 500.
ALLAUTH = {
    "account_login": {},
    "account_logout": {},
    "account_inactive": {},
    "account_signup": {},
    "account_reauthenticate": {},
    "account_request_reauthentication_code": {},
    "account_confirm_reauthentication_code": {},
    "account_email": {},
    "account_email_verification_sent": {},
    "account_change_password": {},
    "account_set_password": {},
    "account_reset_password": {},
    "account_confirm_login_code": {},
    "account_confirm_email": {"key": "text:not-a-key"},
    "account_reset_password_from_key_done": {},
    "account_reset_password_from_key": {"uidb36": "text:1", "key": "text:not-a-key"},
    "account_reset_password_done": {},
    "openid_connect_login": {"provider_id": "text:sso-unknown"},
    "openid_connect_callback": {"provider_id": "text:sso-unknown"},
}
for _name, _kwargs in ALLAUTH.items():
    ROUTES[_name] = R(PUBLIC, PUBLIC, _kwargs, fresh=_name == "account_logout")

# The language switcher: a POST from anyone (a signed-in member's choice is also saved).
ROUTES["set_language"] = R(NO, PUBLIC)

# The method guide is public; a walkthrough file that was not built is a 404.
ROUTES["guide:index"] = R(PUBLIC, PUBLIC)
ROUTES["guide:section"] = R(PUBLIC, PUBLIC, {"slug": "text:evidence-log"})
ROUTES["guide:walkthrough_file"] = R(PUBLIC, PUBLIC, {"name": "text:walkthrough.webm"})

# allauth's two-factor, session and social pages: their own login and reauth rules; here
# every caller must get anything but a 500 (tests/accounts/test_two_factor.py checks each).
for _name in (
    "mfa_activate_totp", "mfa_add_webauthn", "mfa_authenticate", "mfa_deactivate_totp",
    "mfa_download_recovery_codes", "mfa_generate_recovery_codes", "mfa_index",
    "mfa_list_webauthn", "mfa_login_webauthn", "mfa_reauthenticate",
    "mfa_reauthenticate_webauthn", "mfa_view_recovery_codes", "usersessions_list",
    *(f"socialaccount_{n}" for n in ("login_cancelled", "login_error", "signup", "connections")),
):  # fmt: skip
    ROUTES[_name] = R(PUBLIC, PUBLIC)
ROUTES["mfa_edit_webauthn"] = R(PUBLIC, PUBLIC, {"pk": "text:999999"})
ROUTES["mfa_remove_webauthn"] = R(PUBLIC, PUBLIC, {"pk": "text:999999"})

# The partner room: its pages answer to a partner session, never to ours; who reaches what
# (the partner's contact, another partner's, none, one of our members) is
# tests/partnerroom/test_access_matrix.py's matrix over every room route. Here: never a 500.
_ROOM_UUID = "text:00000000-0000-0000-0000-000000000000"
for _name, _kwargs in {
    "partnerroom:access": {},
    "partnerroom:access_sent": {},
    "partnerroom:sign_in": {"token": "text:not-a-token"},
    "partnerroom:code": {},
    "partnerroom:sign_out": {},
    "partnerroom:home": {},
    "partnerroom:partnership": {"partnership_uuid": _ROOM_UUID},
    "partnerroom:evidence_new": {"partnership_uuid": _ROOM_UUID},
    "partnerroom:reviews": {},
    "partnerroom:review": {"review_uuid": _ROOM_UUID},
    "partnerroom:gate": {"confirmation_uuid": _ROOM_UUID},
}.items():
    ROUTES[_name] = R(PUBLIC, PUBLIC, _kwargs)
ROUTES["partnerroom:manage_rooms"] = R(OWN, OWN)
ROUTES["partnerroom:manage_cosign"] = R(OWN, OWN)
ROUTES["partnerroom:manage_room"] = R(OWN, OWN, {"partner_uuid": "partner"})
ROUTES["partnerroom:manage_audit"] = R(OWN, OWN, {"partner_uuid": "partner"})
ROUTES["partnerroom:manage_partnership"] = R(V, M, P)
ROUTES["partnerroom:manage_override"] = R(OWN_405, OWN, P)
ROUTES["partnerroom:manage_request"] = R(M_405, M, P)
# Partner-side files, and staff routes on room objects the shared world does not make: with a
# made-up id every caller must get anything but a 500 (the room's own matrix fills them).
for _name, _kwargs in {
    "partnerroom:executed_pdf": {"partnership_uuid": _ROOM_UUID, "request_uuid": _ROOM_UUID},
    "partnerroom:version_pdf": {"partnership_uuid": _ROOM_UUID, "version_uuid": _ROOM_UUID},
    "partnerroom:snapshot": {"partnership_uuid": _ROOM_UUID, "version_uuid": _ROOM_UUID},
    "partnerroom:entry_file": {"partnership_uuid": _ROOM_UUID, "entry_uuid": _ROOM_UUID},
    "partnerroom:manage_access": {"access_uuid": _ROOM_UUID},
    "partnerroom:manage_revoke": {"access_uuid": _ROOM_UUID},
    "partnerroom:manage_withdraw": {"confirmation_uuid": _ROOM_UUID},
    "partnerroom:manage_entry": {"entry_uuid": _ROOM_UUID},
    "reviews:disagreement_resolve": {"uuid": _ROOM_UUID},
}.items():
    ROUTES[_name] = R(PUBLIC, PUBLIC, _kwargs)

# The REST API (django-ninja) has one rule here, filled for every operation from its schema by
# ``api_route``: a session is no API credential, so every caller of this matrix (anonymous,
# or signed in with a cookie at most) gets a 401 on the path's own methods and a 405 on the
# others; the schema and its docs are public. What each token may do (read, write, another
# organization's token: 404 for Northwind's objects) is tests/api/test_access.py's matrix,
# which fails when an operation of the schema has no case.
API_NAMESPACE = "api-v1"
API_OPEN = {
    "api-v1:openapi-json": R(ANYONE, ANYONE),
    "api-v1:openapi-view": R(ANYONE, ANYONE),
    "api-v1:api-root": R(A("public", ok={404}), A("public", ok={404})),  # ninja's, outside DEBUG
}
API_OBJECTS = {
    "partner_id": "partner",
    "contact_id": "contact",
    "partnership_id": "partnership",
    "number": "text:1",
    "entry_id": "entry",
    "decision_id": "decision",
    "charter_id": "charter",
    "version_id": "version",
    "request_id": "request",
    "review_id": "review",
}


def api_route(name: str, params: list[str], methods: set[str]) -> Route:
    """The entry of one API URL name: ``params`` of its path, ``methods`` it takes."""
    if name in API_OPEN:
        return API_OPEN[name]
    unknown = [p for p in params if p not in API_OBJECTS]
    assert not unknown, f"{name}: add {unknown} to API_OBJECTS (which world object fills it)"
    assert methods, f"{name}: its path is not in the OpenAPI schema"
    return R(
        TOKEN if "get" in methods else NO,
        TOKEN if "post" in methods else NO,
        {p: API_OBJECTS[p] for p in params},
    )


def fill(route: Route, world, *, signer: bool = False) -> dict:
    """The URL kwargs of ``route`` in ``world`` (for the signer role: its own link)."""
    if callable(route.kwargs):
        return route.kwargs(world)
    return {key: _ref(world, ref, signer) for key, ref in route.kwargs.items()}


def _ref(world, ref: str, signer: bool):
    kind, _, rest = ref.partition(":")
    if kind == "text":
        return rest
    if kind == "token":
        found = world.tokens.get("other_sign" if signer and rest == "sign" else rest)
    else:
        name, _, attribute = ref.partition(".")
        found = getattr(world.objects.get(name), attribute or "uuid", None)
    assert found is not None, f"build_world makes no {ref!r}: add it to tests/factories.py"
    return found


RANK = {"viewer": 0, "manager": 1, "owner": 2}
# What a permitted caller may get: the page, a redirect, or a form error.
PAGE = frozenset({200, 201, 204, 302, 400, 409, 410, 422})
LIVE = frozenset({200, 302, 422})  # an open page: itself, a redirect after a write, a form error


def _permitted(level: str, role: str) -> bool:
    if level in ("public", "login"):
        return True
    if level == "approver":
        return role == "owner"
    if level == "signer":
        return role == "manager"
    return RANK[role] >= RANK[level]


def expected(access: Access, role: str, names_an_object: bool) -> frozenset[int] | None:
    """The statuses one cell may answer with; None means anything but a 500.

    A 302 for ``anonymous`` and ``signer`` must lead to the login page (checked by the caller).
    """
    level = access.level
    if level == "public":
        return access.ok or None
    if level is None:
        return frozenset({405})
    if level == "token":
        return frozenset({401})
    if level == "anyone":
        return LIVE
    if role in ("anonymous", "signer"):
        return frozenset({302})
    if role == "outsider":
        if access.ok:
            return access.ok
        return frozenset({404}) if names_an_object else PAGE
    if not _permitted(level, role):
        return frozenset({404}) if level == "signer" else frozenset({403})
    return access.ok or PAGE
