"""The public partner directory: off by default, opted-in admitted partners only, listing
fields only, and nothing of another organization."""

import pytest
from django.urls import reverse

from programs import services
from programs.models import DirectoryListing
from tests.factories import PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def directory_url(org):
    return reverse("programs:directory", kwargs={"org_slug": org.slug})


@pytest.fixture
def admitted(org, owner):
    def make(name, *, listed, status="proposed", organization=None):
        organization = organization or org
        partner = PartnerFactory(
            organization=organization, name=name, description=f"SECRET notes on {name}"
        )
        PartnershipFactory(organization=organization, partner=partner, owner=owner, status=status)
        DirectoryListing.objects.create(
            organization=organization,
            partner=partner,
            listed=listed,
            display_name=name,
            integrates=f"{name} connector",
        )
        return partner

    return make


def test_the_directory_is_off_by_default(client, org, admitted):
    admitted("Listed Co", listed=True)
    assert client.get(directory_url(org)).status_code == 404


def test_the_directory_lists_only_opted_in_admitted_partners(
    client, org, owner, other_org, outsider, admitted
):
    services.program_settings_save(organization=org, actor=owner, directory_public=True)
    admitted("Listed Co", listed=True)
    admitted("Quiet Co", listed=False)
    admitted("Gone Co", listed=True, status="ended")
    PartnerFactory(organization=org, name="Unlisted Co")
    services.program_settings_save(organization=other_org, actor=outsider, directory_public=True)
    admitted("Globex Friend", listed=True, organization=other_org)
    response = client.get(directory_url(org))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Listed Co" in body and "Listed Co connector" in body
    for hidden in ("Quiet Co", "Gone Co", "Unlisted Co", "Globex Friend", "SECRET"):
        assert hidden not in body
    assert [item.display_name for item in response.context["listings"]] == ["Listed Co"]
    other = client.get(directory_url(other_org)).content.decode()
    assert "Globex Friend" in other and "Listed Co" not in other


def test_a_manager_records_a_listing_and_a_viewer_cannot(
    org, owner, manager_client, viewer_client, admitted
):
    partner = admitted("Listed Co", listed=False)
    url = reverse("programs:listing_save", kwargs={"partner_uuid": partner.uuid})
    prefix = f"p{partner.pk}"
    data = {f"{prefix}-listed": "on", f"{prefix}-integrates": "Syncs invoices"}
    assert viewer_client.post(url, data).status_code == 403
    assert manager_client.post(url, {f"{prefix}-listed": "on"}).status_code == 422
    assert manager_client.post(url, data).status_code == 302
    listing = DirectoryListing.objects.get(partner=partner)
    assert listing.listed and listing.integrates == "Syncs invoices"
    page = manager_client.get(reverse("programs:directory_manage"))
    assert page.status_code == 200 and b"Listed Co" in page.content
