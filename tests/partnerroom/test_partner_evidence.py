"""Evidence a partner contact submits from the room: it enters the same append-only hash
chain, marked as theirs, counts toward sufficiency only after a member of ours accepts it, and
the acceptance is itself an entry (idempotent, role-checked)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.clock import org_today
from evidence.chain import chain_verify, entry_digest
from evidence.models import EvidenceEntry
from evidence.services import partner_evidence_accept, partner_evidence_submit
from evidence.sufficiency import sufficiency_missing
from partnerroom.models import RoomEvent
from tests.evidence.factories import log_evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(org, **extra):
    return {
        "claim": "Dispute desk resolves EU chargebacks within 5 days",
        "artifact": "Our settlement report: 19 of 20 disputes closed in time",
        "limits": "EU merchants only",
        "quality": "pilot",
        "observed_on": (org_today(org) - datetime.timedelta(days=1)).isoformat(),
        "boundary_status": "intact",
        **extra,
    }


def _submit(partnership, contact, **extra):
    values = {
        "claim": "Dispute desk resolves EU chargebacks",
        "artifact": "Partner's own pilot figures",
        "quality": "pilot",
        "observed_on": org_today(partnership.organization) - datetime.timedelta(days=2),
        **extra,
    }
    return partner_evidence_submit(partnership=partnership, contact=contact, **values)


def test_a_partner_contact_adds_evidence_from_the_room_into_the_chain(
    org, acquiring, lena, signed_in
):
    room = signed_in(lena)
    page = reverse("partnerroom:evidence_new", args=[acquiring.uuid])
    assert room.get(page).status_code == 200
    upload = SimpleUploadedFile("settlement.pdf", PDF, content_type="application/pdf")
    response = room.post(page, {**_form(org), "file": upload})
    assert response.status_code == 302
    entry = EvidenceEntry.objects.get()
    assert entry.submitted_by_contact == lena and entry.recorded_by is None
    assert entry.from_partner and entry.file_sha256 and entry.limits == "EU merchants only"
    assert chain_verify(org.pk).intact
    assert RoomEvent.objects.filter(kind=RoomEvent.Kind.EVIDENCE_ADDED, contact=lena).count() == 1
    shown = room.get(reverse("partnerroom:partnership", args=[acquiring.uuid])).content.decode()
    assert "Our settlement report" in shown and "Awaiting acceptance" in shown


def test_bad_input_from_the_room_is_a_form_error_not_a_500(org, acquiring, lena, signed_in):
    room = signed_in(lena)
    page = reverse("partnerroom:evidence_new", args=[acquiring.uuid])
    future = (org_today(org) + datetime.timedelta(days=3)).isoformat()
    assert room.post(page, _form(org, observed_on=future)).status_code == 422
    assert room.post(page, _form(org, quality="nonsense")).status_code == 422
    script = SimpleUploadedFile("x.html", b"<script>alert(1)</script>", content_type="text/html")
    assert room.post(page, {**_form(org), "file": script}).status_code == 422
    assert not EvidenceEntry.objects.exists()


def test_a_partner_cannot_add_evidence_to_another_partners_partnership(
    org, acquiring, sync, lena, priya, signed_in, globex_partnership
):
    room = signed_in(lena)
    for other in (sync, globex_partnership):
        page = reverse("partnerroom:evidence_new", args=[other.uuid])
        assert room.post(page, _form(org)).status_code == 404
    with pytest.raises(ValidationError):
        _submit(acquiring, priya)
    assert not EvidenceEntry.objects.exists()


def test_without_a_room_session_the_form_sends_to_the_access_page(acquiring):
    response = Client().post(reverse("partnerroom:evidence_new", args=[acquiring.uuid]), {})
    assert response.status_code == 302 and "/room/access/" in response["Location"]
    assert not EvidenceEntry.objects.exists()


def test_the_partners_entry_counts_only_after_a_member_accepts_it(acquiring, lena, manager):
    acquiring.dependency = "low"
    acquiring.save(update_fields=["dependency"])
    entry = _submit(acquiring, lena)
    assert sufficiency_missing(partnership=acquiring) != []
    assert sufficiency_missing(partnership=acquiring, entries=[entry]) != []
    accepted = partner_evidence_accept(entry=entry, actor=manager)
    assert accepted.supersedes == entry and accepted.recorded_by == manager
    assert accepted.submitted_by_contact is None and accepted.sequence == entry.sequence + 1
    assert (accepted.artifact, accepted.quality) == (entry.artifact, entry.quality)
    assert "Accepted from PayHarbor's entry" in accepted.correction_reason
    assert sufficiency_missing(partnership=acquiring) == []
    assert chain_verify(acquiring.organization_id).intact


def test_accepting_twice_appends_one_acceptance(acquiring, lena, manager, owner):
    entry = _submit(acquiring, lena)
    first = partner_evidence_accept(entry=entry, actor=manager)
    again = partner_evidence_accept(entry=entry, actor=owner)
    assert first == again
    assert EvidenceEntry.objects.filter(supersedes=entry).count() == 1


def test_only_a_partners_entry_can_be_accepted(acquiring, manager):
    ours = log_evidence(acquiring)
    with pytest.raises(ValidationError):
        partner_evidence_accept(entry=ours, actor=manager)


def test_the_acceptance_keeps_the_partners_file_and_its_digest(acquiring, lena, manager):
    upload = SimpleUploadedFile("settlement.pdf", PDF, content_type="application/pdf")
    entry = _submit(acquiring, lena, file=upload)
    accepted = partner_evidence_accept(entry=entry, actor=manager)
    assert accepted.file.name == entry.file.name
    assert accepted.file_sha256 == entry.file_sha256
    assert chain_verify(acquiring.organization_id).intact


def test_who_submitted_an_entry_is_covered_by_its_hash(acquiring, lena):
    entry = _submit(acquiring, lena)
    assert entry_digest(entry, entry.prev_hash) == entry.entry_hash
    entry.submitted_by_contact_id = None
    assert entry_digest(entry, entry.prev_hash) != entry.entry_hash


def test_the_accept_action_is_for_managers_and_owners_only(
    acquiring, lena, manager_client, viewer_client, owner_client
):
    entry = _submit(acquiring, lena)
    url = reverse("evidence:entry_accept", args=[entry.uuid])
    assert viewer_client.post(url).status_code == 403
    assert manager_client.get(url).status_code == 405
    assert not EvidenceEntry.objects.filter(supersedes=entry).exists()
    assert manager_client.post(url).status_code == 302
    assert owner_client.post(url).status_code == 302
    assert EvidenceEntry.objects.filter(supersedes=entry).count() == 1


def test_another_organization_cannot_accept_our_partners_entry(acquiring, lena, outsider_client):
    entry = _submit(acquiring, lena)
    url = reverse("evidence:entry_accept", args=[entry.uuid])
    assert outsider_client.post(url).status_code == 404
    assert not EvidenceEntry.objects.filter(supersedes=entry).exists()


def test_the_evidence_page_lists_pending_partner_entries_with_an_accept_button(
    acquiring, lena, manager, manager_client, viewer_client
):
    entry = _submit(acquiring, lena)
    page = reverse("evidence:partnership_log", args=[acquiring.uuid])
    accept = reverse("evidence:entry_accept", args=[entry.uuid])
    html = manager_client.get(page).content.decode()
    assert 'data-testid="partner-pending"' in html and accept in html
    assert accept not in viewer_client.get(page).content.decode()
    detail = manager_client.get(reverse("evidence:entry_detail", args=[entry.uuid]))
    assert "Awaiting acceptance" in detail.content.decode()
    partner_evidence_accept(entry=entry, actor=manager)
    assert 'data-testid="partner-pending"' not in manager_client.get(page).content.decode()


def test_the_room_shows_when_we_accepted_the_partners_entry(acquiring, lena, manager, signed_in):
    entry = _submit(acquiring, lena)
    partner_evidence_accept(entry=entry, actor=manager)
    room = signed_in(lena)
    shown = room.get(reverse("partnerroom:partnership", args=[acquiring.uuid])).content.decode()
    assert "Accepted " in shown and "Awaiting acceptance" not in shown


def test_a_session_that_floods_the_log_is_stopped(org, acquiring, lena, signed_in):
    from partnerroom.views.evidence import SUBMIT_LIMIT

    room = signed_in(lena)
    page = reverse("partnerroom:evidence_new", args=[acquiring.uuid])
    for _ in range(SUBMIT_LIMIT[0]):
        assert room.post(page, _form(org, quality="")).status_code == 422
    response = room.post(page, _form(org))
    assert response.status_code == 429 and response["Retry-After"]
    assert not EvidenceEntry.objects.exists()


def test_the_dashboard_and_the_partnership_page_say_what_waits_for_acceptance(
    acquiring, lena, manager, manager_client
):
    entry = _submit(acquiring, lena)
    dashboard = manager_client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="dashboard-partner-evidence"' in dashboard
    assert reverse("evidence:entry_detail", args=[entry.uuid]) in dashboard
    detail = reverse("partnerships:partnership_detail", args=[acquiring.uuid])
    assert 'data-testid="panel-partner-evidence"' in manager_client.get(detail).content.decode()
    partner_evidence_accept(entry=entry, actor=manager)
    dashboard = manager_client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="dashboard-partner-evidence"' not in dashboard
    assert 'data-testid="panel-partner-evidence"' not in manager_client.get(detail).content.decode()


def test_the_trend_counts_the_partners_entry_once_accepted(acquiring, lena, manager):
    from evidence.selectors import trend_points

    entry = _submit(acquiring, lena)
    assert sum(point.count for point in trend_points(acquiring)) == 0
    partner_evidence_accept(entry=entry, actor=manager)
    assert sum(point.count for point in trend_points(acquiring)) == 1
