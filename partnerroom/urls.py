"""The partner room. ``room/…``: the partner's side (no account; the room's own session).
``partner-rooms/…``: room settings for members of ours (our layout, our roles).

Names: ``access``, ``access_sent``, ``sign_in``, ``code`` and ``sign_out`` are the room's doors
(public); the other ``room/`` pages need a partner session; ``manage_*`` are ours.
"""

from django.urls import path

from .views import answers, evidence, manage, public, room, sharing

app_name = "partnerroom"

urlpatterns = [
    # the partner's side: public doors
    path("room/access/", public.access, name="access"),
    path("room/access/sent/", public.access_sent, name="access_sent"),
    path("room/sign-in/<str:token>/", public.sign_in, name="sign_in"),
    path("room/code/", public.code, name="code"),
    path("room/sign-out/", public.sign_out, name="sign_out"),
    # the partner's side: inside the room
    path("room/", room.home, name="home"),
    path("room/p/<uuid:partnership_uuid>/", room.partnership, name="partnership"),
    path(
        "room/p/<uuid:partnership_uuid>/executed/<uuid:request_uuid>.pdf",
        room.executed_pdf,
        name="executed_pdf",
    ),
    path(
        "room/p/<uuid:partnership_uuid>/charter/<uuid:version_uuid>.pdf",
        room.version_pdf,
        name="version_pdf",
    ),
    path(
        "room/p/<uuid:partnership_uuid>/charter/<uuid:version_uuid>/evidence/",
        room.snapshot,
        name="snapshot",
    ),
    path(
        "room/p/<uuid:partnership_uuid>/evidence/<uuid:entry_uuid>/file/",
        room.entry_file,
        name="entry_file",
    ),
    path(
        "room/p/<uuid:partnership_uuid>/evidence/new/",
        evidence.evidence_new,
        name="evidence_new",
    ),
    path("room/reviews/", answers.reviews, name="reviews"),
    path("room/reviews/<uuid:review_uuid>/", answers.review, name="review"),
    path("room/gates/<uuid:confirmation_uuid>/", answers.gate, name="gate"),
    # ours: room settings
    path("partner-rooms/", manage.rooms, name="manage_rooms"),
    path("partner-rooms/cosign/", sharing.cosign_policy, name="manage_cosign"),
    path("partner-rooms/<uuid:partner_uuid>/", manage.room, name="manage_room"),
    path("partner-rooms/<uuid:partner_uuid>/audit/", manage.audit, name="manage_audit"),
    path(
        "partner-rooms/access/<uuid:access_uuid>/",
        manage.access_update,
        name="manage_access",
    ),
    path(
        "partner-rooms/access/<uuid:access_uuid>/revoke/",
        manage.access_revoke,
        name="manage_revoke",
    ),
    path(
        "partner-rooms/partnerships/<uuid:partnership_uuid>/",
        sharing.partnership,
        name="manage_partnership",
    ),
    path(
        "partner-rooms/partnerships/<uuid:partnership_uuid>/cosign/",
        sharing.cosign_override,
        name="manage_override",
    ),
    path(
        "partner-rooms/partnerships/<uuid:partnership_uuid>/confirmations/",
        sharing.confirmation_request,
        name="manage_request",
    ),
    path(
        "partner-rooms/confirmations/<uuid:confirmation_uuid>/withdraw/",
        sharing.confirmation_withdraw,
        name="manage_withdraw",
    ),
    path("partner-rooms/entries/<uuid:entry_uuid>/", sharing.entry, name="manage_entry"),
]
