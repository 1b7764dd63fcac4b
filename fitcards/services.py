"""Writes for fit cards: saving the draft as people type, finishing it, discarding it.

Finishing is the one moment the card becomes official: it freezes a revision, updates the
partnership's claim fields and exit path, and records a timeline event, all in one transaction.
The draft is deleted in the same transaction, so a second click on "Finish" (or a retried
request) finds no draft and writes nothing twice.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Partnership, PartnershipEvent
from partnerships.services import event_record

from .card import (
    CARD_FIELDS,
    card_from_current,
    card_from_raw,
    completeness,
    raw_for_forms,
    raw_from_card,
)
from .forms import CLAIM_LABELS, authorizer_choices
from .models import FitCard, FitCardDraft, FitCardRevision
from .prefill import prefill_from_partnership
from .presentation import claim_sentences, exit_path_summary
from .steps import STEP_BY_SLUG, STEPS, step_input

CLAIM_FIELDS = [
    "claim_uncertainty",
    "claim_capability",
    "claim_boundary",
    "claim_evidence",
    "boundary_not_established",
    "deferral_condition",
    "deferral_date",
    "unwind_condition",
    "unwind_authorizer",
]


CLAIM_BASE_KEY = "_claim_base"


class DraftMissing(Exception):
    """There is no draft to finish (already finished, or never started)."""


class StepInvalid(Exception):
    """A step of the draft does not validate; the flow must send the person back to it."""

    def __init__(self, step: str, form):
        super().__init__(step)
        self.step = step
        self.form = form


def initial_raw(partnership: Partnership) -> dict:
    """What a new draft starts from: the finished card and the partnership's current claim,
    with empty card fields prefilled from what the partnership already says."""
    fit_card = FitCard.objects.filter(partnership=partnership).first()
    return prefill_from_partnership(
        raw_from_card(card_from_current(partnership, fit_card)), partnership
    )


def claim_edited_elsewhere(partnership: Partnership, draft: FitCardDraft | None) -> list[str]:
    """Claim fields changed on the partnership since the draft started, and differing in it.

    Someone may edit the claim on the partnership page while a fit card draft is open;
    finishing the draft would then replace their edit, so the flow says so first.
    """
    if draft is None or not isinstance(draft.data.get(CLAIM_BASE_KEY), dict):
        return []
    base = draft.data[CLAIM_BASE_KEY]
    current = raw_from_card(card_from_current(partnership))
    labels = dict(CLAIM_LABELS)
    return [
        labels[key]
        for key in CLAIM_FIELDS
        if base.get(key, "") != current.get(key, "")
        and draft.data.get(key, "") != current.get(key, "")
    ]


def _lock_or_create_draft(*, partnership: Partnership, actor) -> FitCardDraft:
    draft = FitCardDraft.objects.select_for_update().filter(partnership=partnership).first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            data = initial_raw(partnership)
            # Remember the claim as it was, to warn if it is edited elsewhere meanwhile.
            data[CLAIM_BASE_KEY] = {key: data.get(key, "") for key in CLAIM_FIELDS}
            return FitCardDraft.objects.create(
                organization_id=partnership.organization_id,
                partnership=partnership,
                data=data,
                started_by=actor,
                updated_by=actor,
            )
    except IntegrityError:  # created concurrently by another request: use that one
        return FitCardDraft.objects.select_for_update().get(partnership=partnership)


@transaction.atomic
def draft_save(
    *,
    partnership: Partnership,
    actor,
    step: str,
    values: dict[str, str],
    move_to: str | None = None,
) -> FitCardDraft:
    """Store the raw values of one step in the partnership's draft, validated or not.

    Unvalidated input is kept on purpose: going back, reloading or closing the browser must
    never lose what someone typed. Only the fields of ``step`` are taken from ``values``, each
    made storable first (``forms.draft_input``).
    """
    if step not in STEP_BY_SLUG:
        raise ValueError(f"Unknown step {step!r}")
    draft = _lock_or_create_draft(partnership=partnership, actor=actor)
    draft.data = {**draft.data, **step_input(STEP_BY_SLUG[step], partnership, values).values}
    target = move_to if move_to in STEP_BY_SLUG else step
    draft.current_step = target
    draft.updated_by = actor
    draft.save(update_fields=["data", "current_step", "updated_by", "updated_at"])
    return draft


@transaction.atomic
def draft_discard(*, partnership: Partnership, actor) -> bool:
    """Throw the draft away; the finished card (if any) stays as it was."""
    deleted, _ = FitCardDraft.objects.filter(partnership=partnership).delete()
    if deleted:
        event_record(
            partnership=partnership,
            kind=PartnershipEvent.Kind.FIT_CARD,
            summary="Fit card draft discarded",
            actor=actor,
        )
    return bool(deleted)


def validate_raw(partnership: Partnership, raw: dict) -> dict:
    """Validate every step against ``raw``; return the cleaned values as form strings.

    Raises ``StepInvalid`` for the first step that does not validate.
    """
    cleaned: dict[str, str] = {}
    for step in STEPS:
        form = step.form_class(raw_for_forms(raw), partnership=partnership)
        if not form.is_valid():
            raise StepInvalid(step.slug, form)
        for name, value in form.cleaned_data.items():
            if isinstance(value, datetime.date):
                cleaned[name] = value.isoformat()
            elif hasattr(value, "uuid"):
                cleaned[name] = str(value.uuid)
            else:
                cleaned[name] = "" if value is None else str(value)
    return cleaned


@transaction.atomic
def fitcard_finish(*, partnership: Partnership, actor) -> FitCardRevision:
    """Finish the draft: freeze a revision, update the card, the claim and the exit path.

    Raises ``DraftMissing`` when there is nothing to finish and ``StepInvalid`` when a step
    is not valid yet (nothing is written then).
    """
    draft = FitCardDraft.objects.select_for_update().filter(partnership=partnership).first()
    if draft is None:
        raise DraftMissing
    locked = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("organization", "partner")
        .get(pk=partnership.pk)
    )
    cleaned = validate_raw(locked, draft.data)
    authorizer = authorizer_choices(locked).filter(uuid=cleaned["unwind_authorizer"]).first()
    card = card_from_raw(cleaned, authorizer_name=authorizer.display_name if authorizer else "")
    card["partner_name"] = locked.partner.name

    fit_card, _ = FitCard.objects.select_for_update().get_or_create(
        partnership=locked, defaults={"organization_id": locked.organization_id}
    )
    for key in CARD_FIELDS:
        setattr(fit_card, key, card[key])
    fit_card.revision_count += 1
    fit_card.finished_at = timezone.now()
    fit_card.finished_by = actor
    fit_card.save(
        update_fields=[
            *CARD_FIELDS,
            "revision_count",
            "finished_at",
            "finished_by",
            "updated_at",
        ]
    )

    for key in CLAIM_FIELDS:
        if key == "deferral_date":
            locked.deferral_date = datetime.date.fromisoformat(card[key]) if card[key] else None
        elif key == "unwind_authorizer":
            locked.unwind_authorizer = authorizer
        else:
            setattr(locked, key, card[key])
    locked.exit_path = exit_path_summary(card)
    locked.save(update_fields=[*CLAIM_FIELDS, "exit_path", "updated_at"])

    revision = FitCardRevision.objects.create(
        organization_id=locked.organization_id,
        fit_card=fit_card,
        number=fit_card.revision_count,
        data=card,
        completeness=completeness(raw_from_card(card)).percent,
        created_by=actor,
    )
    draft.delete()
    event_record(
        partnership=locked,
        kind=PartnershipEvent.Kind.FIT_CARD,
        summary=f"Fit card revision {revision.number} finished; claim and exit path updated",
        detail=claim_sentences(card, locked.partner.name)["claim"],
        actor=actor,
        url=reverse("fitcards:detail", kwargs={"partnership_uuid": locked.uuid}),
    )
    partnership.refresh_from_db()
    return revision
