"""Scale data for the benchmark: one organization, N partnerships, M evidence entries.

Small tables (users, partners, partnerships, charters) go through ``bulk_create`` so every
model default applies. The evidence log goes through PostgreSQL ``COPY`` (psycopg's
``cursor.copy``): a million rows in about a minute instead of an hour through ``evidence_record``.
The rows still form a valid hash chain, computed with the evidence app's own ``entry_digest``,
so ``manage.py verify_evidence`` passes on the benchmark database.

Seeding is deterministic (a fixed random seed) and is skipped when the organization already holds
exactly the requested scale.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Membership, Organization, Role, User
from charters.models import Charter, CharterVersion
from evidence.models import EvidenceEntry
from partnerships.models import (
    Contact,
    Dependency,
    Leverage,
    Partner,
    Partnership,
    PartnershipEvent,
    Phase,
    Status,
    Tier,
)

from . import text
from .seed_evidence import seed_evidence, weighted

ORG_SLUG = "accord-bench"
ORG_NAME = "Accord Bench Co."
LOGIN_EMAIL = "bench-owner@bench.test"
LOGIN_PASSWORD = "accord-bench-pass"  # noqa: S105 (a benchmark-only account)
ADMIN_EMAIL = "bench-admin@bench.test"  # the superuser that opens the Django admin changelist
RANDOM_SEED = 20261122


@dataclass
class Scale:
    partnerships: int
    evidence: int


@dataclass
class SeedReport:
    reused: bool
    seconds: float
    partnerships: int
    evidence: int
    owners: int
    chain_checked: int | None = None


def current_scale() -> Scale | None:
    """The scale already seeded in the benchmark organization, or None if there is none."""
    org = Organization.objects.filter(slug=ORG_SLUG).first()
    if org is None:
        return None
    return Scale(
        partnerships=Partnership.objects.filter(organization=org).count(),
        evidence=EvidenceEntry.objects.filter(organization=org).count(),
    )


def bench_organization() -> Organization:
    return Organization.objects.get(slug=ORG_SLUG)


def admin_user() -> User:
    """The benchmark's superuser (created on first use, also in a reused database).

    It is not a member of the organization: it only opens the Django admin, the reference
    page every Accord page is compared with.
    """
    user = User.objects.filter(email=ADMIN_EMAIL).first()
    if user is None:
        user = User.objects.create_superuser(
            email=ADMIN_EMAIL, password=LOGIN_PASSWORD, full_name="Bench Admin"
        )
    return user


# ---------------------------------------------------------------------------------- people


def _seed_people(org: Organization, owners: int) -> tuple[User, list[User], list[User]]:
    """The login user (organization owner and approver), partnership owners and approvers.

    One password hash is computed and shared: hashing 60 passwords with PBKDF2 would take longer
    than seeding the partnerships.
    """
    password = make_password(LOGIN_PASSWORD)
    login = User.objects.create(
        email=LOGIN_EMAIL, full_name="Bench Owner", password=password, time_zone="Europe/Berlin"
    )
    Membership.objects.create(organization=org, user=login, role=Role.OWNER, can_approve=True)
    managers = User.objects.bulk_create(
        [
            User(
                email=f"manager{i:03d}@bench.test",
                full_name=f"Manager {i:03d}",
                password=password,
            )
            for i in range(owners)
        ]
    )
    approvers = User.objects.bulk_create(
        [
            User(email=f"approver{i}@bench.test", full_name=f"Approver {i}", password=password)
            for i in range(5)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(organization=org, user=u, role=Role.MANAGER) for u in managers]
        + [
            Membership(organization=org, user=u, role=Role.MANAGER, can_approve=True)
            for u in approvers
        ]
    )
    return login, managers, approvers


# ---------------------------------------------------------------------------- partnerships


def _partnership(org, partner, i: int, managers, approvers, rng, today) -> Partnership:
    """One partnership in realistic proportions of phase, status, tier, leverage, dependency."""
    phase = weighted(rng, [(Phase.CRAWL, 15), (Phase.WALK, 35), (Phase.RUN, 50)])
    status = weighted(
        rng,
        [
            (Status.ACTIVE, 88),
            (Status.PROPOSED, 3),
            (Status.DEFERRED, 3),
            (Status.RENEGOTIATING, 3),
            (Status.UNWINDING, 2),
            (Status.ENDED, 1),
        ],
    )
    started = today - datetime.timedelta(days=rng.randint(7, 300))
    uncertainty = rng.choice(text.UNCERTAINTIES)
    handshake = rng.random() < 0.03
    return Partnership(
        organization=org,
        partner=partner,
        name=f"{partner.name.split()[1]} partnership {i + 1}",
        tier=weighted(rng, [(Tier.INTEGRATION, 60), (Tier.PARTNERSHIP, 30), (Tier.STRATEGIC, 10)]),
        phase=phase,
        phase_started_on=started,
        phase_success_criteria="Two pilot customers live with weekly usage.",
        status=status,
        leverage=weighted(
            rng,
            [
                (Leverage.REQUIREMENT, 20),
                (Leverage.ECONOMIC, 30),
                (Leverage.COMPETITIVE, 20),
                (Leverage.CUSTOMER, 25),
                (Leverage.CO_MARKETING, 5),
            ],
        ),
        launched_on=started if phase != Phase.CRAWL else None,
        integration_pathway="Public REST API and a documented connector.",
        value_to_us=f"Less uncertainty about {uncertainty}.",
        value_to_partner="Access to our mid-market customer base.",
        value_to_customers="One integrated workflow instead of two tools.",
        we_lose="" if handshake else "Six months of roadmap time.",
        partner_loses="" if handshake else "A reference customer segment.",
        claim_uncertainty=uncertainty,
        claim_capability=rng.choice(text.CAPABILITIES),
        claim_boundary="within the EU and under 1,000 requests per second",
        claim_evidence="pilot metrics reviewed weekly",
        boundary_not_established="that the partner can serve enterprise volumes",
        deferral_date=today + datetime.timedelta(days=rng.randint(-30, 180)),
        unwind_condition="Two consecutive cycles with a violated boundary.",
        dependency=weighted(
            rng, [(Dependency.LOW, 50), (Dependency.MEDIUM, 35), (Dependency.CRITICAL, 15)]
        ),
        owner=managers[i % len(managers)],
        approver=approvers[i % len(approvers)],
        exit_path="Data export in CSV within 30 days; 2 weeks of migration work.",
    )


def seed_partnerships(groups: list[tuple[Organization, int, list[User], list[User]]], rng):
    """Partners, contacts, partnerships and their creation events for each group of
    (organization, count, owners, approvers), written in large batches across groups."""
    today = timezone.localdate()
    partners = []
    for org, count, _managers, _approvers in groups:
        partners += [
            Partner(
                organization=org,
                name=name,
                website=f"https://{name.split()[0].lower()}{len(partners) + i}.example.com",
                category=rng.choice(text.CATEGORIES),
                description=f"{name} provides {rng.choice(text.CAPABILITIES)}.",
            )
            for i, name in enumerate(text.partner_names(count, rng))
        ]
    partners = Partner.objects.bulk_create(partners, batch_size=2000)
    Contact.objects.bulk_create(
        [
            Contact(
                organization_id=p.organization_id,
                partner=p,
                name=f"{first} {p.name.split()[0]}",
                email=f"{first.lower()}@{p.name.split()[0].lower()}{i}.example.com",
                title=title,
            )
            for i, p in enumerate(partners)
            for first, title in (("Dana", "Head of Partnerships"), ("Lee", "CTO"))[: 1 + (i % 2)]
        ],
        batch_size=2000,
    )
    partnerships, offset = [], 0
    for org, count, managers, approvers in groups:
        for i, partner in enumerate(partners[offset : offset + count]):
            partnerships.append(_partnership(org, partner, i, managers, approvers, rng, today))
        offset += count
    partnerships = Partnership.objects.bulk_create(partnerships, batch_size=2000)
    PartnershipEvent.objects.bulk_create(
        [
            PartnershipEvent(
                organization_id=p.organization_id,
                partnership=p,
                kind=PartnershipEvent.Kind.CREATED,
                summary=f"Partnership with {p.partner.name} created",
                actor=p.owner,
            )
            for p in partnerships
        ],
        batch_size=2000,
    )
    return partnerships


def _seed_charters(org: Organization, partnerships: list[Partnership], login: User) -> int:
    """An executed charter for every launched partnership (rule 3), a draft for a few others."""
    now = timezone.now()
    chosen = [p for p in partnerships if p.phase != Phase.CRAWL or p.pk % 4 == 0]
    charters = Charter.objects.bulk_create(
        [Charter(organization=org, partnership=p) for p in chosen], batch_size=2000
    )
    versions = CharterVersion.objects.bulk_create(
        [
            CharterVersion(
                organization=org,
                charter=c,
                number=1,
                title=f"Partnership Charter — {p.partner.name}",
                mutual_goals=f"Reduce uncertainty about {p.claim_uncertainty}.",
                value_exchange="We bring customers; they bring the capability.",
                timeline="Crawl 6 weeks, walk 10 weeks, then run.",
                measurement="Weekly shared dashboard; monthly review.",
                decision_cadence="Weekly health review; quarterly steering.",
                escalation_path="Partnership owner, then VP Partnerships on both sides.",
                breakage_ownership="Integration: partner on-call; data: our platform team.",
                claim_sentence=p.claim_sentence,
                boundary_line=p.boundary_line,
                triggers=p.deferral_sentence,
                created_by=login,
                frozen_at=now if p.phase != Phase.CRAWL else None,
            )
            for c, p in zip(charters, chosen, strict=True)
        ],
        batch_size=2000,
    )
    executed = [
        Charter(pk=c.pk, executed_version=v, executed_at=now)
        for c, v, p in zip(charters, versions, chosen, strict=True)
        if p.phase != Phase.CRAWL
    ]
    Charter.objects.bulk_update(executed, ["executed_version", "executed_at"], batch_size=2000)
    return len(charters)


# ------------------------------------------------------------------------------------ main


def seed(scale: Scale, *, progress=print) -> SeedReport:
    """Create the benchmark organization at ``scale`` (the database must not hold it yet)."""
    progress = progress or (lambda _message: None)
    started = time.perf_counter()
    rng = random.Random(RANDOM_SEED)
    owners = max(5, scale.partnerships // 200)
    with transaction.atomic():
        org = Organization.objects.create(
            name=ORG_NAME,
            slug=ORG_SLUG,
            time_zone="Europe/Berlin",
            review_include_crawl=False,
        )
        login, managers, approvers = _seed_people(org, owners)
        progress(f"  {owners + 6} people")
        partnerships = seed_partnerships([(org, scale.partnerships, managers, approvers)], rng)
        progress(f"  {len(partnerships):,} partners and partnerships")
        charters = _seed_charters(org, partnerships, login)
        progress(f"  {charters:,} charters")
    seed_evidence(org, partnerships, approvers, scale.evidence, rng, progress)
    # VACUUM as well: a long-lived table is mostly all-visible (autovacuum), which is what lets
    # PostgreSQL answer counts with index-only scans; a freshly copied one is not yet.
    # (Inside a transaction, as in the smoke tests, VACUUM is not allowed: ANALYZE only.)
    progress("  VACUUM ANALYZE")
    with connection.cursor() as cur:
        cur.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return SeedReport(
        reused=False,
        seconds=time.perf_counter() - started,
        partnerships=scale.partnerships,
        evidence=scale.evidence,
        owners=owners,
    )
