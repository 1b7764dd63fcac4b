import datetime

import pytest
from django.urls import reverse

from partnerships.extensions import PARTNERSHIP_PANELS
from partnerships.models import Contact, Partner, Partnership, PartnershipEvent, Phase
from tests.factories import PartnerFactory, PartnershipFactory
from tests.partnerships.helpers import HTMX, detail_url, fake_panel, note_panel, partnership_form

# --- partner list ---------------------------------------------------------------------------


def test_partner_list_searches_filters_and_keeps_state_in_the_url(
    manager_client, org, manager, partnership
):
    other = PartnerFactory(organization=org, name="Ledgerline", category="Accounting")
    PartnershipFactory(organization=org, partner=other, owner=manager, tier=1, name="Sync")
    url = reverse("partnerships:partner_list")
    page = manager_client.get(url, {"q": "ledger"}).content.decode()
    assert "Ledgerline" in page and "PayHarbor" not in page
    page = manager_client.get(url, {"tier": "2"}).content.decode()
    assert "PayHarbor" in page and "Ledgerline" not in page
    page = manager_client.get(url, {"q": "Accounting"}).content.decode()
    assert "Ledgerline" in page
    assert 'value="Accounting"' in page  # the filter is kept in the form


def test_partner_list_flagged_filter(manager_client, org, manager, partnership):
    bad = PartnerFactory(organization=org, name="Helio")
    PartnershipFactory(organization=org, partner=bad, owner=manager, leverage="co_marketing")
    page = manager_client.get(reverse("partnerships:partner_list"), {"flagged": "on"})
    assert "Helio" in page.content.decode()
    assert "PayHarbor" not in page.content.decode()


def test_partner_list_filters_by_owner_and_sorts(manager_client, org, manager, owner, partnership):
    mine = PartnerFactory(organization=org, name="Zeta")
    PartnershipFactory(organization=org, partner=mine, owner=owner)
    page = manager_client.get(
        reverse("partnerships:partner_list"), {"owner": str(owner.uuid), "sort": "-name"}
    ).content.decode()
    assert "Zeta" in page and "PayHarbor" not in page
    page = manager_client.get(
        reverse("partnerships:partner_list"), {"sort": "-name"}
    ).content.decode()
    assert page.index("Zeta") < page.index("PayHarbor")


def test_partner_list_ignores_bad_filter_values(manager_client, partnership):
    response = manager_client.get(
        reverse("partnerships:partner_list"), {"tier": "9", "phase": "fly", "owner": "nobody"}
    )
    assert response.status_code == 200
    assert "PayHarbor" in response.content.decode()


def test_partner_list_paginates(manager_client, org):
    for n in range(25):
        PartnerFactory(organization=org, name=f"Partner {n:02d}")
    first = manager_client.get(reverse("partnerships:partner_list")).content.decode()
    second = manager_client.get(reverse("partnerships:partner_list"), {"page": 2}).content.decode()
    assert "Partner 00" in first and "Partner 24" not in first
    assert "Partner 24" in second
    assert "page=2" in first


def test_partner_list_htmx_returns_only_the_results(manager_client, partnership):
    response = manager_client.get(reverse("partnerships:partner_list"), **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "<html" not in body


# --- partners and contacts -----------------------------------------------------------------


def test_manager_adds_a_partner(manager_client, org):
    response = manager_client.post(
        reverse("partnerships:partner_create"),
        {"name": "Cloudspire", "website": "https://cloudspire.example", "category": "Cloud"},
    )
    partner = Partner.objects.get(organization=org, name="Cloudspire")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "partnerships:partner_detail", kwargs={"uuid": partner.uuid}
    )


def test_duplicate_partner_name_is_a_field_error_with_422(manager_client, partner):
    response = manager_client.post(
        reverse("partnerships:partner_create"), {"name": "payharbor"}, **HTMX
    )
    assert response.status_code == 422
    assert "already have a partner with this name" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_contact_added_and_edited_in_place(manager_client, partner):
    url = reverse("partnerships:contact_create", kwargs={"uuid": partner.uuid})
    response = manager_client.post(
        url, {"name": "Lena Vogt", "email": "Lena@PayHarbor.example", "title": "Head"}, **HTMX
    )
    assert response.status_code == 200
    assert "Lena Vogt" in response.content.decode()
    contact = Contact.objects.get(partner=partner)
    assert contact.email == "lena@payharbor.example"
    edit = reverse(
        "partnerships:contact_edit", kwargs={"uuid": partner.uuid, "contact_uuid": contact.uuid}
    )
    form = manager_client.get(edit, **HTMX).content.decode()
    assert form.lstrip().startswith(f'<tr id="contact-{contact.uuid}"')
    row = manager_client.post(
        edit, {"name": "Lena V.", "email": contact.email, "title": "VP"}, **HTMX
    )
    assert row.status_code == 200 and "Lena V." in row.content.decode()


