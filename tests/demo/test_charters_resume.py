"""The charters loader resumes a run that stopped half-way instead of duplicating it."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from charters import services
from charters.models import SignatureRequest
from charters.selectors import verify_document
from demo.loaders import charters as loader
from notifications.models import OutboundEmail
from partnerships.launch import launch_plan_create
from tests.factories import ContactFactory, PartnershipFactory


@pytest.mark.django_db
def test_interrupted_demo_charter_is_resumed_not_duplicated(org, owner, manager):
    """A run stopped after sending (a request open on a walk partnership) is finished by the
    next run: the same request is signed and executed, no second request or e-mail."""
    p = PartnershipFactory(
        organization=org, owner=manager, approver=owner, phase="walk", partner__name="Acme"
    )
    plan = launch_plan_create(partnership=p, launch_on=timezone.localdate(), actor=manager)
    contact = ContactFactory(partner=p.partner, name="Paula Partner", email="paula@acme.example")
    version = services.charter_save(
        partnership=p, actor=manager, data=loader.charter_text(p, contact=contact, signer=owner)
    )
    request = services.signature_request_send(
        version=version,
        actor=manager,
        our_users=[owner],
        partner_contacts=[contact],
        expires_at=timezone.now() + timedelta(days=21),
    )
    emails = OutboundEmail.objects.count()

    loader.execute(p, {"owner": owner, "manager": manager})
    loader.execute(p, {"owner": owner, "manager": manager})

    request.refresh_from_db()
    assert SignatureRequest.objects.filter(version__charter__partnership=p).count() == 1
    assert request.execution_state == SignatureRequest.Execution.DONE
    with default_storage.open(request.executed_pdf, "rb") as fh:
        assert verify_document(fh.read()).valid
    assert plan.items.get(position=0).done
    # Only the executed-charter e-mails (one per signer) were added.
    assert OutboundEmail.objects.count() == emails + 2
