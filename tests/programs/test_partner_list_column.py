"""The helper the partner list uses: sort and filter partnerships' own partner list by trust,
with its prefetches intact and a query count that does not grow."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.selectors import partner_list
from programs.columns import attach_trust, trust_column
from programs.models import ProgramSettings
from tests.evidence.factories import log_evidence
from tests.factories import PartnerFactory

from .trustkit import clean_partnership

pytestmark = pytest.mark.django_db


def _request(org, user):
    request = RequestFactory().get("/partners/")
    request.organization, request.user = org, user
    return request


def _grow(org, owner, approver, count, start=0):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=60)):
        for n in range(start, start + count):
            partner = PartnerFactory(organization=org, name=f"Partner {n:03d}")
            p = clean_partnership(org, owner, approver, partner=partner, exit_path="x" * (n % 2))
            log_evidence(p, quality=["anecdote", "real"][n % 2], days_ago=n % 30)


def _page(org, owner, *, sort, below):
    today = timezone.localdate()
    partners = trust_column(
        partner_list(_request(org, owner), today=today, sort="name"),
        organization=org,
        today=today,
        sort=sort,
        below=below,
    )
    page = list(partners[:20])
    attach_trust(page, organization=org, today=today)
    for partner in page:
        assert partner.shown_partnerships  # the list's prefetch still works
    return page


def test_the_partner_list_sorts_and_filters_by_trust(org, owner, approver):
    _grow(org, owner, approver, 6)
    ranked = _page(org, owner, sort="-trust", below=False)
    scores = [p.trust.score for p in ranked]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 1
    flagged = _page(org, owner, sort="trust", below=True)
    assert flagged and all(p.trust.below for p in flagged)
    by_name = _page(org, owner, sort="name", below=False)
    assert [p.name for p in by_name] == sorted(p.name for p in by_name)


@pytest.mark.parametrize(("sort", "below"), [("-trust", False), ("trust", True), ("name", True)])
def test_the_partner_list_with_trust_does_not_grow_in_queries(
    org, owner, approver, django_assert_num_queries, sort, below
):
    _grow(org, owner, approver, 5)
    with CaptureQueriesContext(connection) as ctx:
        _page(org, owner, sort=sort, below=below)
    _grow(org, owner, approver, 45, start=5)
    with django_assert_num_queries(len(ctx)):
        _page(org, owner, sort=sort, below=below)


def _scores(html: str) -> list[int]:
    return [int(s) for s in re.findall(r'data-score="(\d+)"', html)]


def test_the_partner_list_page_shows_trust_and_sorts_by_it(org, owner, approver, owner_client):
    _grow(org, owner, approver, 6)
    url = reverse("partnerships:partner_list")
    page = owner_client.get(url).content.decode()
    assert page.count('data-testid="trust-cell"') == 6
    assert 'data-testid="trust-sort"' in page and "?sort=-trust" in page
    highest = _scores(owner_client.get(url + "?sort=-trust").content.decode())
    assert highest == sorted(highest, reverse=True) and len(set(highest)) > 1
    lowest = _scores(owner_client.get(url + "?sort=trust").content.decode())
    assert lowest == sorted(lowest)
    assert '<option value="trust" selected>' in owner_client.get(url + "?sort=trust").text


def test_the_partner_list_filters_the_partners_flagged_for_a_look(
    org, owner, approver, owner_client
):
    _grow(org, owner, approver, 6)
    ProgramSettings.objects.update_or_create(organization=org, defaults={"trust_threshold": 60})
    url = reverse("partnerships:partner_list")
    every = _scores(owner_client.get(url).content.decode())
    page = owner_client.get(url + "?trust=below").content.decode()
    flagged = _scores(page)
    assert flagged and all(score < 60 for score in flagged)
    assert len(flagged) == len([s for s in every if s < 60]) < len(every)
    assert "flagged for a look" in page and "match these filters" in page
    assert 'name="trust" value="below" id="id_trust" checked' in page


def test_the_partner_list_page_runs_the_same_queries_at_5_and_at_25_by_trust(
    org, owner, approver, owner_client
):
    url = reverse("partnerships:partner_list") + "?sort=trust&trust=below"
    # A threshold above every score: every partner is below it.
    ProgramSettings.objects.update_or_create(organization=org, defaults={"trust_threshold": 101})
    _grow(org, owner, approver, 5)
    with CaptureQueriesContext(connection) as small:
        assert len(_scores(owner_client.get(url).content.decode())) == 5
    _grow(org, owner, approver, 20, start=5)
    with CaptureQueriesContext(connection) as large:
        assert len(_scores(owner_client.get(url).content.decode())) == 20  # a full page
    assert len(small) == len(large)


def test_a_bad_trust_filter_or_sort_is_ignored(org, owner, approver, owner_client):
    _grow(org, owner, approver, 2)
    url = reverse("partnerships:partner_list")
    response = owner_client.get(url + "?trust=%00&sort=trust%27")
    assert response.status_code == 200
    assert len(_scores(response.content.decode())) == 2
