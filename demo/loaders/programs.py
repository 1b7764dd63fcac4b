"""Load the demo partner programs (``demo.data.programs``) through the programs services.

``load(orgs, users)`` is called by ``seed_demo`` after the partnerships loader; ``orgs`` maps
"northwind"/"globex" to organizations, ``users`` maps "owner", "manager", "viewer", "other" to
demo people. Safe to run twice: an application whose company is already there is skipped, and
the program decision is recorded only while the organization has none.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization
from demo.data.programs import PROGRAMS
from evidence.models import EvidenceEntry
from evidence.services import evidence_record
from partnerships.flows import flow_record
from partnerships.models import FlowRun
from programs import services
from programs.models import Application

# Who decides, per organization: (owner of the program decision, reviewing manager).
PEOPLE = {"northwind": ("owner", "manager"), "globex": ("other", "other")}


def _decide_program(org: Organization, flow: dict, owner) -> None:
    if org.partner_program != Organization.Program.UNDECIDED:
        return
    if FlowRun.objects.filter(organization=org, kind=FlowRun.Kind.PROGRAM).exists():
        return
    flow_record(
        organization=org,
        kind=FlowRun.Kind.PROGRAM,
        answers=flow["answers"],
        final_choice=flow["choice"],
        actor=owner,
    )
    org.refresh_from_db()


def _application(org: Organization, row: dict, reviewer) -> Application | None:
    if Application.objects.filter(organization=org, company=row["answers"]["company"]).exists():
        return None
    applied = timezone.now() - datetime.timedelta(days=row["days_ago"])
    _pending, token = services.application_submit(
        organization=org, answers=row["answers"], now=applied
    )
    application = services.application_confirm(
        token=token, now=applied + datetime.timedelta(hours=2)
    )
    if row["outcome"] == "accepted":
        services.application_accept(application=application, actor=reviewer)
    elif row["outcome"] == "declined":
        services.application_decline(
            application=application,
            actor=reviewer,
            reason=row["reason"],
            share_reason=row.get("share_reason", False),
        )
    application.refresh_from_db()
    return application


def _evidence(application: Application, rows: list, recorded_by) -> None:
    partnership = application.partnership
    if partnership is None or EvidenceEntry.objects.filter(partnership=partnership).exists():
        return
    today = timezone.localdate()
    for quality, days_ago, boundary, artifact in rows:
        evidence_record(
            partnership=partnership,
            claim=partnership.claim_capability or partnership.claim_sentence,
            artifact=artifact,
            quality=quality,
            observed_on=today - datetime.timedelta(days=days_ago),
            boundary_status=boundary,
            recorded_by=recorded_by,
        )


@transaction.atomic
def load(orgs: dict, users: dict) -> None:
    """Create the demo programs of Northwind (curated) and Globex (open)."""
    for slug, spec in PROGRAMS.items():
        org = orgs[slug]
        owner_key, reviewer_key = PEOPLE[slug]
        owner, reviewer = users[owner_key], users[reviewer_key]
        _decide_program(org, spec["flow"], owner)
        services.program_settings_save(organization=org, actor=owner, **spec["settings"])
        for row in spec["applications"]:
            application = _application(org, row, reviewer)
            if application is not None and row.get("evidence"):
                _evidence(application, row["evidence"], owner)
