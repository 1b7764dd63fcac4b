"""Load the demo organizations and people (``demo/data/accounts.py``).

Organizations are created the way the onboarding page creates them (``organization_create``,
which makes the creator the first owner and approver); the review weekday is saved through the
settings page's own form, since that page has no service of its own.

Two things have no service, and are written directly:

- people: signing up is django-allauth's form; the user manager's ``create_user`` is what it
  calls underneath.
- the teammates' memberships. In the product a member joins only by accepting an e-mailed
  invitation (``invitation_create``, ``invitation_accept``); the demo's teammates have been
  members all along, and loading the demo must not e-mail invitations nobody sent (the
  invitation tests count the e-mails after loading the demo people).

Safe to run twice: an existing person, organization or membership is found and left alone.
"""

from __future__ import annotations

from django.db import transaction
from django.forms.models import model_to_dict

from accounts.forms import OrganizationSettingsForm
from accounts.models import Membership, Organization, User
from accounts.services import organization_create
from demo.data import accounts as data


def _person(row: dict) -> User:
    user = User.objects.filter(email=row["email"]).first()
    if user is None:
        user = User.objects.create_user(row["email"], data.PASSWORD, full_name=row["name"])
    return user


def _settings_save(organization: Organization, **changes) -> None:
    """Save organization settings through the settings page's form, as an owner would."""
    fields = OrganizationSettingsForm._meta.fields
    form = OrganizationSettingsForm(
        data={**model_to_dict(organization, fields=fields), **changes}, instance=organization
    )
    if not form.is_valid():
        raise ValueError(f"Demo settings for {organization.slug} are invalid: {form.errors}")
    form.save()


def _organization(slug: str, spec: dict, users: dict[str, User]) -> Organization:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is not None:
        return organization
    owner = users[spec["owner"].split("@")[0]]
    organization = organization_create(name=spec["name"], owner=owner, time_zone=spec["time_zone"])
    if organization.slug != slug:
        raise ValueError(f"Demo organization {spec['name']} got slug {organization.slug}.")
    _settings_save(organization, review_weekday=spec["review_weekday"])
    return organization


def _join(organization: Organization, user: User, role: str) -> None:
    """``user`` is a member of ``organization`` with ``role`` (see the module docstring)."""
    Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": role, "can_approve": False}
    )


@transaction.atomic
def load() -> tuple[dict[str, Organization], dict[str, User]]:
    """The demo organizations by slug and people by login (``owner``, ``manager``, …)."""
    users = {row["email"].split("@")[0]: _person(row) for row in data.PEOPLE}
    orgs = {slug: _organization(slug, spec, users) for slug, spec in data.ORGANIZATIONS.items()}
    for row in data.PEOPLE:
        if "role" in row:
            _join(orgs[row["organization"]], users[row["email"].split("@")[0]], row["role"])
    return orgs, users
