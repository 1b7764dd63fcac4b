from django.test import override_settings
from django.urls import reverse


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_account_out(client, manager):
    url = reverse("account_login")
    for _ in range(3):
        client.post(url, {"login": manager.email, "password": "wrong-password"})
    response = client.post(url, {"login": manager.email, "password": "accord-test-pass"})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_a_correct_login_works(client, manager):
    response = client.post(
        reverse("account_login"), {"login": manager.email, "password": "accord-test-pass"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(manager.pk)
