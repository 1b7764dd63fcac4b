import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_member_sees_dashboard_of_their_organization(owner_client, org):
    response = owner_client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert org.name in response.content.decode()


def test_viewer_cannot_open_organization_settings(viewer_client):
    assert viewer_client.get(reverse("accounts:settings")).status_code == 403
