"""The partnerships demo: realistic (every tier, phase and several statuses, a few flagged)
and safe to load twice."""

import datetime

from demo.data import partnerships as data
from demo.loaders import accounts as accounts_loader
from demo.loaders import partnerships as loader
from partnerships.models import FlowRun, LaunchPlan, Partnership, Status
from partnerships.rules import partnership_flags


def test_demo_seed_is_realistic_and_idempotent(db):
    orgs, users = accounts_loader.load()
    loader.load(orgs, users)
    counts = (Partnership.objects.count(), FlowRun.objects.count(), LaunchPlan.objects.count())
    loader.load(orgs, users)
    assert (
        Partnership.objects.count(),
        FlowRun.objects.count(),
        LaunchPlan.objects.count(),
    ) == counts

    northwind = Partnership.objects.filter(organization=orgs["northwind"])
    assert northwind.count() == len(data.PARTNERSHIPS["northwind"]) >= 25
    assert Partnership.objects.filter(organization=orgs["globex"]).count() == len(
        data.PARTNERSHIPS["globex"]
    )
    assert set(northwind.values_list("tier", flat=True)) == {1, 2, 3}
    assert set(northwind.values_list("phase", flat=True)) == {"crawl", "walk", "run"}
    assert len(set(northwind.values_list("status", flat=True))) >= 4
    assert northwind.filter(status=Status.ENDED).exists()
    flagged = [p for p in northwind if partnership_flags(p, today=datetime.date.today())]
    assert 5 <= len(flagged) < northwind.count()
    assert all(p.claim_uncertainty for p in northwind)
