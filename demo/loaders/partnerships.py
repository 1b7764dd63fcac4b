"""Load the demo partners, partnerships and launch plans (``demo/data/partnerships.py``).

A partnership is not written in its final state: its history is replayed through the services
the pages use, so its timeline reads as a real one. It is proposed in crawl
(``partnership_create``), its tier decided with the tier tree (``flow_record``), moved to walk
and run on the dates the data implies (``partnership_change_phase``) and to its status
(``partnership_change_status``); its launch checklist is made with ``launch_plan_create`` and
the items already due are ticked with ``launch_item_toggle``.

The phase changes skip the gates (``enforce_gates=False``, the option the restart flow also
uses): the gates judge today's charter and evidence, and this history is replayed before the
charters and evidence loaders add them. Rule 3 still holds once the demo is loaded, because
the charters loader executes a charter for every partnership in walk or run.

Dates count back from the organization's own today. Safe to run twice: partners and contacts
are found by name and e-mail, and a partnership that exists is left as it is.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from core.clock import org_today
from demo.data import partnerships as data
from partnerships.flows import flow_record
from partnerships.launch import launch_item_toggle, launch_plan_create
from partnerships.models import FlowRun, Partner, Partnership, Phase, Status
from partnerships.services import (
    contact_save,
    partner_create,
    partnership_change_phase,
    partnership_change_status,
    partnership_create,
)

# Fields the data gives as they are stored on the partnership.
COPIED = [
    "name",
    "tier",
    "leverage",
    "dependency",
    "value_to_us",
    "value_to_partner",
    "value_to_customers",
    "we_lose",
    "partner_loses",
    "claim_uncertainty",
    "claim_capability",
    "claim_boundary",
    "claim_evidence",
    "boundary_not_established",
    "deferral_condition",
    "unwind_condition",
    "integration_pathway",
    "exit_path",
]


def _weeks(n: int) -> datetime.timedelta:
    return datetime.timedelta(weeks=n)


def phase_dates(row: dict, today: datetime.date) -> dict[str, datetime.date]:
    """The day each phase the partnership went through started, counted back from today."""
    started = today - _weeks(row["weeks_in_phase"])
    if row["phase"] == Phase.CRAWL:
        return {Phase.CRAWL: started}
    walk = started if row["phase"] == Phase.WALK else started - _weeks(data.WALK_WEEKS_BEFORE_RUN)
    dates = {Phase.CRAWL: walk - _weeks(data.CRAWL_WEEKS_BEFORE_WALK), Phase.WALK: walk}
    if row["phase"] == Phase.RUN:
        dates[Phase.RUN] = started
    return dates


def _partners(organization, actor) -> None:
    for spec in data.PARTNERS.get(organization.slug, []):
        partner = Partner.objects.filter(organization=organization, name=spec["name"]).first()
        if partner is None:
            partner = partner_create(
                organization=organization,
                actor=actor,
                name=spec["name"],
                website=spec["website"],
                category=spec["category"],
                description=spec["description"],
            )
        for person in spec["contacts"]:
            if not partner.contacts.filter(email=person["email"]).exists():
                contact_save(
                    partner=partner,
                    name=person["name"],
                    email=person["email"],
                    title=person["title"],
                )


def _propose(organization, row: dict, users, dates, today) -> Partnership:
    owner = users[row["owner"]]
    days = row["deferral_in_days"]
    partnership = partnership_create(
        organization=organization,
        actor=owner,
        partner=Partner.objects.get(organization=organization, name=row["partner"]),
        owner=owner,
        approver=users[row["approver"]],
        unwind_authorizer=users.get(row["unwind_authorizer"] or ""),
        phase_started_on=dates[Phase.CRAWL],
        phase_success_criteria=row["success_criteria"] if row["phase"] == Phase.CRAWL else "",
        deferral_date=today + datetime.timedelta(days=days) if days is not None else None,
        **{name: row[name] for name in COPIED},
    )
    flow = data.TIER_FLOWS.get(row["name"])
    if flow:
        flow_record(
            organization=organization,
            kind=FlowRun.Kind.TIER,
            answers=flow["answers"],
            final_choice=flow["choice"],
            override_reason=flow["override_reason"],
            actor=owner,
            partnership=partnership,
        )
    return partnership


def _advance(partnership: Partnership, row: dict, approver, dates) -> None:
    """Crawl → walk (the launch) → run, each on its own day, with that phase's criteria."""
    steps = [(Phase.WALK, data.WALK_REASON), (Phase.RUN, data.RUN_REASON)]
    for phase, reason in steps:
        if phase not in dates:
            return
        partnership_change_phase(
            partnership=partnership,
            to_phase=phase,
            actor=approver,
            reason=reason,
            success_criteria=row["success_criteria"] if phase == row["phase"] else "",
            on_date=dates[phase],
            enforce_gates=False,
        )


def _settle(partnership: Partnership, row: dict, approver) -> None:
    """Proposed → active (unless it is still proposed) → the status the data gives."""
    if row["status"] == Status.PROPOSED:
        return
    if partnership.status == Status.PROPOSED:
        partnership_change_status(
            partnership=partnership,
            to_status=Status.ACTIVE,
            actor=approver,
            reason=data.ACTIVATE_REASON,
        )
    if row["status"] != Status.ACTIVE:
        partnership_change_status(
            partnership=partnership,
            to_status=row["status"],
            actor=approver,
            reason=row["status_reason"],
        )


def _launch_plan(partnership: Partnership, owner, today) -> None:
    """The launch checklist; of the items already due, most are done."""
    launch_on = partnership.launched_on or today + _weeks(data.LAUNCH_WEEKS_AHEAD)
    plan = launch_plan_create(partnership=partnership, launch_on=launch_on, actor=owner)
    every = data.LAUNCH_ITEMS_OPEN_EVERY
    for n, item in enumerate(plan.items.filter(due_on__lt=today)):
        if n % every != every - 1 and item.position != 0:
            launch_item_toggle(item=item, actor=owner, done=True)


def _partnership(organization, row: dict, users, today) -> None:
    if Partnership.objects.filter(organization=organization, name=row["name"]).exists():
        return
    dates = phase_dates(row, today)
    partnership = _propose(organization, row, users, dates, today)
    approver = users[row["approver"]]
    _advance(partnership, row, approver, dates)
    _settle(partnership, row, approver)
    if row["launch_plan"]:
        partnership.refresh_from_db()
        _launch_plan(partnership, users[row["owner"]], today)


@transaction.atomic
def load(orgs, users) -> None:
    """Partners, contacts, partnerships and launch plans of every demo organization."""
    for slug, organization in orgs.items():
        owner = organization.memberships.filter(role="owner").first().user
        _partners(organization, owner)
        today = org_today(organization)
        for row in data.PARTNERSHIPS.get(slug, []):
            _partnership(organization, row, users, today)
