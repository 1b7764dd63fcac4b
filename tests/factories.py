"""Factories for the core models (apps add their own in tests/<app>/factories.py), and
``build_world``: one organization with an object of every kind, for the access matrix and the
bad-input fuzzer (the later apps' objects are made in ``tests.world_apps``)."""

import datetime
from dataclasses import dataclass, field

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, Role, User
from accounts.services import invitation_create
from charters import services as charters
from charters.models import SignatureRequest, Signer
from charters.services.links import issue_link
from evidence.models import Decision
from evidence.services import evidence_record
from fitcards import services as fitcards
from notifications.models import OutboundEmail
from partnerships.launch import launch_plan_create
from partnerships.models import Contact, Partner, Partnership
from reviews import services as reviews
from reviews.services.feeds import calendar_feed_create
from tests.world_apps import add_app_objects


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.django.Password("accord-test-pass")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Org {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    time_zone = "Europe/London"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MANAGER


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    website = "https://partner.example"
    category = "Payments"
    description = "A partner."


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organization = factory.SelfAttribute("partner.organization")
    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")
    title = "Head of Partnerships"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    organization = factory.SubFactory(OrganizationFactory)
    partner = factory.SubFactory(
        PartnerFactory, organization=factory.SelfAttribute("..organization")
    )
    name = factory.Sequence(lambda n: f"Partnership {n}")
    tier = 2
    phase = "crawl"
    phase_started_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=10)
    )
    phase_success_criteria = "Twenty pilot merchants process live payments for two weeks."
    status = "active"
    leverage = "economic"
    value_to_us = "Faster time to market for payments."
    value_to_partner = "Transaction volume from our merchants."
    value_to_customers = "One onboarding for payments and invoicing."
    we_lose = "Six months of roadmap if we must rebuild."
    partner_loses = "A committed volume of 2M USD per year."
    claim_uncertainty = "chargeback handling at our scale"
    claim_capability = "a managed dispute desk"
    claim_boundary = "EU card payments only"
    claim_evidence = "a pilot with twenty merchants"
    boundary_not_established = "that merchants outside the EU will adopt it"
    deferral_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    unwind_condition = "Dispute resolution time exceeds 10 days for two consecutive weeks."
    dependency = "medium"
    owner = factory.SubFactory(UserFactory)
    exit_path = "Eight weeks to move to another provider; data exported as CSV."


# --- one organization with an object of every kind --------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHARTER_TEXT = {
    "title": "Partnership Charter",
    "mutual_goals": "Twenty pilot merchants live on managed disputes by March.",
    "value_exchange": "We bring merchant volume; they bring the dispute desk.",
    "timeline": "Crawl until 31 January; walk from February.",
    "measurement": "Median dispute resolution time, weekly.",
    "decision_cadence": "Weekly health review; go / no-go at each phase end.",
    "escalation_path": "Owners, then the VP Partnerships on each side.",
    "breakage_ownership": "They own dispute desk outages; we own the merchant UI.",
}


def fit_card_answers(authorizer) -> dict[str, dict[str, str]]:
    """A complete fit card, step by step."""
    deferral = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    return {
        "capability": {
            "capability_provided": "A managed dispute desk for card chargebacks",
            "uncertainty_reduced": "Whether we can handle chargebacks at 10x volume",
        },
        "incentives": {
            "incentives": "They earn a fee per processed transaction",
            "risk_1": "They push merchants to their own invoicing product",
            "signal_1": "Merchants ask us about switching invoicing tools",
        },
        "integration": {
            "integration_surface": "Payments API, webhooks, nightly settlement files",
            "single_points_of_failure": "Settlement files: no second provider wired in",
        },
        "evidence": {
            "kind_1": "pilot",
            "artifact_1": "Pilot with twenty merchants over six weeks",
            "limit_1": "Only EU merchants with low ticket sizes",
        },
        "exit": {
            "exit_time": "Eight weeks",
            "exit_cost": "About 40k EUR of engineering time",
            "exit_data_portability": "Full transaction export as CSV within 48 hours",
        },
        "claim": {
            "claim_uncertainty": "chargeback handling at our scale",
            "claim_capability": "a managed dispute desk",
            "claim_boundary": "EU card payments only",
            "claim_evidence": "a six-week pilot with twenty merchants",
            "boundary_not_established": "that merchants outside the EU will adopt it",
            "deferral_condition": "evidence remains ambiguous",
            "deferral_date": deferral,
            "unwind_condition": "Dispute resolution exceeds 10 days for two weeks running",
            "unwind_authorizer": str(authorizer.uuid),
        },
    }


@dataclass
class World:
    """Northwind with an object of every kind; Globex with a charter of its own."""

    org: Organization
    other_org: Organization
    users: dict[str, User]
    objects: dict[str, object] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def _member(org, email, role, **extra) -> User:
    user = UserFactory(email=email, full_name=email.split("@")[0].title())
    MembershipFactory(organization=org, user=user, role=role, **extra)
    return user


def _signing_link(signer) -> str:
    """A personal signing link of ``signer`` whose raw token the test knows, issued as a
    reminder's would be (the e-mailed one is revoked: raw tokens are never stored)."""
    return issue_link(signer=signer)


