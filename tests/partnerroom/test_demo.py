"""The demo partner room: loaded by ``manage.py seed_demo`` after the rest of the demo, through
the services, twice without changing anything the second time."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from demo.loaders import seed
from evidence.chain import chain_verify
from evidence.models import EvidenceEntry
from partnerroom.gates import cosign_gate
from partnerroom.models import GateConfirmation, RoomAccess
from partnerships.models import Partnership
from reviews.models import PartnerReview, ReviewDisagreement


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        call_command("flush", interactive=False, verbosity=0)


def _counts() -> dict:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_the_demo_has_an_active_partner_room(seeded):
    lena = RoomAccess.objects.get(contact__email="lena.vogt@payharbor.example")
    assert lena.is_active and lena.signs_gates
    acquiring = Partnership.objects.get(name="PayHarbor EU card acquiring")
    answered = PartnerReview.objects.filter(partnership=acquiring, state="submitted")
    assert answered.count() == 2
    assert PartnerReview.objects.filter(partnership=acquiring, state="due").count() == 1
    disagreement = ReviewDisagreement.objects.get()
    assert disagreement.partnership == acquiring and disagreement.health_differs
    states = dict(GateConfirmation.objects.values_list("partnership__name", "state"))
    assert states == {
        "PayHarbor EU card acquiring": "confirmed",
        "Harborview embedded business accounts": "pending",
    }
    assert cosign_gate(acquiring, "run") == []
    waiting = EvidenceEntry.objects.get(partnership=acquiring, submitted_by_contact__isnull=False)
    assert waiting.submitted_by_contact.email == "lena.vogt@payharbor.example"
    assert not waiting.superseded_by.exists() and chain_verify(acquiring.organization_id).intact
    harborview = Partnership.objects.get(name="Harborview embedded business accounts")
    assert cosign_gate(harborview, "walk")[0].startswith("Waiting for Harborview Bank")


@pytest.mark.django_db
def test_loading_the_whole_demo_twice_changes_nothing(seeded):
    """The second run of every loader (reviews' cycles included, now that the partner has a
    health-review contact) opens no partner review and sends no e-mail."""
    assert "demo data: partnerroom" in seeded
    before = _counts()
    seed()
    assert _counts() == before
