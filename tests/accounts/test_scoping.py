import pytest
from django.http import Http404
from django.urls import reverse

from accounts.scoping import get_scoped_or_404
from partnerships.models import Partner


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


@pytest.mark.parametrize(
    "value", ["abc", "", "\x00", "1" * 5000, "12345678-1234-1234-1234-12345678901z"]
)
def test_a_malformed_uuid_is_a_404_not_a_500(owner, org, rf, value):

    request = rf.get("/")
    request.organization = org
    with pytest.raises(Http404):
        get_scoped_or_404(request, Partner, uuid=value)
    with pytest.raises(Http404):
        get_scoped_or_404(request, Partner.objects.all(), uuid=value)
