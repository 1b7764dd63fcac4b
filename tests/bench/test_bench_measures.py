"""The benchmark's newer measurements still measure the right thing: the reference pages, the
peak-memory jobs, the profiler and the many-organizations dispatcher check. Nothing is timed."""

import json

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from bench import memory, orgs, orgs_seed, pages, profiling, seed, timing
from evidence.models import EvidenceEntry
from partnerships.models import Partnership
from reviews import services as review_services
from reviews.models import HealthReview, ReviewCycle
from reviews.tasks import dispatch_review_cycles

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.IS_POSTGRES, reason="the benchmark seeds with PostgreSQL COPY (CI has it)"
    ),
]


@pytest.fixture
def seeded():
    seed.seed(seed.Scale(partnerships=12, evidence=300), progress=None)
    return seed.bench_organization()


@pytest.fixture
def found(seeded):
    return pages.discover(seeded, partnerships=12, evidence=300)[0]


@pytest.mark.urls("bench.urls")
def test_bare_layout_is_a_logged_in_page_with_only_the_layout(seeded):
    client = Client()
    client.force_login(User.objects.get(email=seed.LOGIN_EMAIL))
    response = client.get("/bench/bare-layout/")

    assert response.status_code == 200
    names = {t.name for t in response.templates}
    assert "base.html" in names
    assert all(name == "base.html" or "partials/" in name for name in names), names
    assert Client().get("/bench/bare-layout/").status_code == 302  # anonymous: to the login


def test_admin_changelist_is_only_for_the_benchmark_superuser(seeded):
    admin = seed.admin_user()

    assert admin.is_superuser and admin.is_staff
    assert seed.admin_user() == admin  # created once, reused
    assert not admin.memberships.exists()


@pytest.mark.urls("bench.urls")
def test_in_process_costs_are_given_as_multiples_of_both_reference_pages(seeded, found):
    user = User.objects.get(email=seed.LOGIN_EMAIL)
    costs = timing.page_costs(found, user=user, admin=seed.admin_user(), runs=1, warmup=0)
    ratios = timing.ratios(costs, bare=pages.BARE_LABEL, admin=pages.ADMIN_LABEL)

    assert set(costs) == {p.label for p in found}
    assert {c["status"] for c in costs.values()} == {200}
    assert ratios[pages.BARE_LABEL]["x_bare"] == 1.0
    assert ratios[pages.ADMIN_LABEL]["x_admin"] == 1.0
    assert all(r["x_bare"] > 0 and r["x_admin"] > 0 for r in ratios.values())


@pytest.mark.urls("bench.urls")
def test_profile_names_the_templates_and_queries_of_a_page(seeded, found, tmp_path):
    page = next(p for p in found if p.label == "evidence log")
    user = User.objects.get(email=seed.LOGIN_EMAIL)
    [summary] = profiling.profile_pages([page], user=user, admin=seed.admin_user(), runs=1,
                                      out_dir=tmp_path)  # fmt: skip

    templates = {t["template"] for t in summary["templates"]}
    assert "base.html" in templates
    assert any(name.endswith("[block content]") for name in templates), templates
    assert summary["queries"] > 0 and summary["slowest_queries"]
    assert summary["functions"]
    assert "cProfile over 1 renders" in (tmp_path / "evidence-log.txt").read_text()


def test_memory_job_reports_peak_and_baseline_as_one_json_line(seeded, capsys):
    assert memory.child_main("verify-evidence") == 0

    line = capsys.readouterr().out.strip().splitlines()[-1]
    figures = json.loads(line.removeprefix(memory.MARK))
    assert figures["job"] == "verify-evidence" and figures["error"] is None
    assert 0 < figures["baseline_rss_mb"] <= figures["peak_rss_mb"]


def test_daily_scan_memory_job_leaves_the_data_as_it_was(seeded):
    statuses = list(Partnership.objects.order_by("pk").values_list("status", flat=True))

    result = memory._job("daily-scan")()

    assert result["rolled_back"] is True
    assert list(Partnership.objects.order_by("pk").values_list("status", flat=True)) == statuses
    assert EvidenceEntry.objects.count() == 300


def test_many_organizations_are_all_due_and_get_one_digest_per_person(
    django_capture_on_commit_callbacks,
):
    orgs_seed.seed_orgs(3, 4, progress=lambda _m: None)

    assert orgs_seed.current_scale() == (3, 12)
    assert len(review_services.cycles_due()) == 3
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_review_cycles()  # tasks run inline in tests: the fan-out runs here
    state = orgs._state()
    assert state["cycles_done"] == 3
    assert state["digests"] == len(orgs._expected_people()) > 0
    assert state["digests_unsent"] == 0
    assert review_services.cycles_due() == []

    orgs.reset()
    assert not ReviewCycle.objects.exists() and not HealthReview.objects.exists()
    assert len(review_services.cycles_due()) == 3