def _charter(partnership, *, actor, contact, title):
    """The partnership's charter (a new version) sent to ``actor`` and ``contact``."""
    version = charters.charter_save(
        partnership=partnership, actor=actor, data={**CHARTER_TEXT, "title": title}
    )
    request = charters.signature_request_send(
        version=version,
        actor=actor,
        our_users=[actor],
        partner_contacts=[contact],
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    return version, request


def _northwind_records(world: World) -> None:
    o, owner, manager = world.objects, world.users["owner"], world.users["manager"]
    today = timezone.localdate()
    o["launch_item"] = (
        launch_plan_create(partnership=o["partnership"], launch_on=today, actor=manager)
        .items.order_by("position")
        .first()
    )
    for step, values in fit_card_answers(owner).items():
        fitcards.draft_save(partnership=o["partnership"], actor=manager, step=step, values=values)
    fitcards.fitcard_finish(partnership=o["partnership"], actor=manager)
    o["entry"] = evidence_record(
        partnership=o["partnership"],
        claim="Dispute desk resolves EU chargebacks within 5 days",
        artifact="Pilot report: 18 of 20 merchants resolved disputes in time",
        quality="pilot",
        observed_on=today,
        recorded_by=manager,
        file=SimpleUploadedFile("pilot-report.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    o["decision"] = Decision.objects.create(
        organization=world.org,
        partnership=o["partnership"],
        kind="commit",
        rationale="The pilot met its criteria.",
        decided_by=manager,
        approver=owner,
        state=Decision.State.PENDING,
    )
    reviews.cycle_start(organization=world.org, starts_on=today - datetime.timedelta(days=1))
    o["review"] = o["walking"].health_reviews.get()
    _feed, world.tokens["feed"] = calendar_feed_create(organization=world.org, user=owner)
    o["invitation"], _ = invitation_create(
        organization=world.org, email="revoke-me@northwind.test", role=Role.VIEWER, invited_by=owner
    )
    _, world.tokens["invitation"] = invitation_create(
        organization=world.org, email="newcomer@northwind.test", role=Role.VIEWER, invited_by=owner
    )
    o["email"] = OutboundEmail.objects.filter(organization=world.org).order_by("pk").first()


def _charters(world: World) -> None:
    """Version 1 executed (its sealed PDF stored), version 2 out for signature; and Globex's
    own charter, whose signer's link must never open Northwind's."""
    o, manager = world.objects, world.users["manager"]
    _, executed = _charter(o["partnership"], actor=manager, contact=o["contact"], title="NW v1")
    name = default_storage.save("tests/executed.pdf", ContentFile(PDF_BYTES + b"Northwind v1"))
    SignatureRequest.objects.filter(pk=executed.pk).update(
        state=SignatureRequest.State.COMPLETED,
        execution_state=SignatureRequest.Execution.DONE,
        executed_pdf=name,
        completed_at=timezone.now(),
    )
    o["executed_request"] = executed
    o["version"], o["request"] = _charter(
        o["partnership"], actor=manager, contact=o["contact"], title="Northwind v2"
    )
    o["charter"] = o["version"].charter
    o["our_signer"] = o["request"].signers.get(side=Signer.Side.OURS)
    o["partner_signer"] = o["request"].signers.get(side=Signer.Side.PARTNER)
    world.tokens["sign"] = _signing_link(o["partner_signer"])
    outsider = world.users["outsider"]
    globex = PartnershipFactory(organization=world.other_org, owner=outsider, name="Globex deal")
    contact = ContactFactory(partner=globex.partner, email="sam@globex-partner.example")
    _, request = _charter(globex, actor=outsider, contact=contact, title="Globex only")
    world.tokens["other_sign"] = _signing_link(request.signers.get(side=Signer.Side.PARTNER))


def build_world() -> World:
    """Every object a route of ours can name, made through factories and the services."""
    org = OrganizationFactory(name="Northwind", slug="northwind", time_zone="Europe/London")
    other_org = OrganizationFactory(name="Globex", slug="globex", time_zone="America/New_York")
    users = {
        "owner": _member(org, "owner@northwind.test", Role.OWNER, can_approve=True),
        "manager": _member(org, "manager@northwind.test", Role.MANAGER),
        "viewer": _member(org, "viewer@northwind.test", Role.VIEWER),
        "spare": _member(org, "spare@northwind.test", Role.VIEWER),
        "outsider": _member(other_org, "outsider@globex.test", Role.OWNER, can_approve=True),
    }
    world = World(org=org, other_org=other_org, users=users)
    o = world.objects
    o["org"] = org
    o["partner"] = PartnerFactory(organization=org, name="PayHarbor")
    o["contact"] = ContactFactory(partner=o["partner"], email="lena@payharbor.example")
    o["partnership"] = PartnershipFactory(
        organization=org,
        partner=o["partner"],
        name="PayHarbor EU acquiring",
        owner=users["manager"],
        approver=users["owner"],
        unwind_authorizer=users["owner"],
        integration_pathway="Enable card payments in Settings.",
    )
    o["walking"] = PartnershipFactory(
        organization=org,
        owner=users["manager"],
        phase="walk",
        launched_on=timezone.localdate(),
        name="Walking partnership",
    )
    o["spare_membership"] = Membership.objects.get(organization=org, user=users["spare"])
    _northwind_records(world)
    _charters(world)
    add_app_objects(world)
    return world


def isolated(send, *args):
    """One test request in a savepoint: a database error it causes (and answers with a 500)
    is rolled back, so it cannot poison the requests after it in the test's transaction."""
    savepoint = transaction.savepoint_create()
    response = send(*args)
    if response.status_code >= 500:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
    return response
