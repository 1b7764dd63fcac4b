"""The demo seeds fit cards with two revisions and a half-way draft, and can run twice."""

import pytest

from accounts.models import Role
from demo.data import fitcards as data
from demo.loaders import fitcards as loader
from fitcards.models import FitCard, FitCardDraft, FitCardRevision
from partnerships.models import PartnershipEvent
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory


@pytest.mark.django_db
def test_demo_seed_creates_cards_with_revisions_and_is_idempotent(org, other_org, owner, manager):
    viewer = UserFactory()
    MembershipFactory(organization=org, user=viewer, role=Role.VIEWER)
    for name in [*data.CARDS, data.DRAFT_FOR]:
        PartnershipFactory(organization=org, name=name, owner=manager, exit_path="")
    PartnershipFactory(organization=org, name="Not in the demo", owner=manager)
    orgs = {"northwind": org, "globex": other_org}
    users = {"owner": owner, "manager": manager, "viewer": viewer, "other": owner}

    loader.load(orgs, users)
    loader.load(orgs, users)

    assert FitCard.objects.count() == 3
    assert FitCardRevision.objects.count() == 6
    card = FitCard.objects.get(partnership__name="PayHarbor EU card acquiring")
    assert card.revision_count == 2
    first, second = card.revisions.order_by("number")
    assert first.created_by == manager and second.created_by == owner
    assert first.created_at < second.created_at
    assert len(second.data["evidence_artifacts"]) == 2
    assert "€25k" in card.partnership.exit_path
    draft = FitCardDraft.objects.get()
    assert draft.partnership.name == data.DRAFT_FOR
    assert draft.current_step == "integration"
    assert PartnershipEvent.objects.filter(kind="fit_card").count() == 6
