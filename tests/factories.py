"""Factories for the core models. Apps add their own in tests/<app>/factories.py."""

import datetime

import factory
from django.utils import timezone

from accounts.models import Membership, Organization, Role, User
from partnerships.models import Contact, Partner, Partnership


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
