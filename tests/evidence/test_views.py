import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from evidence.models import Decision, EvidenceEntry
from tests.factories import PartnershipFactory

from .factories import log_evidence

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


@pytest.fixture
def partnership(org, owner):
    return PartnershipFactory(organization=org, owner=owner, dependency="low", status="active")


def _entry_data(partnership, **extra):
    return {
        "partnership": partnership.pk,
        "claim": "Dispute desk resolves chargebacks",
        "artifact": "Pilot: 18 of 20 merchants resolved in time",
        "quality": "pilot",
        "observed_on": "2026-01-15",
        "boundary_status": "intact",
        "decision": "none",
        **extra,
    }


@pytest.mark.parametrize(
    ("role", "expected"), [("owner", 200), ("manager", 200), ("viewer", 200), ("outsider", 200)]
)
def test_log_page_is_scoped_to_the_organization(role_clients, role, expected, partnership):
    log_evidence(partnership, artifact="Northwind-only artifact")
    response = role_clients[role].get(reverse("evidence:log"))
    assert response.status_code == expected
    assert (b"Northwind-only artifact" in response.content) == (role != "outsider")


@pytest.mark.parametrize(
    ("role", "expected"), [("owner", 200), ("manager", 200), ("viewer", 200), ("outsider", 404)]
)
def test_partnership_log_by_role(role_clients, role, expected, partnership):
    log_evidence(partnership)
    url = reverse("evidence:partnership_log", kwargs={"uuid": partnership.uuid})
    response = role_clients[role].get(url)
    assert response.status_code == expected
    if expected == 200:
        assert b"<svg" in response.content and b"Decision trail" in response.content


@pytest.mark.parametrize(
    ("role", "expected"), [("owner", 302), ("manager", 302), ("viewer", 403), ("outsider", 404)]
)
def test_recording_evidence_by_role(role_clients, role, expected, partnership):
    url = reverse("evidence:entry_new") + f"?partnership={partnership.uuid}"
    response = role_clients[role].post(url, _entry_data(partnership))
    assert response.status_code == expected
    assert EvidenceEntry.objects.count() == (1 if expected == 302 else 0)


def test_viewer_cannot_record_evidence(viewer_client, partnership):
    response = viewer_client.post(reverse("evidence:entry_new"), _entry_data(partnership))
    assert response.status_code == 403


def test_recording_evidence_with_missing_fields_shows_field_errors(manager_client, partnership):
    response = manager_client.post(reverse("evidence:entry_new"), {"partnership": partnership.pk})
    assert response.status_code == 422
    assert b'id="field-artifact"' in response.content and b"errorlist" in response.content


def test_other_organizations_partnership_cannot_be_chosen(manager_client, other_org, outsider):
    foreign = PartnershipFactory(organization=other_org, owner=outsider)
    response = manager_client.post(reverse("evidence:entry_new"), _entry_data(foreign))
    assert response.status_code == 422
    assert not EvidenceEntry.objects.exists()


def test_uploaded_pdf_is_stored_under_a_generated_name_and_served_to_members(
    manager_client, viewer_client, outsider_client, partnership
):
    upload = SimpleUploadedFile("../../etc/report.pdf", PDF_BYTES, content_type="image/png")
    response = manager_client.post(
        reverse("evidence:entry_new"), _entry_data(partnership, file=upload)
    )
    assert response.status_code == 302
    entry = EvidenceEntry.objects.get()
    assert entry.file_type == "application/pdf"
    assert "report" not in entry.file.name and entry.file.name.endswith(".pdf")
    url = reverse("evidence:entry_file", kwargs={"uuid": entry.uuid})
    download = viewer_client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert "report.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert outsider_client.get(url).status_code == 404


def test_wrong_content_under_a_right_name_is_refused(manager_client, partnership):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200))
    response = manager_client.post(
        reverse("evidence:entry_new"), _entry_data(partnership, file=fake)
    )
    assert response.status_code == 422
    assert b"could not be recognized" in response.content or b"not accepted" in response.content
    assert not EvidenceEntry.objects.exists()


def test_executable_content_is_refused_with_its_type(manager_client, partnership):
    elf = SimpleUploadedFile("notes.txt", b"\x7fELF\x02\x01\x01" + bytes(300))
    response = manager_client.post(
        reverse("evidence:entry_new"), _entry_data(partnership, file=elf)
    )
    assert response.status_code == 422
    assert b"not accepted" in response.content


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_oversized_file_is_refused(manager_client, partnership):
    big = SimpleUploadedFile("big.txt", b"a" * 2048)
    response = manager_client.post(
        reverse("evidence:entry_new"), _entry_data(partnership, file=big)
    )
    assert response.status_code == 422
    assert b"the limit is 1.0\xc2\xa0KB" in response.content
    assert not EvidenceEntry.objects.exists()


