"""Co-signed gates: with the organization's rule on, a tier 2 or 3 go / no-go or unwind waits
for the partner's signer; a confirmation unlocks it, a dispute blocks it with its reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerroom.gates import cosign_blockers, cosign_gate, cosign_required, cosign_status_gate
from partnerroom.models import GateConfirmation, RoomEvent
from partnerroom.services.cosign import (
    confirmation_answer,
    confirmation_request,
    confirmation_withdraw,
    cosign_consume,
    cosign_override_set,
    cosign_policy_set,
)
from partnerships import extensions
from partnerships import gates as gate_registry
from partnerships.services import partnership_change_phase, partnership_change_status
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule_on(org, owner):
    return cosign_policy_set(organization=org, actor=owner, scope="tiers23")


@pytest.fixture
def signer(lena, grant):
    return grant(lena, signs_gates=True)


@pytest.fixture
def registered(monkeypatch):
    """Only the co-sign gate guards the phase change (the others want evidence and a charter).

    With the plan engineer's registry (``partnerships.extensions.PHASE_GATES``, which lists
    ``partner_cosign``) the gate is switched on through it; before that registry existed, it
    is registered for this test only.
    """
    phase_gates = getattr(extensions, "PHASE_GATES", None)
    if phase_gates is not None:
        with phase_gates.only("partner_cosign"):
            yield
        return
    monkeypatch.setattr(gate_registry, "_gates", [("partner_cosign", cosign_gate)])
    yield


@pytest.mark.parametrize(
    ("scope", "tier", "needed"),
    [
        ("off", 3, False),
        ("tier3", 2, False),
        ("tier3", 3, True),
        ("tiers23", 1, False),
        ("tiers23", 2, True),
        ("tiers23", 3, True),
    ],
)
def test_the_rule_names_the_tiers_concerned(scope, tier, needed, org, owner, payharbor):
    cosign_policy_set(organization=org, actor=owner, scope=scope)
    partnership = PartnershipFactory(organization=org, partner=payharbor, owner=owner, tier=tier)
    for kind in ("go", "no_go", "unwind"):
        assert cosign_required(partnership, kind) is needed


def test_without_a_rule_nothing_needs_the_partner(acquiring):
    assert cosign_gate(acquiring, "run") == []
    assert cosign_status_gate(acquiring, "unwinding") == []


def test_a_partnership_override_wins_either_way(org, owner, acquiring, rule_on):
    cosign_override_set(partnership=acquiring, actor=owner, override="not_required")
    assert not cosign_required(acquiring, "go")
    cosign_policy_set(organization=org, actor=owner, scope="off")
    cosign_override_set(partnership=acquiring, actor=owner, override="required", unwind=False)
    assert cosign_required(acquiring, "go") and not cosign_required(acquiring, "unwind")


def test_the_go_waits_for_the_partner_then_the_phase_changes(
    acquiring, owner, signer, rule_on, registered
):
    assert "needs PayHarbor's confirmation" in cosign_gate(acquiring, "run")[0]
    confirmation = confirmation_request(partnership=acquiring, kind="go", requested_by=owner)
    assert confirmation.to_phase == "run"
    assert cosign_gate(acquiring, "run")[0].startswith("Waiting for PayHarbor to confirm")
    with pytest.raises(ValidationError) as refused:
        partnership_change_phase(partnership=acquiring, to_phase="run", actor=owner, reason="Go")
    assert "Waiting for PayHarbor" in str(refused.value)
    acquiring.refresh_from_db()
    assert acquiring.phase == "walk"

    confirmation_answer(confirmation=confirmation, access=signer, confirm=True)
    assert cosign_gate(acquiring, "run") == []
    partnership_change_phase(partnership=acquiring, to_phase="run", actor=owner, reason="Go")
    acquiring.refresh_from_db()
    assert acquiring.phase == "run"
    assert cosign_consume(partnership=acquiring, kind="go") == 0  # the move used it up
    assert GateConfirmation.objects.get().used_at is not None


def test_a_dispute_blocks_with_its_reason_on_both_sides(
    acquiring, owner, signer, rule_on, lena, signed_in, owner_client
):
    confirmation = confirmation_request(partnership=acquiring, kind="go", requested_by=owner)
    client = signed_in(lena, signs_gates=True)
    url = reverse("partnerroom:gate", args=[confirmation.uuid])
    assert client.post(url, {"answer": "dispute"}).status_code == 422  # a reason is required
    response = client.post(url, {"answer": "dispute", "reason": "Settlement files still late"})
    assert response.status_code == 302
    blockers = cosign_gate(acquiring, "run")
    assert blockers == ["Lena Vogt (PayHarbor) disputed this go: Settlement files still late"]
    # the partner's side shows it
    assert b"Settlement files still late" in client.get(url).content
    # ours shows it
    ours = owner_client.get(reverse("partnerroom:manage_partnership", args=[acquiring.uuid]))
    assert b"Settlement files still late" in ours.content
    event = RoomEvent.objects.get(kind=RoomEvent.Kind.GATE_DISPUTED)
    assert event.contact == lena and event.ip_address == "127.0.0.1"
    # asking again needs the dispute withdrawn first
    with pytest.raises(ValidationError):
        confirmation_request(partnership=acquiring, kind="go", requested_by=owner)
    confirmation_withdraw(confirmation=confirmation, actor=owner)
    again = confirmation_request(partnership=acquiring, kind="go", requested_by=owner)
    assert again.pk != confirmation.pk and again.state == "pending"


def test_an_unwind_is_gated_too(acquiring, owner, signer, rule_on):
    assert cosign_status_gate(acquiring, "unwinding")
    confirmation = confirmation_request(partnership=acquiring, kind="unwind", requested_by=owner)
    assert cosign_blockers(acquiring, "unwind")[0].startswith("Waiting")
    confirmation_answer(confirmation=confirmation, access=signer, confirm=True)
    assert cosign_status_gate(acquiring, "unwinding") == []
    assert cosign_status_gate(acquiring, "renegotiating") == []


def test_the_unwind_waits_for_the_partner_then_the_status_changes(
    acquiring, owner, signer, rule_on
):
    with pytest.raises(ValidationError) as refused:
        partnership_change_status(
            partnership=acquiring, to_status="unwinding", actor=owner, reason="Trigger fired"
        )
    assert "needs PayHarbor's confirmation" in str(refused.value)
    confirmation = confirmation_request(partnership=acquiring, kind="unwind", requested_by=owner)
    confirmation_answer(confirmation=confirmation, access=signer, confirm=False, reason="Not yet")
    with pytest.raises(ValidationError) as disputed:
        partnership_change_status(
            partnership=acquiring, to_status="unwinding", actor=owner, reason="Trigger fired"
        )
    assert "disputed this unwind: Not yet" in str(disputed.value)
    acquiring.refresh_from_db()
    assert acquiring.status != "unwinding"
    confirmation_withdraw(confirmation=confirmation, actor=owner)
    again = confirmation_request(partnership=acquiring, kind="unwind", requested_by=owner)
    confirmation_answer(confirmation=again, access=signer, confirm=True)
    partnership_change_status(
        partnership=acquiring, to_status="unwinding", actor=owner, reason="Trigger fired"
    )
    acquiring.refresh_from_db()
    assert acquiring.status == "unwinding"


def test_ending_is_a_no_go_the_partner_confirms_unless_the_unwind_was_confirmed(
    acquiring, owner, signer, rule_on
):
    with pytest.raises(ValidationError) as refused:
        partnership_change_status(
            partnership=acquiring, to_status="ended", actor=owner, reason="No"
        )
    assert "no-go needs PayHarbor's confirmation" in str(refused.value)
    unwind = confirmation_request(partnership=acquiring, kind="unwind", requested_by=owner)
    confirmation_answer(confirmation=unwind, access=signer, confirm=True)
    partnership_change_status(
        partnership=acquiring, to_status="unwinding", actor=owner, reason="Trigger fired"
    )
    partnership_change_status(partnership=acquiring, to_status="ended", actor=owner, reason="Done")
    acquiring.refresh_from_db()
    assert acquiring.status == "ended"


def test_a_confirmation_is_used_up_by_the_decision_it_confirmed(acquiring, owner, signer, rule_on):
    unwind = confirmation_request(partnership=acquiring, kind="unwind", requested_by=owner)
    confirmation_answer(confirmation=unwind, access=signer, confirm=True)
    partnership_change_status(
        partnership=acquiring, to_status="unwinding", actor=owner, reason="Trigger fired"
    )
    unwind.refresh_from_db()
    assert unwind.used_at is not None
    partnership_change_status(
        partnership=acquiring, to_status="active", actor=owner, reason="Settled after all"
    )
    with pytest.raises(ValidationError) as again:
        partnership_change_status(
            partnership=acquiring, to_status="unwinding", actor=owner, reason="Fired again"
        )
    assert "needs PayHarbor's confirmation" in str(again.value)


def test_a_go_uses_up_its_confirmation_as_the_phase_moves(
    acquiring, owner, signer, rule_on, registered
):
    go = confirmation_request(partnership=acquiring, kind="go", requested_by=owner)
    confirmation_answer(confirmation=go, access=signer, confirm=True)
    partnership_change_phase(partnership=acquiring, to_phase="run", actor=owner, reason="Go")
    go.refresh_from_db()
    assert go.used_at is not None


def test_other_status_changes_never_wait_for_the_partner(acquiring, owner, rule_on):
    partnership_change_status(
        partnership=acquiring, to_status="renegotiating", actor=owner, reason="New terms"
    )
    acquiring.refresh_from_db()
    assert acquiring.status == "renegotiating"


def test_only_the_partners_signer_answers_once(acquiring, owner, lena, grant, priya, rule_on):
    reader = grant(lena)  # access, but not a signer
    other = grant(priya, signs_gates=True)  # a signer of another partner
    confirmation = confirmation_request(partnership=acquiring, kind="go", requested_by=owner)
    for access in (reader, other):
        with pytest.raises(ValidationError):
            confirmation_answer(confirmation=confirmation, access=access, confirm=True)
    signer = grant(lena, signs_gates=True)
    confirmation_answer(confirmation=confirmation, access=signer, confirm=True)
    with pytest.raises(ValidationError):
        confirmation_answer(confirmation=confirmation, access=signer, confirm=False, reason="x")


def test_asking_twice_asks_once_and_emails_each_signer_once(acquiring, owner, signer, rule_on):
    from notifications.models import OutboundEmail

    first = confirmation_request(partnership=acquiring, kind="go", requested_by=owner)
    second = confirmation_request(partnership=acquiring, kind="go", requested_by=owner)
    assert first.pk == second.pk
    assert OutboundEmail.objects.filter(key__startswith="room-gate:").count() == 1


def test_a_confirmation_from_an_earlier_phase_unlocks_nothing(acquiring, owner, signer, rule_on):
    confirmation = confirmation_request(partnership=acquiring, kind="go", requested_by=owner)
    confirmation_answer(confirmation=confirmation, access=signer, confirm=True)
    partnership_change_phase(
        partnership=acquiring, to_phase="run", actor=owner, reason="Go", enforce_gates=False
    )
    acquiring.refresh_from_db()
    assert cosign_blockers(acquiring, "unwind")  # a new decision, a new confirmation
    assert cosign_gate(acquiring, "run") == []  # not a forward move any more
