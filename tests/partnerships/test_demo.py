import datetime

from accounts import demo as accounts_demo
from partnerships import demo
from partnerships.models import FlowRun, LaunchPlan, Partnership, Status
from partnerships.rules import partnership_flags


def test_demo_seed_is_realistic_and_idempotent(db):
    orgs, users = accounts_demo.seed()
    demo.seed(orgs, users)
    counts = (Partnership.objects.count(), FlowRun.objects.count(), LaunchPlan.objects.count())
    demo.seed(orgs, users)
    assert (
        Partnership.objects.count(),
        FlowRun.objects.count(),
        LaunchPlan.objects.count(),
    ) == counts

    northwind = Partnership.objects.filter(organization=orgs["northwind"])
    assert northwind.count() == len(demo.NORTHWIND) >= 25
    assert Partnership.objects.filter(organization=orgs["globex"]).count() == len(demo.GLOBEX)
    assert set(northwind.values_list("tier", flat=True)) == {1, 2, 3}
    assert set(northwind.values_list("phase", flat=True)) == {"crawl", "walk", "run"}
    assert len(set(northwind.values_list("status", flat=True))) >= 4
    assert northwind.filter(status=Status.ENDED).exists()
    flagged = [p for p in northwind if partnership_flags(p, today=datetime.date.today())]
    assert 5 <= len(flagged) < northwind.count()
    assert all(p.claim_uncertainty for p in northwind)
