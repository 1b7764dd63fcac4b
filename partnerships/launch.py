"""The seed's launch checklist: pre-launch (4–6 weeks before), launch week, post-launch (2–8).

The seed warns against "treating launch as the finish line": half the checklist is after launch
(adoption, support, iteration), and every item has an owner and a due date counted from the
launch date, so the dashboard can show what is due.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.clock import org_today

from .dates import item_due_error, launch_date_error
from .models import LaunchItem, LaunchPlan, Partnership, PartnershipEvent
from .timeline import event_record

Stage = LaunchItem.Stage

# (stage, title, days relative to the launch date)
CHECKLIST: list[tuple[str, str, int]] = [
    (Stage.PRE, "Charter signed by both sides (required before launch)", -42),
    (Stage.PRE, "Integration pathway documented for shared customers", -35),
    (Stage.PRE, "Support escalation path agreed and tested across the seam", -35),
    (Stage.PRE, "Success metrics and their baseline agreed with the partner", -28),
    (Stage.PRE, "Partner's team trained on our product; ours on theirs", -28),
    (Stage.PRE, "Launch customers lined up and briefed", -28),
    (Stage.LAUNCH, "Announce to shared customers with the integration guide", 0),
    (Stage.LAUNCH, "Listing live in both products' directories", 0),
    (Stage.LAUNCH, "Daily check-in between the two partnership owners", 1),
    (Stage.LAUNCH, "Watch integration errors and support tickets from the seam", 3),
    (Stage.POST, "First adoption review: live integrations against the target", 14),
    (Stage.POST, "Feedback interviews with the first ten customers", 21),
    (Stage.POST, "Joint review of pipeline and support load", 28),
    (Stage.POST, "Fix the top three integration issues found after launch", 42),
    (Stage.POST, "Walk review against the phase's success criteria", 56),
]


@transaction.atomic
def launch_plan_create(*, partnership: Partnership, launch_on: datetime.date, actor) -> LaunchPlan:
    """Create the partnership's launch plan from the seed's checklist.

    Items are owned by the partnership owner until someone reassigns them. A partnership has
    one plan; asking again returns the existing one instead of duplicating the checklist.
    The launch date must be within ``dates.launch_range`` of the organization's today.
    """
    if problem := launch_date_error(launch_on, today=org_today(partnership.organization)):
        raise ValidationError({"launch_on": problem})
    plan, created = LaunchPlan.objects.get_or_create(
        partnership=partnership,
        defaults={"organization_id": partnership.organization_id, "launch_on": launch_on},
    )
    if not created:
        return plan
    LaunchItem.objects.bulk_create(
        LaunchItem(
            organization_id=partnership.organization_id,
            plan=plan,
            stage=stage,
            position=n,
            title=title,
            owner_id=partnership.owner_id,
            due_on=launch_on + datetime.timedelta(days=offset),
        )
        for n, (stage, title, offset) in enumerate(CHECKLIST)
    )
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.NOTE,
        summary=f"Launch plan created for launch on {launch_on.isoformat()}",
        actor=actor,
    )
    return plan


@transaction.atomic
def launch_item_toggle(*, item: LaunchItem, actor, done: bool) -> LaunchItem:
    """Mark a checklist item done or not done, remembering who and when."""
    locked = LaunchItem.objects.select_for_update().get(pk=item.pk)
    if locked.done == done:
        return locked
    locked.done = done
    locked.done_at = timezone.now() if done else None
    locked.done_by = actor if done else None
    locked.save(update_fields=["done", "done_at", "done_by"])
    return locked


@transaction.atomic
def launch_item_update(*, item: LaunchItem, owner, due_on: datetime.date) -> LaunchItem:
    """Reassign an item (to a member) or move its due date (within a year of the launch)."""
    if problem := item_due_error(due_on, launch_on=item.plan.launch_on):
        raise ValidationError({"due_on": problem})
    if (
        owner is not None
        and owner.memberships.filter(organization_id=item.organization_id).count() == 0
    ):
        raise ValidationError({"owner": "The owner must be a member of this organization."})
    item.owner = owner
    item.due_on = due_on
    item.save(update_fields=["owner", "due_on"])
    return item
