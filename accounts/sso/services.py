"""Who signs in through which organization's provider, and who joins.

A configured e-mail domain belongs to one organization: its people are sent to that
organization's provider, and the provider is trusted only for its own domains (an identity
provider of one company must not be able to sign in as someone of another). An organization
that makes single sign-on the only way in refuses every other sign-in to its members
(password, passkey, code): that is the point of the switch, since leaving the company's
directory must end the access.
"""

from __future__ import annotations

import os
import secrets as random
from dataclasses import dataclass

from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..models import Membership, Organization, Role, SingleSignOn, SingleSignOnDomain
from . import secrets

PROVIDER = "openid_connect"


def email_domain(email: str | None) -> str:
    return (email or "").rpartition("@")[2].strip().lower()


def sso_for_email(email: str | None) -> SingleSignOn | None:
    """The enabled single sign-on whose domains include this address, if any."""
    domain = email_domain(email)
    if not domain:
        return None
    return (
        SingleSignOn.objects.select_related("organization")
        .filter(enabled=True, domains__domain=domain)
        .first()
    )


def sso_for_provider(provider_id: str | None) -> SingleSignOn | None:
    if not provider_id:
        return None
    return (
        SingleSignOn.objects.select_related("organization")
        .filter(enabled=True, provider_id=provider_id)
        .first()
    )


def covers_email(sso: SingleSignOn, email: str | None) -> bool:
    """Whether the provider may vouch for this address (one of its own domains)."""
    domain = email_domain(email)
    return bool(domain) and sso.domains.filter(domain=domain).exists()


def client_secret(sso: SingleSignOn) -> str:
    """The stored secret, else the one in the environment (``secret_variable``)."""
    if sso.client_secret_encrypted:
        return secrets.decrypt(sso.client_secret_encrypted)
    return os.environ.get(sso.secret_variable, "")


def sso_only_organizations(user) -> list[Organization]:
    """The organizations of ``user`` that allow no other way in than their provider."""
    if user is None or not getattr(user, "pk", None):
        return []
    return list(
        Organization.objects.filter(
            memberships__user=user, single_sign_on__enabled=True, single_sign_on__sso_only=True
        )
    )


def password_sign_in_refused(user, provider_id: str | None = None) -> Organization | None:
    """The SSO-only organization that refuses this sign-in, or None when it may go on.

    A sign-in through a provider passes only the organizations whose provider it is; a
    member of two SSO-only organizations must use one of them.
    """
    for organization in sso_only_organizations(user):
        if organization.single_sign_on.provider_id != provider_id:
            return organization
    return None


@transaction.atomic
def join_through_sso(user, sso: SingleSignOn) -> Membership:
    """A person signed in by the organization's provider is one of its people: they join
    with the role the owner chose (an existing member keeps theirs)."""
    membership, _ = Membership.objects.get_or_create(
        organization=sso.organization, user=user, defaults={"role": sso.new_member_role}
    )
    return membership


def clean_domains(text: str) -> list[str]:
    """Domains typed one per line or separated by commas, lower-cased, without ``@``."""
    found = []
    for raw in text.replace(",", "\n").split():
        domain = raw.strip().lstrip("@").lower().rstrip(".")
        if not domain:
            continue
        labels = domain.split(".")
        if len(labels) < 2 or not all(
            label and len(label) <= 63 and label.replace("-", "").isalnum() for label in labels
        ):
            raise ValidationError({"domains": f"“{raw}” is not a domain name."})
        if domain not in found:
            found.append(domain)
    if not found:
        raise ValidationError({"domains": "Name at least one e-mail domain."})
    return found


@dataclass(frozen=True)
class SsoSettings:
    issuer: str
    client_id: str
    client_secret: str  # empty keeps the stored one (or the environment's)
    domains: list[str]
    new_member_role: str
    sso_only: bool
    enabled: bool
    forget_secret: bool = False


def end_member_sessions(organization: Organization, *, keep_session_key: str | None) -> int:
    """End every signed-in session of the organization's members but the owner's own: once
    single sign-on is the only way in, a session opened with a password must not outlive
    the switch. Everyone comes back through the provider."""
    ended = 0
    sessions = UserSession.objects.filter(user__memberships__organization=organization)
    for session in sessions.exclude(session_key=keep_session_key or ""):
        session.end()
        ended += 1
    return ended


@transaction.atomic
def save_single_sign_on(
    organization: Organization, values: SsoSettings, *, by, keep_session_key: str | None = None
) -> SingleSignOn:
    """Create or change the organization's provider.

    A domain another organization already routes is refused (an address can go to one
    provider only). Switching SSO-only on is refused unless the owner doing it belongs to one
    of the domains, or they would lock themselves out; once on, it ends the members' other
    sessions (``end_member_sessions``).
    """
    if values.new_member_role not in Role.values:
        raise ValidationError({"new_member_role": "Choose a role."})
    taken = SingleSignOnDomain.objects.filter(domain__in=values.domains).exclude(
        single_sign_on__organization=organization
    )
    if taken.exists():
        names = ", ".join(sorted(d.domain for d in taken))
        raise ValidationError({"domains": f"Another organization already signs in {names}."})
    if values.sso_only and values.enabled and email_domain(by.email) not in values.domains:
        raise ValidationError(
            {
                "sso_only": "Your own address is not in these domains: with single sign-on "
                "the only way in, you could not sign in any more."
            }
        )
    sso = SingleSignOn.objects.select_for_update().filter(
        organization=organization
    ).first() or SingleSignOn(organization=organization, provider_id=f"sso-{random.token_hex(6)}")
    was_the_only_way = sso.pk is not None and sso.sso_only and sso.enabled
    sso.issuer = values.issuer.rstrip("/")
    sso.client_id = values.client_id.strip()
    if values.client_secret:
        sso.client_secret_encrypted = secrets.encrypt(values.client_secret)
    elif values.forget_secret:
        sso.client_secret_encrypted = ""
    sso.new_member_role = values.new_member_role
    sso.sso_only = values.sso_only
    sso.enabled = values.enabled
    sso.save()
    sso.domains.exclude(domain__in=values.domains).delete()
    have = set(sso.domains.values_list("domain", flat=True))
    for domain in values.domains:
        if domain in have:
            continue
        try:
            with transaction.atomic():  # another organization may claim it at the same time
                SingleSignOnDomain.objects.create(single_sign_on=sso, domain=domain)
        except IntegrityError:
            raise ValidationError(
                {"domains": f"Another organization already signs in {domain}."}
            ) from None
    if sso.sso_only and sso.enabled and not was_the_only_way:
        transaction.on_commit(
            lambda: end_member_sessions(organization, keep_session_key=keep_session_key)
        )
    return sso


@transaction.atomic
def remove_single_sign_on(organization: Organization) -> None:
    SingleSignOn.objects.filter(organization=organization).delete()
