"""Applying and confirming: nothing but a pending row exists until the address is confirmed.

An applicant has no account. Their answers wait in ``PendingApplication`` with the SHA-256 of
a 256-bit token; the token itself is only ever e-mailed. Confirming uses the link up (single
use), and only then does an ``Application`` exist: in the review queue (curated), or admitted
at once (open).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from core.i18n import supported
from core.tokens import hash_token, make_token

from ..models import Application, PendingApplication
from ..selectors import effective_program, settings_for
from .admission import application_admit
from .mail import applicant_email
from .revisit import revisit_check

PENDING_TTL = datetime.timedelta(hours=48)
ANSWER_FIELDS = [
    "company",
    "website",
    "contact_name",
    "contact_email",
    "contact_title",
    "offer",
    "value_to_them",
    "value_to_customers",
    "they_lose",
    "list_in_directory",
]


@transaction.atomic
def application_submit(
    *,
    organization: Organization,
    answers: dict,
    language: str = "",
    now: datetime.datetime | None = None,
) -> tuple[PendingApplication, str]:
    """Store an unconfirmed application and e-mail the confirmation link. Returns the pending
    row and the raw token (only ever e-mailed; the demo loader confirms with it).

    Nothing is looked up about the company or the address: the applicant gets the same reply
    and the same e-mail whether or not we know them, so the form tells nobody who our partners
    are. The link works for 48 hours, once.
    """
    now = now or timezone.now()
    if not settings_for(organization).applications_open:
        raise ValidationError("Applications are closed.")
    values = {name: answers.get(name, "") for name in ANSWER_FIELDS}
    values["contact_email"] = (values["contact_email"] or "").strip().lower()
    values["list_in_directory"] = bool(answers.get("list_in_directory"))
    values["language"] = supported(language) or ""
    token = make_token()
    pending = PendingApplication(
        organization=organization,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + PENDING_TTL,
        **values,
    )
    pending.full_clean()
    pending.save()
    applicant_email(
        key=f"programs:confirm:{pending.uuid}",
        to=pending.contact_email,
        template="program-confirm",
        context={
            "organization": organization,
            "pending": pending,
            "confirm_path": reverse("programs:confirm", args=[token]),
        },
        organization=organization,
        language=pending.language,
        sensitive=True,
    )
    return pending, token


@transaction.atomic
def application_confirm(*, token: str, now: datetime.datetime | None = None) -> Application | None:
    """Use a confirmation link up and create the application; None if the link is unknown,
    expired or already used.

    The pending row is locked, so two clicks at once confirm once. The organization's program
    decides what happens next: curated applications wait for a manager (and may push the queue
    past the revisit threshold); open ones become partner, contact and partnership at once.
    """
    now = now or timezone.now()
    if not token or len(token) > 128:
        return None
    pending = (
        PendingApplication.objects.select_for_update()
        .select_related("organization")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if pending is None or pending.confirmed_at is not None or pending.expires_at <= now:
        return None
    pending.confirmed_at = now
    pending.save(update_fields=["confirmed_at"])
    organization = pending.organization
    program = effective_program(organization)
    application = Application.objects.create(
        organization=organization,
        program=program,
        submitted_at=pending.created_at,
        confirmed_at=now,
        **{name: getattr(pending, name) for name in ANSWER_FIELDS},
        language=pending.language,
    )
    if program == Organization.Program.OPEN:
        application_admit(application=application)
    else:
        revisit_check(organization=organization, now=now)
    return application


def pending_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete pending applications a day past their expiry, confirmed or not.

    An unconfirmed one was never wanted (or was typed by someone else); a confirmed one lives
    on as its ``Application``. Either way the answers should not stay twice.
    """
    now = now or timezone.now()
    deleted, _ = PendingApplication.objects.filter(
        expires_at__lt=now - datetime.timedelta(days=1)
    ).delete()
    return deleted
