"""Many organizations for the dispatcher benchmark: N organizations with M partnerships each.

Every organization has five people (its owner and four managers, who own its partnerships and
so each get one digest), partners with contacts and partnerships in the same proportions as
the single-organization benchmark, all written with ``bulk_create`` in large batches across
organizations. The organizations were "created" 30 days ago and spread over several time
zones, review weekdays and hours, so each one's latest scheduled start has passed and the
hourly dispatcher finds every one of them due (until its cycle exists).
"""

from __future__ import annotations

import datetime
import random
import time

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Membership, Organization, Role, User
from partnerships.models import Partnership

from .seed import LOGIN_PASSWORD, RANDOM_SEED, seed_partnerships

SLUG_PREFIX = "bench-org-"
PEOPLE_PER_ORG = 5
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"]


def current_scale() -> tuple[int, int] | None:
    """(organizations, partnerships) already seeded, or None."""
    orgs = Organization.objects.filter(slug__startswith=SLUG_PREFIX).count()
    if not orgs:
        return None
    partnerships = Partnership.objects.filter(organization__slug__startswith=SLUG_PREFIX).count()
    return orgs, partnerships


def bench_organizations():
    return Organization.objects.filter(slug__startswith=SLUG_PREFIX)


def seed_orgs(orgs: int, per_org: int, *, progress=print, batch: int = 100) -> float:
    """Seed ``orgs`` organizations of ``per_org`` partnerships; returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(RANDOM_SEED)
    password = make_password(LOGIN_PASSWORD)
    for first in range(0, orgs, batch):
        numbers = range(first, min(first + batch, orgs))
        with transaction.atomic():
            created = Organization.objects.bulk_create(
                [
                    Organization(
                        name=f"Bench Org {n:04d}",
                        slug=f"{SLUG_PREFIX}{n:04d}",
                        time_zone=ZONES[n % len(ZONES)],
                        review_weekday=n % 7,
                        review_hour=(7 + n) % 24,
                    )
                    for n in numbers
                ]
            )
            people = User.objects.bulk_create(
                [
                    User(
                        email=f"person{k}@org{n:04d}.bench.test",
                        full_name=f"Person {k} of Org {n:04d}",
                        password=password,
                    )
                    for n in numbers
                    for k in range(PEOPLE_PER_ORG)
                ]
            )
            groups, memberships = [], []
            for index, org in enumerate(created):
                members = people[index * PEOPLE_PER_ORG : (index + 1) * PEOPLE_PER_ORG]
                memberships.append(
                    Membership(organization=org, user=members[0], role=Role.OWNER, can_approve=True)
                )
                memberships += [
                    Membership(organization=org, user=u, role=Role.MANAGER) for u in members[1:]
                ]
                groups.append((org, per_org, members, members[:1]))
            Membership.objects.bulk_create(memberships)
            seed_partnerships(groups, rng)
        progress(f"  {first + len(numbers):,} / {orgs:,} organizations")
    # Created a month ago: a start before an organization existed never counts as due.
    bench_organizations().update(created_at=timezone.now() - datetime.timedelta(days=30))
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if not connection.in_atomic_block else "ANALYZE")
    return time.perf_counter() - started
