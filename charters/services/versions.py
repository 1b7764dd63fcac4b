"""Writing the charter: the first draft's text, drafts edited in place, new versions.

A version that was sent for signature is frozen; editing after that creates a new version and
voids the open request on the old one, because its signers would otherwise sign outdated text.

Each version records its language (``CharterVersion.language``): the one it is written in and
that its document, signing page and executed PDF are rendered in. A new version takes the
writer's language; ``version_in_language`` makes the charter a version in another language,
to be signed separately.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.i18n import supported
from partnerships.models import PartnershipEvent
from partnerships.services import event_record

from ..models import SECTION_FIELDS, Charter, CharterVersion, SignatureRequest
from .common import ClientMeta, charter_url
from .sending import signature_request_void


def charter_prefill(partnership) -> dict:
    """Initial text for a first version, from the partnership's claim, boundary and triggers,
    so the charter restates what the partnership already committed to."""
    p = partnership
    return {
        "title": f"Partnership Charter — {p.organization.name} and {p.partner.name}",
        "mutual_goals": "\n".join(
            line
            for line in [
                f"Value to us: {p.value_to_us}" if p.value_to_us else "",
                f"Value to {p.partner.name}: {p.value_to_partner}" if p.value_to_partner else "",
                f"Value to shared customers: {p.value_to_customers}"
                if p.value_to_customers
                else "",
            ]
            if line
        ),
        "value_exchange": "\n".join(
            line
            for line in [
                f"If this fails, we lose: {p.we_lose}" if p.we_lose else "",
                f"If this fails, {p.partner.name} loses: {p.partner_loses}"
                if p.partner_loses
                else "",
            ]
            if line
        ),
        "timeline": (
            f"Current phase: {p.get_phase_display()} since {p.phase_started_on:%d %B %Y}."
            + (
                f"\nSuccess criteria: {p.phase_success_criteria}"
                if p.phase_success_criteria
                else ""
            )
        ),
        "measurement": f"Claim under test: {p.claim_sentence}",
        "decision_cadence": "A weekly health review; go / no-go at the end of each phase.",
        "escalation_path": "Partnership owners on each side, then their executive sponsors.",
        "breakage_ownership": "",
    }


def _snapshot(partnership) -> dict:
    triggers = [partnership.deferral_sentence]
    if partnership.unwind_condition:
        triggers.append(f"Unwind if: {partnership.unwind_condition}")
    return {
        "claim_sentence": partnership.claim_sentence,
        "boundary_line": partnership.boundary_line,
        "triggers": "\n".join(triggers),
    }


@transaction.atomic
def charter_save(*, partnership, actor, data: dict, language: str | None = None) -> CharterVersion:
    """Save the charter text. An unsent draft is edited in place; once the latest version was
    sent it is frozen, so a new version is created and every open request on an older version
    is voided (its signers are told), because they would otherwise sign outdated text.

    ``language`` is the one the text is written in: by default a new version's is the
    writer's (the active language) and a draft keeps its own."""
    charter, _ = Charter.objects.get_or_create(
        partnership=partnership, defaults={"organization_id": partnership.organization_id}
    )
    charter = Charter.objects.select_for_update(of=("self",)).get(pk=charter.pk)
    latest = charter.versions.order_by("-number").first()
    fields = {name: data[name] for name in ["title", *SECTION_FIELDS]}
    fields.update(_snapshot(partnership))
    if supported(language):
        fields["language"] = supported(language)
    if latest is not None and not latest.is_frozen:
        for name, value in fields.items():
            setattr(latest, name, value)
        latest.save(update_fields=[*fields.keys(), "updated_at"])
        version = latest
    else:
        version = CharterVersion.objects.create(
            organization_id=partnership.organization_id,
            charter=charter,
            number=(latest.number + 1) if latest else 1,
            created_by=actor,
            **{"language": supported(translation.get_language()) or "en", **fields},
        )
        open_requests = SignatureRequest.objects.filter(
            version__charter=charter, state=SignatureRequest.State.PENDING
        )
        for request in open_requests:
            signature_request_void(
                request=request,
                meta=ClientMeta(user=actor),
                reason=f"A new version (v{version.number}) of the charter was written.",
            )
        event_record(
            partnership=partnership,
            kind=PartnershipEvent.Kind.CHARTER,
            summary=f"Charter version {version.number} drafted",
            actor=actor,
            url=charter_url(partnership),
        )
    Charter.objects.filter(pk=charter.pk).update(updated_at=timezone.now())
    return version


def version_in_language(*, version: CharterVersion, language: str, actor) -> CharterVersion:
    """The charter as a version in ``language``: the same text, rendered in that language.

    Signers read and sign a document in one language, and a charter signed in English is not
    the same record as one signed in Spanish, so the other language is a version of its own
    (``charter_save``: a new version after a sent one, whose open request is then voided, or
    the unsent draft itself). Its headings, parties and signing pages come out in
    ``language``; the text written by people is copied for them to translate before sending.
    """
    language = supported(language)
    if language is None:
        raise ValidationError({"language": _("Choose one of the languages Accord offers.")})
    if language == version.language:
        raise ValidationError({"language": _("This version is already in that language.")})
    data = {name: getattr(version, name) for name in ["title", *SECTION_FIELDS]}
    partnership = version.charter.partnership
    return charter_save(partnership=partnership, actor=actor, data=data, language=language)