def test_plain_text_and_images_are_accepted(manager_client, partnership):
    for name, content, mime in (
        ("minutes.txt", "Réunion: 20 marchands".encode(), "text/plain"),
        ("chart.png", PNG_BYTES, "image/png"),
    ):
        upload = SimpleUploadedFile(name, content)
        response = manager_client.post(
            reverse("evidence:entry_new"), _entry_data(partnership, file=upload)
        )
        assert response.status_code == 302
        assert EvidenceEntry.objects.order_by("-sequence").first().file_type == mime


@pytest.mark.parametrize(
    ("role", "expected"), [("owner", 200), ("manager", 200), ("viewer", 200), ("outsider", 404)]
)
def test_entry_detail_by_role(role_clients, role, expected, partnership):
    entry = log_evidence(partnership)
    response = role_clients[role].get(reverse("evidence:entry_detail", kwargs={"uuid": entry.uuid}))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"), [("owner", 302), ("manager", 302), ("viewer", 403), ("outsider", 404)]
)
def test_correcting_an_entry_by_role(role_clients, role, expected, partnership):
    entry = log_evidence(partnership, quality="real")
    url = reverse("evidence:entry_correct", kwargs={"uuid": entry.uuid})
    data = _entry_data(partnership, correction_reason="It was a pilot, not production.")
    response = role_clients[role].post(url, data)
    assert response.status_code == expected
    if expected == 302:
        correction = EvidenceEntry.objects.get(supersedes=entry)
        assert correction.quality == "pilot"
        entry.refresh_from_db()
        assert entry.quality == "real"  # the original is untouched


def test_log_search_finds_words_in_artifacts(viewer_client, partnership):
    log_evidence(partnership, claim="Disputes", artifact="Chargebacks resolved within five days")
    log_evidence(partnership, claim="Adoption", artifact="Onboarding call with finance")
    response = viewer_client.get(reverse("evidence:log"), {"q": "chargeback"})
    assert b"Chargebacks resolved" in response.content
    assert b"Onboarding call" not in response.content


def test_log_filters_by_quality_and_boundary(viewer_client, partnership):
    log_evidence(partnership, quality="real", boundary="violated", artifact="Violation seen")
    log_evidence(partnership, quality="anecdote", artifact="Hearsay only")
    response = viewer_client.get(
        reverse("evidence:log"), {"quality": "real", "boundary_status": "violated"}
    )
    assert b"Violation seen" in response.content and b"Hearsay only" not in response.content


