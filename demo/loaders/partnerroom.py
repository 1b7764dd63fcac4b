"""Load the demo partner rooms (``demo/data/partnerroom.py``) through the partner room's and the
reviews' services.

Runs after the reviews loader: the owner grants the contacts access (``access_grant``, with no
invitation e-mail: a demo contact asks for a link on the access page like anyone), chooses what
each partnership shares (``sharing_set``, ``entry_sharing_set``), and sets the co-sign rule
(``cosign_policy_set``). The two latest closed review cycles are opened on the partner's side
(``partner_reviews_open`` with ``backfill``: no e-mail for weeks gone by) and answered with
``partner_review_submit``, which compares them with ours and records the disagreement; the
current cycle is opened as the scheduler would, e-mail included. Each go in the data is asked of
the partner (``confirmation_request``) and, where the data says so, confirmed by their signer
(``confirmation_answer``). The partner's contacts submit evidence from the room
(``partner_evidence_submit``), left waiting for our acceptance.

As with our own reviews, the partner's answers were given weeks ago, so their submission times
are set back afterwards (no service backdates an answer).

Safe to run twice: an existing grant is left as it is, sharing is set to the same values, an
answered review or a live confirmation is not asked again, a submitted entry is not sent again,
and every e-mail has its key.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from accounts.models import Membership, Role
from core.clock import org_today
from demo.data import partnerroom as data
from evidence.models import EvidenceEntry
from evidence.services import partner_evidence_submit
from partnerroom.gates import live_confirmation, policy_for
from partnerroom.models import EntrySharing, GateConfirmation, RoomAccess
from partnerroom.services.access import access_grant
from partnerroom.services.cosign import (
    confirmation_answer,
    confirmation_request,
    cosign_policy_set,
)
from partnerroom.services.sharing import entry_sharing_set, sharing_set
from partnerships.models import Contact, Partnership
from reviews.disagreements import boundary_violated_in
from reviews.models import PartnerReview, ReviewCycle
from reviews.services import partner_review_submit, partner_reviews_open


def _owner(organization):
    return (
        Membership.objects.filter(organization=organization, role=Role.OWNER)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
        .user
    )


def _grants(organization, owner) -> None:
    for row in data.ACCESS:
        if row["organization"] != organization.slug:
            continue
        contact = Contact.objects.get(organization=organization, email=row["email"])
        if RoomAccess.objects.filter(contact=contact, revoked_at__isnull=True).exists():
            continue
        access_grant(
            contact=contact,
            granted_by=owner,
            require_code=row["require_code"],
            signs_gates=row["signs_gates"],
            reviews_health=row["reviews_health"],
            send_link=False,
        )


def _sharing(organization, owner) -> None:
    for name, row in data.SHARING.items():
        partnership = Partnership.objects.filter(organization=organization, name=name).first()
        if partnership is None:
            continue
        sharing_set(
            partnership=partnership,
            actor=owner,
            share_charters=row["share_charters"],
            fit_card_parts=row["fit_card_parts"],
        )
        # Our entries only: what the partner submitted is theirs already.
        newest = EvidenceEntry.objects.filter(
            partnership=partnership, submitted_by_contact__isnull=True
        ).order_by("-observed_on", "-sequence")[: len(row["entry_levels"])]
        current = dict(EntrySharing.objects.filter(entry__in=newest).values_list("entry", "level"))
        for entry, level in zip(newest, row["entry_levels"], strict=False):
            if current.get(entry.pk) != level:
                entry_sharing_set(entry=entry, level=level, actor=owner)


def _answer(item: PartnerReview, row: dict, contact) -> None:
    ours = item.review
    if row["mirror"]:
        health, fired = ours.health, ours.unwind_trigger_fired
        boundary = row["boundary_violated"]
        if boundary_violated_in(boundary) != boundary_violated_in(ours.boundary_violated):
            boundary = f"The same as Northwind saw: {ours.boundary_violated}"
    else:
        health = row["health"] if row["health"] != ours.health else "amber"
        fired, boundary = ours.unwind_trigger_fired, row["boundary_violated"]
    partner_review_submit(
        partner_review=item,
        contact=contact,
        boundary_violated=boundary,
        evidence_less_trustworthy=row["evidence_less_trustworthy"],
        renegotiation_trigger=row["renegotiation_trigger"],
        unwind_trigger_fired=fired,
        health=health,
        notes=row["notes"] or ("Observed on our side too." if fired else ""),
    )
    if ours.submitted_at:
        PartnerReview.objects.filter(pk=item.pk).update(
            submitted_at=ours.submitted_at + datetime.timedelta(hours=3)
        )


def _reviews(organization) -> None:
    cycles = list(ReviewCycle.objects.filter(organization=organization).order_by("starts_on"))
    if not cycles:
        return
    current, closed = cycles[-1], cycles[:-1]
    for name, spec in data.PARTNER_REVIEWS.items():
        partnership = Partnership.objects.filter(organization=organization, name=name).first()
        if partnership is None:
            continue
        contact = Contact.objects.get(organization=organization, email=spec["contact"])
        weeks = closed[-len(spec["answers"]) :]
        for cycle, row in zip(weeks, spec["answers"], strict=False):
            partner_reviews_open(cycle=cycle, notify=False, backfill=True)
            item = (
                PartnerReview.objects.select_related("review")
                .filter(cycle=cycle, partnership=partnership, state=PartnerReview.State.DUE)
                .first()
            )
            if item is not None and item.review.state == "submitted":
                _answer(item, row, contact)
    partner_reviews_open(cycle=current)


def _confirmations(organization, owner) -> None:
    for name, kind, note, confirmed in data.CONFIRMATIONS:
        partnership = Partnership.objects.filter(organization=organization, name=name).first()
        if partnership is None:
            continue
        found = live_confirmation(partnership, kind)
        if found is None:
            found = confirmation_request(
                partnership=partnership, kind=kind, requested_by=owner, note=note
            )
        if confirmed and found.state == GateConfirmation.State.PENDING:
            signer = RoomAccess.objects.filter(
                partner_id=partnership.partner_id, signs_gates=True, revoked_at__isnull=True
            ).first()
            if signer is not None:
                confirmation_answer(confirmation=found, access=signer, confirm=True)


def _submissions(organization) -> None:
    today = org_today(organization)
    for name, email, days_ago, quality, boundary, artifact, limits in data.SUBMISSIONS:
        partnership = Partnership.objects.filter(organization=organization, name=name).first()
        if partnership is None:
            continue
        contact = Contact.objects.get(organization=organization, email=email)
        if EvidenceEntry.objects.filter(
            partnership=partnership, submitted_by_contact=contact, artifact=artifact
        ).exists():
            continue
        partner_evidence_submit(
            partnership=partnership,
            contact=contact,
            claim=partnership.claim_sentence or partnership.name,
            artifact=artifact,
            limits=limits,
            quality=quality,
            boundary_status=boundary,
            observed_on=today - datetime.timedelta(days=days_ago),
        )


@transaction.atomic
def _organization(organization) -> None:
    owner = _owner(organization)
    scope = data.COSIGN_SCOPE.get(organization.slug)
    if scope and policy_for(organization).scope != scope:
        cosign_policy_set(organization=organization, actor=owner, scope=scope)
    _grants(organization, owner)
    _sharing(organization, owner)
    _reviews(organization)
    _confirmations(organization, owner)
    _submissions(organization)


def load(orgs, users) -> None:
    """Partner rooms of every demo organization that has some in the data."""
    for organization in orgs.values():
        _organization(organization)
