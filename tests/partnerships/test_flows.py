import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Organization
from partnerships.extensions import PHASE_GATES
from partnerships.flows import flow_record
from partnerships.models import FlowRun, PartnershipEvent, Phase, Status
from partnerships.trees import (
    BUILD_VS_PARTNER,
    CRAWL_TO_WALK,
    PROGRAM,
    TIER,
    WALK_TO_RUN,
    flow_walk,
)
from tests.partnerships.helpers import fake_gate


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ({"core": "yes"}, "build"),
        ({"core": "no", "roadmap": "yes"}, "partner"),
        ({"core": "no", "roadmap": "no", "needs_us": "yes"}, "partner"),
        ({"core": "no", "roadmap": "no", "needs_us": "no"}, "build"),
    ],
)
def test_build_vs_partner_tree(answers, outcome):
    assert flow_walk(BUILD_VS_PARTNER, answers).outcome_key == outcome


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ({"self_serve": "yes"}, "1"),
        ({"self_serve": "no", "marquee": "yes"}, "3"),
        ({"self_serve": "no", "marquee": "no"}, "2"),
    ],
)
def test_tier_tree(answers, outcome):
    assert flow_walk(TIER, answers).outcome_key == outcome


@pytest.mark.parametrize(
    ("flow", "answers", "outcome"),
    [
        (CRAWL_TO_WALK, {"crawl_met": "yes"}, "go"),
        (CRAWL_TO_WALK, {"crawl_met": "no"}, "end"),
        (WALK_TO_RUN, {"walk_met": "yes"}, "go"),
        (WALK_TO_RUN, {"walk_met": "no", "change": "yes"}, "restart"),
        (WALK_TO_RUN, {"walk_met": "no", "change": "no"}, "end"),
        (PROGRAM, {"brand_risk": "yes"}, "curated"),
        (PROGRAM, {"brand_risk": "no", "scale_review": "no"}, "open"),
        (PROGRAM, {"brand_risk": "no", "scale_review": "yes"}, "curated"),
    ],
)
def test_go_no_go_and_program_trees(flow, answers, outcome):
    assert flow_walk(flow, answers).outcome_key == outcome


def test_walk_stops_at_the_first_unanswered_question():
    state = flow_walk(TIER, {"self_serve": "no", "bogus": "yes"})
    assert state.next_key == "marquee"
    assert state.outcome is None
    assert state.answers == {"self_serve": "no"}


def test_answers_off_the_path_are_ignored():
    state = flow_walk(TIER, {"self_serve": "yes", "marquee": "yes"})
    assert state.outcome_key == "1"
    assert state.answers == {"self_serve": "yes"}


def test_tier_flow_sets_tier_and_records_on_timeline(org, partnership, manager):
    run = flow_record(
        organization=org,
        kind=FlowRun.Kind.TIER,
        answers={"self_serve": "no", "marquee": "yes"},
        final_choice="3",
        actor=manager,
        partnership=partnership,
    )
    partnership.refresh_from_db()
    assert partnership.tier == 3
    assert run.recommendation == "3" and not run.overridden
    event = partnership.events.get(kind=PartnershipEvent.Kind.FLOW)
    assert "Tier assignment" in event.summary
    assert "Is this a marquee logo" in event.detail


def test_override_without_reason_is_refused(org, partnership, manager):
    with pytest.raises(ValidationError) as exc:
        flow_record(
            organization=org,
            kind=FlowRun.Kind.TIER,
            answers={"self_serve": "yes"},
            final_choice="2",
            actor=manager,
            partnership=partnership,
        )
    assert "override_reason" in exc.value.message_dict
    assert not FlowRun.objects.exists()


def test_override_with_reason_is_recorded_on_timeline(org, partnership, manager):
    flow_record(
        organization=org,
        kind=FlowRun.Kind.TIER,
        answers={"self_serve": "yes"},
        final_choice="2",
        override_reason="They need joint enablement",
        actor=manager,
        partnership=partnership,
    )
    event = partnership.events.get(kind=PartnershipEvent.Kind.FLOW)
    assert "overrode the recommendation" in event.summary
    assert "They need joint enablement" in event.detail


def test_database_refuses_an_override_without_reason(org, manager):
    with pytest.raises(IntegrityError):
        FlowRun.objects.create(
            organization=org,
            kind=FlowRun.Kind.PROGRAM,
            recommendation="open",
            final_choice="curated",
            decided_by=manager,
        )


def test_recommendation_is_recomputed_not_trusted(org, partnership, manager):
    run = flow_record(
        organization=org,
        kind=FlowRun.Kind.TIER,
        answers={"self_serve": "no", "marquee": "no"},
        final_choice="2",
        actor=manager,
        partnership=partnership,
    )
    assert run.recommendation == "2"


def test_unfinished_flow_cannot_be_recorded(org, partnership, manager):
    with pytest.raises(ValidationError):
        flow_record(
            organization=org,
            kind=FlowRun.Kind.TIER,
            answers={"self_serve": "no"},
            final_choice="2",
            actor=manager,
            partnership=partnership,
        )


