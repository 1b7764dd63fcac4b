"""Load the demo fit cards (``demo/data/fitcards.py``).

Each card is typed into the same draft the fit card pages save as people type
(``draft_save``, step by step) and finished with ``fitcard_finish``, so the revision, the
partnership's claim and exit path and the timeline event are written as a manager's would be.
The first revision is then dated back to when the data says it was written: no service
changes a revision's date (that is what keeps the history honest in the product), so this one
row is updated directly.

Partnerships are looked up by name; missing ones are skipped. Safe to run twice: a partnership
that already has a card or a draft is left alone.
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone

from demo.data import fitcards as data
from fitcards.models import FitCard, FitCardDraft, FitCardRevision
from fitcards.services import StepInvalid, draft_save, fitcard_finish, initial_raw
from partnerships.models import Partnership

log = logging.getLogger(__name__)


def _merge(first: dict, second: dict) -> dict:
    merged = {step: dict(values) for step, values in first.items()}
    for step, values in second.items():
        merged.setdefault(step, {}).update(values)
    return merged


def _type(partnership, steps: dict, actor, authorizer) -> None:
    """Save each step as the pages do; name the unwind authorizer if the claim has none."""
    for slug, values in steps.items():
        draft_save(partnership=partnership, actor=actor, step=slug, values=values)
    if not partnership.unwind_authorizer_id:
        raw = initial_raw(partnership)
        raw["unwind_authorizer"] = str(authorizer.uuid)
        draft_save(partnership=partnership, actor=actor, step="claim", values=raw)


def _card(partnership, spec: dict, users) -> None:
    first_by, second_by = users[data.FIRST_BY], users[data.SECOND_BY]
    authorizer = users[data.UNWIND_AUTHORIZER]
    try:
        _type(partnership, spec["first"], first_by, authorizer)
        first = fitcard_finish(partnership=partnership, actor=first_by)
        FitCardRevision.objects.filter(pk=first.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=data.FIRST_REVISION_DAYS_AGO)
        )
        _type(partnership, _merge(spec["first"], spec["second"]), second_by, authorizer)
        fitcard_finish(partnership=partnership, actor=second_by)
    except StepInvalid as invalid:  # e.g. the partnership has no deferral date
        log.warning(
            "Demo fit card for %s left as a draft: %s", partnership.name, invalid.form.errors
        )


def load(orgs, users) -> None:
    """Fit cards for the Northwind demo partnerships that exist."""
    partnerships = {
        p.name: p
        for p in Partnership.objects.filter(
            organization=orgs["northwind"], name__in=[*data.CARDS, data.DRAFT_FOR]
        ).select_related("partner", "unwind_authorizer")
    }
    started = set(
        FitCard.objects.filter(partnership__in=partnerships.values()).values_list(
            "partnership_id", flat=True
        )
    ) | set(
        FitCardDraft.objects.filter(partnership__in=partnerships.values()).values_list(
            "partnership_id", flat=True
        )
    )
    for name, spec in data.CARDS.items():
        partnership = partnerships.get(name)
        if partnership is not None and partnership.pk not in started:
            _card(partnership, spec, users)

    draft_partnership = partnerships.get(data.DRAFT_FOR)
    if draft_partnership is not None and draft_partnership.pk not in started:
        for slug, values in data.DRAFT_STEPS.items():
            draft_save(
                partnership=draft_partnership,
                actor=users[data.DRAFT_BY],
                step=slug,
                values=values,
                move_to=data.DRAFT_AT,
            )
