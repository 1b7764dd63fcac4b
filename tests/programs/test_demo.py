"""The demo programs load through the services, twice without duplicates."""

import pytest
from django.utils import timezone

from accounts.models import Organization
from demo.loaders.programs import load
from partnerships.models import Partner
from programs.models import Application
from programs.rules import application_is_handshake
from programs.selectors import public_directory, settings_for
from programs.trust import annotate_trust, trust_signal

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(org, other_org, owner, manager, viewer, outsider):
    users = {"owner": owner, "manager": manager, "viewer": viewer, "other": outsider}
    orgs = {"northwind": org, "globex": other_org}
    load(orgs, users)
    load(orgs, users)  # safe to run twice
    for o in orgs.values():
        o.refresh_from_db()
    return orgs


def test_northwind_curates_with_a_queue_a_decline_and_an_acceptance(loaded):
    northwind = loaded["northwind"]
    assert northwind.partner_program == Organization.Program.CURATED
    apps = {a.company: a for a in Application.objects.filter(organization=northwind)}
    assert len(apps) == 4
    waiting = [a for a in apps.values() if a.state == "waiting"]
    assert len(waiting) == 2
    assert [application_is_handshake(a) for a in waiting].count(True) == 1
    assert apps["LeadHarvest Pro"].state == "declined"
    accepted = apps["Fathom Reports"]
    assert accepted.state == "accepted" and accepted.partnership.tier == 1
    assert settings_for(northwind).applications_open


def test_globex_runs_an_open_program_with_partners_of_differing_trust(loaded):
    globex = loaded["globex"]
    assert globex.partner_program == Organization.Program.OPEN
    admitted = Application.objects.filter(organization=globex, state="admitted")
    assert admitted.count() == 3
    today = timezone.localdate()
    threshold = settings_for(globex).trust_threshold
    partners = annotate_trust(
        Partner.objects.filter(pk__in=admitted.values("partner_id")),
        organization=globex,
        today=today,
    )
    signals = {p.name: trust_signal(p, threshold=threshold, today=today) for p in partners}
    assert signals["Routewise"].score > signals["DockLedger"].score > signals["ParcelPing"].score
    assert signals["ParcelPing"].below and not signals["Routewise"].below
    listed = [listing.display_name for listing in public_directory(globex)]
    assert listed == ["DockLedger", "Routewise"]