def test_invalid_contact_shows_field_errors(manager_client, partner):
    url = reverse("partnerships:contact_create", kwargs={"uuid": partner.uuid})
    response = manager_client.post(url, {"name": "", "email": "not-an-email"}, **HTMX)
    assert response.status_code == 422
    assert "errorlist" in response.content.decode()


def test_partner_page_lists_contacts_and_partnerships(viewer_client, partner, partnership):
    Contact.objects.create(
        organization=partner.organization, partner=partner, name="Tomás", email="t@p.example"
    )
    page = viewer_client.get(
        reverse("partnerships:partner_detail", kwargs={"uuid": partner.uuid})
    ).content.decode()
    assert "Tomás" in page and partnership.name in page
    assert "Add a contact" not in page


# --- partnerships ---------------------------------------------------------------------------


def test_manager_proposes_a_partnership(manager_client, org, partner, manager):
    response = manager_client.post(
        reverse("partnerships:partnership_create"), partnership_form(partner, manager)
    )
    p = Partnership.objects.get(name="PayHarbor payouts")
    assert response.status_code == 302 and response["Location"] == detail_url(p)
    assert p.status == "proposed" and p.phase == Phase.CRAWL


def test_partnership_form_errors_are_inline_for_htmx(manager_client, partner, manager):
    response = manager_client.post(
        reverse("partnerships:partnership_create"),
        partnership_form(partner, manager, claim_uncertainty="", deferral_date="not a date"),
        **HTMX,
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="partnership-form"' in body and "<html" not in body
    assert "id_claim_uncertainty_error" in body and "id_deferral_date_error" in body


def test_partner_of_another_organization_cannot_be_chosen(manager_client, manager, other_org):
    foreign = PartnerFactory(organization=other_org)
    response = manager_client.post(
        reverse("partnerships:partnership_create"), partnership_form(foreign, manager)
    )
    assert response.status_code == 422
    assert not Partnership.objects.exists()


def test_edit_partnership_records_what_changed(manager_client, partnership, manager):
    data = partnership_form(partnership.partner, manager, name=partnership.name)
    data.update(
        {
            "approver": partnership.approver.pk,
            "unwind_authorizer": partnership.unwind_authorizer.pk,
            "exit_path": "Two weeks",
        }
    )
    for field in (
        "value_to_us",
        "value_to_partner",
        "value_to_customers",
        "we_lose",
        "partner_loses",
        "claim_capability",
        "claim_boundary",
        "claim_evidence",
        "boundary_not_established",
        "unwind_condition",
        "integration_pathway",
        "phase_success_criteria",
        "claim_uncertainty",
    ):
        data[field] = getattr(partnership, field)
    data["deferral_date"] = partnership.deferral_date.isoformat()
    data["leverage"] = partnership.leverage
    data["dependency"] = partnership.dependency
    response = manager_client.post(
        reverse("partnerships:partnership_edit", kwargs={"partnership_uuid": partnership.uuid}),
        data,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = partnership.events.get()
    assert event.summary == "Edited: exit path"


def test_partnership_page_writes_out_the_seed_sentences(viewer_client, partnership):
    page = viewer_client.get(detail_url(partnership)).content.decode()
    assert (
        "We believe PayHarbor can reduce uncertainty about chargeback handling at our scale "
        "because they provide capability a managed dispute desk, under boundary EU card "
        "payments only, with evidence a pilot with twenty merchants."
    ) in page
    assert "it does not establish that merchants outside the EU will adopt it" in page
    assert "Full partnership investment" in page


def test_partnership_page_explains_each_flag(viewer_client, partnership):
    partnership.exit_path = ""
    partnership.phase_started_on = datetime.date.today() - datetime.timedelta(weeks=10)
    partnership.save()
    page = viewer_client.get(detail_url(partnership)).content.decode()
    assert 'data-flag="no_exit_path"' in page
    assert "Nobody has written what leaving would cost" in page
    assert 'data-flag="phase_overdue"' in page


def test_partnership_page_shows_panels_and_timeline(viewer_client, partnership):
    PartnershipEvent.objects.create(
        organization=partnership.organization,
        partnership=partnership,
        kind="note",
        summary="Kick-off held with both teams",
    )
    with PARTNERSHIP_PANELS.only(fake_panel(note_panel("Fit card"))):
        page = viewer_client.get(detail_url(partnership)).content.decode()
    assert "Kick-off held with both teams" in page
    assert "Fit card" in page and "from another app" in page


def test_status_change_with_reason(manager_client, partnership):
    url = reverse("partnerships:partnership_status", kwargs={"partnership_uuid": partnership.uuid})
    response = manager_client.post(url, {"to_status": "deferred", "reason": ""}, **HTMX)
    assert response.status_code == 422
    response = manager_client.post(url, {"to_status": "deferred", "reason": "Ambiguous pilot"})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == "deferred"


def test_double_submitted_create_form_makes_one_partnership(manager_client, partner, manager):
    data = partnership_form(partner, manager, request_uuid="6f1c1f7e-8a4f-4b7e-9a53-2f0e3d1c9b10")
    first = manager_client.post(reverse("partnerships:partnership_create"), data)
    second = manager_client.post(reverse("partnerships:partnership_create"), data)
    assert first["Location"] == second["Location"]
    assert Partnership.objects.count() == 1


def test_a_field_is_checked_as_it_changes_without_saving(manager_client, partner, manager):
    response = manager_client.post(
        reverse("partnerships:partner_create"),
        {"name": "payharbor", "website": "nope"},
        HTTP_X_VALIDATE_ONLY="1",
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "already have a partner with this name" in body and "Enter a valid URL" in body
    assert Partner.objects.count() == 1
    response = manager_client.post(
        reverse("partnerships:partnership_create"),
        partnership_form(partner, manager, deferral_date="soon"),
        HTTP_X_VALIDATE_ONLY="1",
        **HTMX,
    )
    assert response.status_code == 200 and "id_deferral_date_error" in response.content.decode()
    assert not Partnership.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/new/?partner=abc",
        "/partnerships/new/?flow=abc",
        "/partnerships/new/?partner=%00",
        "/decisions/build-vs-partner/?partner=abc",
        "/decisions/build-vs-partner/?partner=" + "9" * 40,
    ],
)
def test_a_malformed_id_in_the_query_string_is_a_404(manager_client, url):
    assert manager_client.get(url).status_code == 404
    assert manager_client.post(url, {"partner": "abc"}).status_code == 404


def test_the_unwind_trigger_is_shown_as_written(viewer_client, partnership):
    partnership.unwind_condition = "Uptime falls below 99.5% for a month (SLA v2.1)."
    partnership.save()
    page = viewer_client.get(detail_url(partnership)).content.decode()
    assert "Unwind if Uptime falls below 99.5% for a month (SLA v2.1)." in page
    assert "995%" not in page and "..</p>" not in page


def test_the_seed_sentences_keep_the_words_and_fix_only_the_seams(partnership):
    partnership.claim_uncertainty = "EU chargebacks above 0.9%."
    partnership.claim_evidence = "Q3 pilot, 99.5% uptime."
    partnership.boundary_not_established = "ARR growth outside the EU?"
    partnership.deferral_condition = "NPS stays under 7.5."
    partnership.unwind_condition = "Fraud exceeds 1.5%"
    assert "uncertainty about EU chargebacks above 0.9% because" in partnership.claim_sentence
    assert partnership.claim_sentence.endswith("with evidence Q3 pilot, 99.5% uptime.")
    assert partnership.boundary_line.endswith("it does not establish ARR growth outside the EU?")
    assert partnership.deferral_sentence.startswith("If NPS stays under 7.5 by ")
    assert partnership.unwind_sentence == "Unwind if Fraud exceeds 1.5%."
    partnership.unwind_condition = "  "
    assert partnership.unwind_sentence == ""
