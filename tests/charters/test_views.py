"""Every charter view as owner, manager, viewer and outsider; list query counts."""

import pytest
from django.urls import reverse

from charters import services
from charters.models import CharterVersion, SignatureRequest, Signer
from tests.factories import ContactFactory, PartnershipFactory

from .conftest import CHARTER_DATA, action_url, sign

pytestmark = pytest.mark.django_db


def _status(client, url, method="get", data=None):
    return getattr(client, method)(url, data or {}).status_code


def test_charter_list_for_every_role(role_clients, partnership):
    url = reverse("charters:list")
    for role in ("owner", "manager", "viewer"):
        response = role_clients[role].get(url)
        assert response.status_code == 200
        assert partnership.name.encode() in response.content
    response = role_clients["outsider"].get(url)
    assert response.status_code == 200
    assert partnership.name.encode() not in response.content


def test_charter_list_query_count_does_not_grow_with_rows(
    manager_client, org, manager, django_assert_num_queries
):
    def make(n):
        for _ in range(n):
            p = PartnershipFactory(organization=org, owner=manager)
            services.charter_save(partnership=p, actor=manager, data=CHARTER_DATA)

    make(5)
    url = reverse("charters:list")
    manager_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        assert manager_client.get(url).status_code == 200
    make(45)
    with django_assert_num_queries(len(five)):
        response = manager_client.get(url)
    assert response.status_code == 200
    assert b"Page 1 of 2" in response.content


def test_charter_page_for_every_role(role_clients, partnership, send):
    send()
    url = reverse("charters:detail", args=[partnership.uuid])
    for role in ("owner", "manager"):
        response = role_clients[role].get(url)
        assert response.status_code == 200
        assert b"Audit trail" in response.content
    viewer = role_clients["viewer"].get(url)
    assert viewer.status_code == 200
    assert b"Audit trail" not in viewer.content, "only managers see IPs and user agents"
    assert b"Void this request" not in viewer.content
    assert role_clients["outsider"].get(url).status_code == 404


def test_editing_the_charter(role_clients, partnership):
    url = reverse("charters:edit", args=[partnership.uuid])
    assert role_clients["viewer"].get(url).status_code == 403
    assert role_clients["viewer"].post(url, CHARTER_DATA).status_code == 403
    assert role_clients["outsider"].get(url).status_code == 404
    page = role_clients["manager"].get(url)
    assert page.status_code == 200
    assert partnership.claim_uncertainty.encode() in page.content, "prefilled from the claim"
    bad = role_clients["manager"].post(url, {**CHARTER_DATA, "mutual_goals": ""})
    assert bad.status_code == 422
    ok = role_clients["owner"].post(url, CHARTER_DATA)
    assert ok.status_code == 302
    assert CharterVersion.objects.get().mutual_goals == CHARTER_DATA["mutual_goals"]


def test_sending_for_signature(role_clients, version, manager, contact):
    url = reverse("charters:send", args=[version.uuid])
    data = {
        "our_signers": [manager.pk],
        "partner_signers": [contact.pk],
        "order": "parallel",
        "expires_on": "2099-01-01",
    }
    assert role_clients["viewer"].post(url, data).status_code == 403
    assert role_clients["outsider"].post(url, data).status_code == 404
    assert role_clients["manager"].get(url).status_code == 200
    # Far future is refused (at most a year), as is a missing partner signer.
    assert role_clients["manager"].post(url, data).status_code == 422
    from django.utils import timezone

    data["expires_on"] = (timezone.localdate() + timezone.timedelta(days=10)).isoformat()
    missing = role_clients["manager"].post(url, {**data, "partner_signers": []})
    assert missing.status_code == 422
    assert b"Choose at least one signer" in missing.content
    response = role_clients["manager"].post(url, data)
    assert response.status_code == 302
    assert SignatureRequest.objects.get().signers.count() == 2


def test_a_contact_of_another_partner_cannot_be_chosen(manager_client, version, manager, org):
    other = ContactFactory(partner__organization=org)
    response = manager_client.post(
        reverse("charters:send", args=[version.uuid]),
        {
            "our_signers": [manager.pk],
            "partner_signers": [other.pk],
            "order": "parallel",
            "expires_on": "2030-01-01",
        },
    )
    assert response.status_code == 422
    assert not SignatureRequest.objects.exists()


def test_voiding_a_request(role_clients, send):
    request = send()
    url = reverse("charters:void", args=[request.uuid])
    assert role_clients["viewer"].post(url, {"reason": "x"}).status_code == 403
    assert role_clients["outsider"].post(url, {"reason": "x"}).status_code == 404
    assert role_clients["manager"].post(url, {"reason": "Wrong signer"}).status_code == 302
    request.refresh_from_db()
    assert request.state == SignatureRequest.State.VOIDED


def test_comparing_two_versions(role_clients, partnership, manager, send):
    send()
    services.charter_save(
        partnership=partnership,
        actor=manager,
        data={**CHARTER_DATA, "timeline": "Crawl until 15 February; walk from March."},
    )
    url = reverse("charters:compare", args=[partnership.uuid]) + "?a=1&b=2"
    for role in ("owner", "manager", "viewer"):
        response = role_clients[role].get(url)
        assert response.status_code == 200
        assert b'<ins class="diff-ins">' in response.content
        assert b'<del class="diff-del">' in response.content
    assert role_clients["outsider"].get(url).status_code == 404


