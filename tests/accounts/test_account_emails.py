from django.core import mail
from django.urls import reverse

from notifications.models import OutboundEmail


def test_password_reset_mail_goes_through_the_outbox(
    client, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": manager.email})
    assert response.status_code == 302
    row = OutboundEmail.objects.get(to=manager.email)
    assert row.state == OutboundEmail.State.SENT
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_sign_up_sends_an_email_verification(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "verify@acme.test",
                "full_name": "Vee",
                "organization_name": "Acme",
                "password1": "copper-Lynx-61",
                "password2": "copper-Lynx-61",
            },
        )
    assert [m.to for m in mail.outbox] == [["verify@acme.test"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
