import pytest
from django.core.exceptions import ValidationError

from partnerships.flows import flow_record
from partnerships.launch import CHECKLIST, launch_item_toggle, launch_plan_create
from partnerships.models import FlowRun, PartnershipEvent, Phase, Status
from partnerships.services import (
    partnership_change_status,
    partnership_create,
    partnership_update,
)


def _fields(partner, owner, **extra):
    return {
        "partner": partner,
        "name": "New one",
        "tier": 1,
        "leverage": "economic",
        "dependency": "low",
        "owner": owner,
        "claim_uncertainty": "payments at scale",
        **extra,
    }


def test_created_partnership_starts_proposed_in_crawl(org, partner, manager, today):
    p = partnership_create(organization=org, actor=manager, **_fields(partner, manager))
    assert (p.phase, p.status, p.phase_started_on) == (Phase.CRAWL, Status.PROPOSED, today)
    assert p.events.get().kind == PartnershipEvent.Kind.CREATED


def test_owner_must_be_a_member(org, partner, manager, outsider):
    with pytest.raises(ValidationError) as exc:
        partnership_create(organization=org, actor=manager, **_fields(partner, outsider))
    assert "owner" in exc.value.message_dict


def test_build_vs_partner_run_lands_on_the_new_timeline(org, partner, manager):
    run = flow_record(
        organization=org,
        kind=FlowRun.Kind.BUILD_VS_PARTNER,
        answers={"core": "no", "roadmap": "yes"},
        final_choice="partner",
        actor=manager,
        partner=partner,
        subject="Card acquiring",
    )
    p = partnership_create(
        organization=org, actor=manager, flow_run=run, **_fields(partner, manager)
    )
    run.refresh_from_db()
    assert run.partnership == p
    assert p.events.filter(
        kind=PartnershipEvent.Kind.FLOW, summary__contains="Build vs partner"
    ).exists()


def test_update_records_changed_fields_only(partnership, manager):
    partnership_update(
        partnership=partnership, actor=manager, exit_path="Four weeks", name=partnership.name
    )
    event = partnership.events.get()
    assert event.summary == "Edited: exit path"


def test_update_refuses_phase_and_status(partnership, manager):
    with pytest.raises(ValueError):
        partnership_update(partnership=partnership, actor=manager, phase="run")


def test_status_change_needs_a_reason_and_is_on_timeline(partnership, manager):
    with pytest.raises(ValidationError):
        partnership_change_status(
            partnership=partnership, to_status="deferred", actor=manager, reason=" "
        )
    partnership_change_status(
        partnership=partnership, to_status="deferred", actor=manager, reason="Ambiguous"
    )
    event = partnership.events.get()
    assert (event.from_value, event.to_value, event.actor) == ("active", "deferred", manager)


def test_launch_plan_follows_the_seed_checklist(partnership, manager, today):
    plan = launch_plan_create(partnership=partnership, launch_on=today, actor=manager)
    items = list(plan.items.all())
    assert len(items) == len(CHECKLIST)
    pre = [i for i in items if i.stage == "pre"]
    post = [i for i in items if i.stage == "post"]
    assert all(28 <= (today - i.due_on).days <= 42 for i in pre)
    assert all(14 <= (i.due_on - today).days <= 56 for i in post)
    assert all(i.owner == manager for i in items)


def test_launch_plan_is_created_once(partnership, manager, today):
    first = launch_plan_create(partnership=partnership, launch_on=today, actor=manager)
    again = launch_plan_create(partnership=partnership, launch_on=today, actor=manager)
    assert first.pk == again.pk
    assert again.items.count() == len(CHECKLIST)


def test_toggling_an_item_remembers_who(partnership, manager, today):
    plan = launch_plan_create(partnership=partnership, launch_on=today, actor=manager)
    item = plan.items.first()
    item = launch_item_toggle(item=item, actor=manager, done=True)
    assert item.done and item.done_by == manager and item.done_at
    item = launch_item_toggle(item=item, actor=manager, done=False)
    assert not item.done and item.done_by is None


def test_the_same_create_form_submitted_twice_creates_one_partnership(org, partner, manager):
    import uuid

    key = uuid.uuid4()
    first = partnership_create(
        organization=org, actor=manager, request_uuid=key, **_fields(partner, manager)
    )
    second = partnership_create(
        organization=org, actor=manager, request_uuid=key, **_fields(partner, manager)
    )
    assert first.pk == second.pk and first.uuid == key


def test_an_ended_partnership_cannot_be_reopened(org, manager):
    from django.core.exceptions import ValidationError

    from partnerships.models import Status
    from partnerships.services import partnership_change_status
    from tests.factories import PartnershipFactory

    partnership = PartnershipFactory(organization=org, owner=manager, status=Status.ENDED)
    with pytest.raises(ValidationError, match="has ended"):
        partnership_change_status(
            partnership=partnership, to_status=Status.ACTIVE, actor=manager, reason="Try again"
        )
    partnership.refresh_from_db()
    assert partnership.status == Status.ENDED