def test_htmx_filter_returns_only_the_results_partial(viewer_client, partnership):
    log_evidence(partnership)
    response = viewer_client.get(
        reverse("evidence:log"), {"quality": "pilot"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<div id="evidence-results"')
    assert b"<html" not in response.content


def _make_entries(partnership, count):
    for i in range(count):
        log_evidence(partnership, days_ago=i, artifact=f"Artifact {i}")


@pytest.mark.parametrize("count", [5, 50])
def test_log_page_query_count_is_constant(
    viewer_client, partnership, count, django_assert_num_queries
):
    _make_entries(partnership, count)
    viewer_client.get(reverse("evidence:log"))  # warm the session and caches
    with django_assert_num_queries(NUM_LOG_QUERIES):
        response = viewer_client.get(reverse("evidence:log"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_partnership_log_query_count_is_constant(
    viewer_client, partnership, count, django_assert_num_queries
):
    _make_entries(partnership, count)
    url = reverse("evidence:partnership_log", kwargs={"uuid": partnership.uuid})
    viewer_client.get(url)
    with django_assert_num_queries(NUM_PARTNERSHIP_LOG_QUERIES):
        response = viewer_client.get(url)
    assert response.status_code == 200


# Fixed per page, whatever the number of rows (pagination, select_related, one chain walk).
NUM_LOG_QUERIES = 12
NUM_PARTNERSHIP_LOG_QUERIES = 12  # trend and sufficiency cached; + partner entries pending


def test_log_page_badge_names_the_first_broken_entry(viewer_client, partnership):
    from django.db import connection

    entries = [log_evidence(partnership, days_ago=i) for i in range(3)]
    assert b"Chain intact" in viewer_client.get(reverse("evidence:log")).content
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE evidence_evidenceentry SET limits = 'x' WHERE id = %s", [entries[1].pk]
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    content = viewer_client.get(reverse("evidence:log")).content
    assert b"Chain broken" in content and b"#2" in content


@pytest.mark.parametrize(
    ("role", "expected"), [("owner", 302), ("manager", 302), ("viewer", 403), ("outsider", 404)]
)
def test_deciding_by_role(role_clients, role, expected, partnership):
    entry = log_evidence(partnership, quality="pilot")
    url = reverse("evidence:decision_new", kwargs={"uuid": partnership.uuid})
    response = role_clients[role].post(
        url, {"kind": "commit", "rationale": "Pilot held", "evidence": [entry.pk]}
    )
    assert response.status_code == expected
    assert Decision.objects.count() == (1 if expected == 302 else 0)


def test_insufficient_commit_page_says_what_is_missing(manager_client, partnership):
    partnership.dependency = "medium"
    partnership.save(update_fields=["dependency"])
    entry = log_evidence(partnership, quality="pilot")
    url = reverse("evidence:decision_new", kwargs={"uuid": partnership.uuid})
    response = manager_client.post(
        url, {"kind": "commit", "rationale": "x", "evidence": [entry.pk]}
    )
    assert response.status_code == 422
    assert b"different date" in response.content
    assert not Decision.objects.exists()


def test_approver_approves_through_the_page(client, manager, approver, partnership):
    partnership.dependency = "critical"
    partnership.approver = approver
    partnership.save(update_fields=["dependency", "approver"])
    evidence = [log_evidence(partnership, quality="real", days_ago=d) for d in (1, 2, 9)]
    client.force_login(manager)
    url = reverse("evidence:decision_new", kwargs={"uuid": partnership.uuid})
    response = client.post(
        url,
        {"kind": "commit", "rationale": "Three real runs", "evidence": [e.pk for e in evidence]},
    )
    decision = Decision.objects.get()
    assert decision.state == "pending"
    review_url = reverse("evidence:decision_review", kwargs={"uuid": decision.uuid})
    assert client.post(review_url, {"action": "approve", "note": "ok"}).status_code == 403
    client.force_login(approver)
    detail = client.get(reverse("evidence:decision_detail", kwargs={"uuid": decision.uuid}))
    assert b"Your approval" in detail.content
    response = client.post(review_url, {"action": "approve", "note": ""})
    assert response.status_code == 422
    response = client.post(review_url, {"action": "approve", "note": "Evidence spans two weeks"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.state == "effective"


@pytest.mark.parametrize(
    ("role", "expected"), [("owner", 200), ("manager", 200), ("viewer", 200), ("outsider", 404)]
)
def test_decision_detail_by_role(role_clients, role, expected, partnership, owner):
    from evidence.services import decision_record

    decision = decision_record(
        partnership=partnership, kind="defer", rationale="Wait", decided_by=owner
    )
    response = role_clients[role].get(
        reverse("evidence:decision_detail", kwargs={"uuid": decision.uuid})
    )
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"), [("owner", 302), ("manager", 403), ("viewer", 403), ("outsider", 302)]
)
def test_only_owners_change_the_approval_rule(role_clients, role, expected, org):
    from evidence.models import EvidencePolicy

    response = role_clients[role].post(
        reverse("evidence:policy"), {"approval_min_dependency": "low"}
    )
    assert response.status_code == expected
    assert EvidencePolicy.objects.filter(
        organization=org, approval_min_dependency="low"
    ).exists() == (role == "owner")


def test_office_documents_are_recognized_by_content(manager_client, partnership):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")
    upload = SimpleUploadedFile("minutes.docx", buffer.getvalue())
    response = manager_client.post(
        reverse("evidence:entry_new"), _entry_data(partnership, file=upload)
    )
    assert response.status_code == 302
    entry = EvidenceEntry.objects.get()
    assert entry.file_type.endswith("wordprocessingml.document")
    assert entry.file.name.endswith(".docx")


def test_filtered_log_pages_without_counting(viewer_client, partnership):
    for i in range(30):
        log_evidence(partnership, quality="real", days_ago=i, artifact=f"Real run {i:02d}")
    log_evidence(partnership, quality="anecdote", artifact="Hearsay")
    first = viewer_client.get(reverse("evidence:log"), {"quality": "real"})
    assert b"Entries 1\xe2\x80\x9325 matching" in first.content
    assert b"Older" in first.content and b"Real run 00" in first.content
    second = viewer_client.get(reverse("evidence:log"), {"quality": "real", "page": 2})
    assert b"Real run 29" in second.content and b"Real run 00" not in second.content
    assert b"Older" not in second.content and b"Newer" in second.content
    unfiltered = viewer_client.get(reverse("evidence:log"))
    assert b"31 entries; showing 1\xe2\x80\x9325" in unfiltered.content


@pytest.mark.parametrize("count", [5, 50])
def test_searched_log_query_count_is_constant(
    viewer_client, partnership, count, django_assert_num_queries
):
    _make_entries(partnership, count)
    viewer_client.get(reverse("evidence:log"), {"q": "artifact"})
    with django_assert_num_queries(NUM_LOG_QUERIES - 1):  # no count when filtered
        response = viewer_client.get(reverse("evidence:log"), {"q": "artifact", "quality": "pilot"})
    assert b"Artifact 1" in response.content