def test_documents_download_for_members_only(role_clients, send, contact, manager):
    request = send()
    url = reverse("charters:document", args=[request.version.uuid])
    for role in ("owner", "manager", "viewer"):
        response = role_clients[role].get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    assert role_clients["outsider"].get(url).status_code == 404
    executed_url = reverse("charters:executed_pdf", args=[request.uuid])
    assert role_clients["manager"].get(executed_url).status_code == 404, "not executed yet"
    sign(Signer.objects.get(email=contact.email))
    sign(Signer.objects.get(email=manager.email))
    services.execution_run(request_id=request.pk)
    response = role_clients["viewer"].get(executed_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert role_clients["outsider"].get(executed_url).status_code == 404


def test_our_signer_signs_from_the_charter_page(manager_client, owner_client, send, manager):
    request = send()
    signer = Signer.objects.get(request=request, email=manager.email)
    url = reverse("charters:sign_member", args=[signer.uuid])
    assert owner_client.get(url).status_code == 404, "only the signer themself"
    page = manager_client.get(
        reverse("charters:detail", args=[request.version.charter.partnership.uuid])
    )
    assert url.encode() in page.content
    assert manager_client.get(url).status_code == 200
    manager_client.post(action_url(url, "consent"), {"consent": "on"})
    response = manager_client.post(
        action_url(url, "sign"), {"typed_name": "Manny Manager", "authorized": "on"}
    )
    assert response.status_code == 302
    signer.refresh_from_db()
    assert signer.state == Signer.State.SIGNED
    assert signer.audit_events.get(kind="signed").actor == manager


def test_signing_page_has_no_inline_script_or_style(client, send, contact):
    from .conftest import sign_links

    send()
    response = client.get(reverse("charters:sign", args=[sign_links()[contact.email]]))
    html = response.content.decode()
    assert "<script>" not in html and 'style="' not in html
    assert "charters.js" in html
    assert response["Cache-Control"] == "no-store"


def test_partnership_and_dashboard_panels(manager_client, partnership, send):
    send()
    page = manager_client.get(reverse("partnerships:partnership_detail", args=[partnership.uuid]))
    assert page.status_code == 200
    assert b"Partnership Charter" in page.content
    assert b"Awaiting signatures" in page.content
    dashboard = manager_client.get(reverse("dashboard"))
    assert b"Charters awaiting signatures" in dashboard.content


def test_decline_from_the_signing_page_needs_a_reason(client, send, contact):
    from .conftest import sign_links

    send()
    url = reverse("charters:sign", args=[sign_links()[contact.email]])
    assert client.post(action_url(url, "decline"), {"reason": ""}).status_code == 422
    assert client.post(action_url(url, "decline"), {"reason": "Not now"}).status_code == 302
    assert SignatureRequest.objects.get().state == SignatureRequest.State.DECLINED


def test_a_manager_resends_a_fresh_link_once_per_click(role_clients, send, contact):
    from charters.models import AuditEvent
    from notifications.models import OutboundEmail

    from .conftest import sign_links

    request = send()
    first = sign_links()[contact.email]
    signer = Signer.objects.get(request=request, email=contact.email)
    url = reverse("charters:remind", args=[signer.uuid])
    assert role_clients["viewer"].post(url).status_code == 403
    assert role_clients["outsider"].post(url).status_code == 404
    assert role_clients["manager"].post(url).status_code == 302
    assert OutboundEmail.objects.filter(key__startswith="charter-remind:").count() == 1
    fresh = sign_links()[contact.email]
    assert fresh != first
    # The fresh link works; the older one is revoked and says a newer one was sent.
    assert role_clients["outsider"].get(reverse("charters:sign", args=[fresh])).status_code == 200
    replaced = role_clients["outsider"].get(reverse("charters:sign", args=[first]))
    assert replaced.status_code == 410
    assert b"A newer signing link was e-mailed" in replaced.content
    event = AuditEvent.objects.get(kind="reminded")
    assert event.actor is not None and "by hand" in event.detail


def test_one_time_code_flow_on_the_signing_page(client, send, contact):
    import re

    from notifications.models import OutboundEmail

    from .conftest import sign_links

    send(require_code=True)
    url = reverse("charters:sign", args=[sign_links()[contact.email]])
    client.post(action_url(url, "consent"), {"consent": "on"})
    page = client.get(url)
    assert b"E-mail me a code" in page.content
    assert b"Sign the charter" not in page.content
    refused = client.post(action_url(url, "sign"), {"typed_name": "P", "authorized": "on"})
    assert refused.status_code == 422
    client.post(action_url(url, "send_code"), {})
    body = OutboundEmail.objects.get(key__startswith="charter-code:").body_text
    code = re.search(r"is: (\d{6})", body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    assert client.post(action_url(url, "verify_code"), {"code": wrong}).status_code == 422
    assert client.post(action_url(url, "verify_code"), {"code": code}).status_code == 302
    assert b"Sign the charter" in client.get(url).content
    client.post(action_url(url, "sign"), {"typed_name": "Paula Partner", "authorized": "on"})
    assert Signer.objects.get(email=contact.email).state == Signer.State.SIGNED


def test_charter_list_htmx_partial(manager_client, partnership):
    response = manager_client.get(reverse("charters:list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="charter-rows"' in response.content
    assert b"<html" not in response.content


def test_charter_page_query_count_does_not_grow_with_requests(
    manager_client, partnership, send, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("charters:detail", args=[partnership.uuid])
    request = send()
    services.signature_request_void(request=request, reason="One", meta=services.SYSTEM)
    with CaptureQueriesContext(connection) as one:
        assert manager_client.get(url).status_code == 200
    for reason in ("Two", "Three", "Four"):
        request = send()
        services.signature_request_void(request=request, reason=reason, meta=services.SYSTEM)
    with django_assert_num_queries(len(one)):
        assert manager_client.get(url).status_code == 200
