"""The partner-contact row of the access matrix (SPEC §8).

- Every route of the partner room is a public door, a room page (partner session) or ours
  (``member_required``), and nothing else.
- Every room page × {PayHarbor's contact, Ledgerline's contact, no session, a member of ours
  without a partner session}: only PayHarbor's contact reaches PayHarbor's objects; another
  partner's contact gets 404 (never a hint it exists); without a session, the access page.
- Every other route of the site, walked from the URL resolver, answers a request carrying a
  live partner session exactly as it answers an anonymous one: the partner cookie opens
  nothing of ours.
"""

import datetime
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from charters import services as charters
from charters.models import CharterVersion, SignatureRequest
from partnerroom.models import GateConfirmation
from partnerroom.services.cosign import confirmation_request
from partnerroom.services.sharing import entry_sharing_set
from reviews.models import PartnerReview
from reviews.services import cycle_start
from tests.charters.conftest import CHARTER_DATA
from tests.evidence.factories import log_evidence

pytestmark = pytest.mark.django_db

DOORS = {"access", "access_sent", "sign_in", "code", "sign_out"}
ROOM = {
    "home",
    "partnership",
    "executed_pdf",
    "version_pdf",
    "snapshot",
    "entry_file",
    "evidence_new",
    "reviews",
    "review",
    "gate",
}


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns or namespace)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace else (p.name or "")
            yield name, prefix + str(p.pattern), p.callback


def routes():
    return list(_walk(get_resolver().url_patterns))


def room_routes():
    return [(n.split(":", 1)[1], r, v) for n, r, v in routes() if n.startswith("partnerroom:")]


def test_every_room_route_is_a_door_a_room_page_or_ours(db):
    anonymous = Client()
    for name, route, view in room_routes():
        if name in DOORS:
            assert not hasattr(view, "partner_room"), name
        elif name in ROOM:
            assert getattr(view, "partner_room", False), name
        else:
            # ours: a member of ours signs in first (whatever the method)
            assert name.startswith("manage_"), name
            response = anonymous.get(_filled(route))
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login/"), name
    assert {n for n, _r, _v in room_routes()} >= DOORS | ROOM


@pytest.fixture
def world(acquiring, lena, owner, grant, deliver, org):
    """One PayHarbor object of every kind a room URL names."""
    grant(lena, signs_gates=True, reviews_health=True)
    entry = log_evidence(
        acquiring,
        artifact="Matrix entry",
        file=SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    entry_sharing_set(entry=entry, level="full", actor=owner)
    version = charters.charter_save(partnership=acquiring, actor=owner, data=CHARTER_DATA)
    name = default_storage.save("tests/matrix-charter.pdf", ContentFile(b"%PDF-1.4 matrix"))
    CharterVersion.objects.filter(pk=version.pk).update(
        frozen_at=timezone.now(),
        document_pdf=name,
        evidence_sequence=entry.sequence,
        evidence_head=entry.entry_hash,
        evidence_entries=1,
    )
    executed = SignatureRequest.objects.create(
        organization=org,
        version=version,
        expires_at=timezone.now() + datetime.timedelta(days=3),
        state="completed",
        execution_state="done",
        executed_pdf=name,
    )
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    with deliver():
        cycle_start(organization=org, starts_on=monday)
    confirmation = confirmation_request(partnership=acquiring, kind="go", requested_by=owner)
    return {
        "partnership_uuid": acquiring.uuid,
        "request_uuid": executed.uuid,
        "version_uuid": version.uuid,
        "entry_uuid": entry.uuid,
        "review_uuid": PartnerReview.objects.get(partnership=acquiring).uuid,
        "confirmation_uuid": confirmation.uuid,
    }


def _room_path(route, objects):
    path = "/" + route
    for kwarg in re.findall(r"<uuid:(\w+)>", route):
        path = path.replace(f"<uuid:{kwarg}>", str(objects[kwarg]))
    return path


def test_only_the_partners_own_contact_reaches_its_room(
    world, lena, priya, signed_in, owner_client, sync
):
    callers = {
        "payharbor": signed_in(lena),
        "ledgerline": signed_in(priya, signs_gates=True, reviews_health=True),
        "nobody": Client(),
        "our member": owner_client,
    }
    tried = 0
    for name, route, _view in room_routes():
        if name not in ROOM:
            continue
        path = _room_path(route, world)
        has_object = "<uuid:" in route
        for caller, client in callers.items():
            response = client.get(path)
            tried += 1
            if caller == "payharbor":
                assert response.status_code == 200, (name, caller, response.status_code)
            elif caller == "ledgerline":
                expected = 404 if has_object else 200
                assert response.status_code == expected, (name, caller, response.status_code)
            else:
                assert response.status_code == 302, (name, caller)
                assert response["Location"].startswith(reverse("partnerroom:access"))
    assert tried == len(ROOM) * len(callers)


def test_another_partners_contact_cannot_answer_or_confirm_here(world, priya, signed_in):
    client = signed_in(priya, signs_gates=True, reviews_health=True)
    review = client.post(
        _room_path("room/reviews/<uuid:review_uuid>/", world),
        {"health": "red", "renegotiation_trigger": "x"},
    )
    gate = client.post(
        _room_path("room/gates/<uuid:confirmation_uuid>/", world), {"answer": "confirm"}
    )
    assert review.status_code == 404 and gate.status_code == 404
    assert PartnerReview.objects.get(uuid=world["review_uuid"]).state == "due"
    assert GateConfirmation.objects.get(uuid=world["confirmation_uuid"]).state == "pending"


def test_a_contact_of_another_organizations_partner_sees_nothing_of_ours(
    world, globex_partnership, signed_in
):
    client = signed_in(globex_partnership.partner.contacts.get())
    home = client.get(reverse("partnerroom:home"))
    assert home.status_code == 200 and b"PayHarbor" not in home.content
    for name, route, _view in room_routes():
        if name in ROOM and "<uuid:" in route:
            assert client.get(_room_path(route, world)).status_code == 404, name


def test_made_up_ids_in_the_room_are_404_not_500(lena, signed_in):
    client = signed_in(lena)
    for name, route, _view in room_routes():
        if name in ROOM and "<uuid:" in route:
            path = "/" + re.sub(r"<uuid:\w+>", str(uuid.uuid4()), route)
            assert client.get(path).status_code == 404, name


def _filled(route: str) -> str | None:
    if "^" in route or "(?P" in route:
        return None  # regular-expression routes (the admin): checked separately below
    path = "/" + route
    path = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), path)
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<slug:\w+>", "northwind", path)
    return re.sub(r"<(?:\w+:)?\w+>", "x", path)


def test_a_partner_session_opens_nothing_outside_the_room(world, lena, signed_in, org):
    partner = signed_in(lena)
    anonymous = Client()
    checked = 0
    for name, route, _view in routes():
        if name.startswith("partnerroom:") and name.split(":", 1)[1] in DOORS | ROOM:
            continue
        path = _filled(route)
        if path is None:
            continue
        with_cookie = partner.get(path)
        without = anonymous.get(path)
        assert with_cookie.status_code == without.status_code, (name, path)
        if without.status_code == 302 and without["Location"].startswith("/accounts/login/"):
            # a page of ours: the partner session is sent to our login page like anyone
            assert with_cookie["Location"] == without["Location"], name
            checked += 1
    assert checked >= 60
    admin = partner.get("/admin/")
    assert admin.status_code == anonymous.get("/admin/").status_code
    assert admin.status_code in (302, 404)
