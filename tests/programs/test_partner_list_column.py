"""The helper the partner list uses: sort and filter partnerships' own partner list by trust,
with its prefetches intact and a query count that does not grow."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships.selectors import partner_list
from programs.columns import attach_trust, trust_column
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
