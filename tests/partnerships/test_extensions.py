"""The one list of other apps' panels and gates, and the API tests use to switch them."""

import pytest

from partnerships import checks
from partnerships.extensions import (
    DASHBOARD_PANELS,
    PARTNERSHIP_PANELS,
    PHASE_GATES,
    REGISTRIES,
    Extension,
    Registry,
)
from partnerships.gates import phase_change_blockers
from partnerships.models import Phase
from tests.partnerships.helpers import fake_gate


@pytest.fixture(autouse=True)
def isolated_registries():
    """Overrides the package's fixture: these tests look at the declared lists."""
    yield


def test_every_listed_panel_and_gate_imports():
    assert [problem for registry in REGISTRIES for problem in registry.problems()] == []
    assert checks.extensions_resolve() == []


def test_the_lists_say_the_order_of_the_pages():
    assert [e.name for e in DASHBOARD_PANELS.declared] == [
        "evidence_approvals",
        "fitcards",
        "charters",
        "reviews",
        "partnerroom",
    ]
    assert [e.name for e in PARTNERSHIP_PANELS.declared] == [
        "fitcards",
        "evidence",
        "charter",
        "reviews",
        "partnerroom",
    ]
    assert {e.name: e.phases for e in PHASE_GATES.declared} == {
        "evidence_sufficiency": (Phase.WALK, Phase.RUN),
        "charter_executed": (Phase.WALK,),
        "partner_cosign": (Phase.WALK, Phase.RUN),
    }


def test_an_unimportable_path_is_reported_by_the_system_check():
    broken = Registry("dashboard panel", [Extension("gone", "fitcards.panels.no_such_panel")])
    assert "cannot import" in broken.problems()[0]


def test_a_gate_that_guards_no_phase_is_refused():
    gates = Registry("phase gate", [Extension("x", lambda p, to: [])], guards_phases=True)
    assert "guards no phase" in gates.problems()[0]
    with pytest.raises(ValueError):
        PHASE_GATES.only(Extension("fake", lambda p, to: ["no"]))


def test_two_extensions_may_not_share_a_name():
    with pytest.raises(Exception, match="share a name"):
        Registry("panel", [Extension("a", "x.y"), Extension("a", "x.z")])


def test_only_and_without_switch_extensions_for_a_block_and_restore_them():
    with PARTNERSHIP_PANELS.only("reviews", "fitcards"):
        assert [e.name for e, _f in PARTNERSHIP_PANELS.items()] == ["reviews", "fitcards"]
        with PARTNERSHIP_PANELS.without("reviews"):
            assert [e.name for e, _f in PARTNERSHIP_PANELS.items()] == ["fitcards"]
        assert len(PARTNERSHIP_PANELS.items()) == 2
    assert [e.name for e, _f in PARTNERSHIP_PANELS.items()] == [
        e.name for e in PARTNERSHIP_PANELS.declared
    ]
    with pytest.raises(KeyError):
        PARTNERSHIP_PANELS.without("no_such_panel")


def test_a_gate_is_asked_only_about_the_phases_it_guards():
    asked = []

    def gate(partnership, to_phase):
        asked.append(to_phase)
        return [f"not {to_phase}"]

    with PHASE_GATES.only(fake_gate(gate, phases=(Phase.RUN,))):
        assert phase_change_blockers(None, Phase.WALK) == []
        assert phase_change_blockers(None, Phase.RUN) == ["not run"]
    assert asked == [Phase.RUN]
