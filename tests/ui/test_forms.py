"""Forms that don't repeat themselves (issue 18.7) and form markup that assistive technology
can follow (issue 18.1: choice groups in a fieldset with a legend, no empty label)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from partnerships.models import FlowRun
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _flow(client, partner) -> str:
    url = reverse("partnerships:flow_build_vs_partner") + f"?partner={partner.uuid}"
    return client.get(url).content.decode()


def test_new_partnership_offers_to_skip_build_vs_partner_already_answered(
    manager_client, org, manager
):
    partner = PartnerFactory(organization=org, name="PayHarbor")
    assert 'data-testid="earlier-run"' not in _flow(manager_client, partner)
    run = FlowRun.objects.create(
        organization=org,
        kind=FlowRun.Kind.BUILD_VS_PARTNER,
        partner=partner,
        subject="EU card acquiring",
        recommendation="partner",
        final_choice="partner",
        decided_by=manager,
    )
    page = _flow(manager_client, partner)
    assert "Build vs partner was already answered for PayHarbor" in page
    skip = re.search(r'href="([^"]+)">Skip the questions', page).group(1).replace("&amp;", "&")
    assert skip == (
        reverse("partnerships:partnership_create") + f"?partner={partner.uuid}&flow={run.uuid}"
    )
    form = manager_client.get(skip).content.decode()
    assert "Build vs partner said <strong>Partner</strong>" in form


def test_a_build_answer_is_not_offered_as_a_shortcut(manager_client, org, manager):
    partner = PartnerFactory(organization=org)
    FlowRun.objects.create(
        organization=org,
        kind=FlowRun.Kind.BUILD_VS_PARTNER,
        partner=partner,
        recommendation="build",
        final_choice="build",
        decided_by=manager,
    )
    assert 'data-testid="earlier-run"' not in _flow(manager_client, partner)


def test_choice_groups_are_fieldsets_with_a_legend_and_no_empty_label(owner_client, org):
    from tests.factories import PartnershipFactory

    partnership = PartnershipFactory(organization=org)
    page = owner_client.get(
        reverse("evidence:decision_new", kwargs={"uuid": partnership.uuid})
    ).content.decode()
    assert 'for=""' not in page
    assert re.search(r'<fieldset class="field choice-group[^"]*" id="field-evidence"', page)
    assert re.search(r"<legend>Evidence", page)