def test_go_after_crawl_moves_to_walk_and_launches(org, partnership, manager, today):
    flow_record(
        organization=org,
        kind=FlowRun.Kind.CRAWL_TO_WALK,
        answers={"crawl_met": "yes"},
        final_choice="go",
        actor=manager,
        partnership=partnership,
        success_criteria="300 merchants live",
    )
    partnership.refresh_from_db()
    assert partnership.phase == Phase.WALK
    assert partnership.launched_on == today
    assert partnership.phase_success_criteria == "300 merchants live"
    kinds = set(partnership.events.values_list("kind", flat=True))
    assert {PartnershipEvent.Kind.PHASE, PartnershipEvent.Kind.FLOW} <= kinds


def test_go_blocked_by_a_gate_lists_the_reasons_and_records_nothing(org, partnership, manager):
    charter = fake_gate(lambda p, to: ["The charter is not executed."], name="charter")
    with PHASE_GATES.only(charter), pytest.raises(ValidationError) as exc:
        flow_record(
            organization=org,
            kind=FlowRun.Kind.CRAWL_TO_WALK,
            answers={"crawl_met": "yes"},
            final_choice="go",
            actor=manager,
            partnership=partnership,
        )
    assert exc.value.message_dict["phase"] == ["The charter is not executed."]
    partnership.refresh_from_db()
    assert partnership.phase == Phase.CRAWL
    assert not FlowRun.objects.exists()
    assert not partnership.events.exists()


def test_no_go_after_crawl_ends_the_partnership(org, partnership, manager):
    flow_record(
        organization=org,
        kind=FlowRun.Kind.CRAWL_TO_WALK,
        answers={"crawl_met": "no"},
        final_choice="end",
        actor=manager,
        partnership=partnership,
    )
    partnership.refresh_from_db()
    assert partnership.status == Status.ENDED
    assert partnership.events.filter(kind=PartnershipEvent.Kind.STATUS).exists()


def test_walk_no_go_restarts_crawl_even_when_gates_would_block(org, partnership, manager):
    partnership.phase = Phase.WALK
    partnership.save()
    evidence = fake_gate(lambda p, to: ["Not enough evidence."], name="evidence")
    with PHASE_GATES.only(evidence):
        flow_record(
            organization=org,
            kind=FlowRun.Kind.WALK_TO_RUN,
            answers={"walk_met": "no", "change": "yes"},
            final_choice="restart",
            actor=manager,
            partnership=partnership,
            success_criteria="Narrower scope: UK merchants only",
        )
    partnership.refresh_from_db()
    assert partnership.phase == Phase.CRAWL


def test_go_no_go_for_the_wrong_phase_is_refused(org, partnership, manager):
    with pytest.raises(ValidationError):
        flow_record(
            organization=org,
            kind=FlowRun.Kind.WALK_TO_RUN,
            answers={"walk_met": "yes"},
            final_choice="go",
            actor=manager,
            partnership=partnership,
        )


def test_program_flow_sets_the_organization_setting(org, owner):
    flow_record(
        organization=org,
        kind=FlowRun.Kind.PROGRAM,
        answers={"brand_risk": "no", "scale_review": "no"},
        final_choice="open",
        actor=owner,
    )
    org.refresh_from_db()
    assert org.partner_program == Organization.Program.OPEN


def test_submitting_the_same_decision_twice_decides_once(org, partnership, manager):
    import uuid

    key = uuid.uuid4()
    kwargs = dict(
        organization=org,
        kind=FlowRun.Kind.CRAWL_TO_WALK,
        answers={"crawl_met": "yes"},
        final_choice="go",
        actor=manager,
        partnership=partnership,
        run_uuid=key,
    )
    first = flow_record(**kwargs)
    second = flow_record(**kwargs)
    assert first.pk == second.pk
    assert FlowRun.objects.count() == 1
    assert partnership.events.filter(kind=PartnershipEvent.Kind.PHASE).count() == 1


def test_an_ended_partnership_takes_no_more_decisions(org, partnership, manager):
    partnership.status = Status.ENDED
    partnership.save()
    with pytest.raises(ValidationError):
        flow_record(
            organization=org,
            kind=FlowRun.Kind.TIER,
            answers={"self_serve": "yes"},
            final_choice="1",
            actor=manager,
            partnership=partnership,
        )


def test_a_go_that_a_gate_refuses_is_not_recommended(org, partnership, manager):
    charter = fake_gate(lambda p, to: ["The charter is not executed."], name="charter")
    with PHASE_GATES.only(charter):
        run = flow_record(
            organization=org,
            kind=FlowRun.Kind.CRAWL_TO_WALK,
            answers={"crawl_met": "yes"},
            final_choice="wait",
            actor=manager,
            partnership=partnership,
        )
    assert (run.recommendation, run.final_choice, run.overridden) == ("wait", "wait", False)
    partnership.refresh_from_db()
    assert partnership.phase == Phase.CRAWL and partnership.status != Status.ENDED
    event = partnership.events.get(kind=PartnershipEvent.Kind.FLOW)
    assert "Not yet: stay in Crawl" in event.summary
    assert "Missing for a go: The charter is not executed." in event.detail


def test_with_nothing_missing_the_go_is_recommended_again(org, partnership, manager):
    with PHASE_GATES.only(fake_gate(lambda p, to: [], name="charter")):
        run = flow_record(
            organization=org,
            kind=FlowRun.Kind.CRAWL_TO_WALK,
            answers={"crawl_met": "yes"},
            final_choice="go",
            actor=manager,
            partnership=partnership,
            success_criteria="300 merchants live",
        )
    assert run.recommendation == "go" and not run.overridden
