"""Load the demo charters (``demo/data/charters.py``).

Rule 3 says a partnership cannot enter walk until its charter is executed by both sides, so
every demo partnership in walk or run gets a charter signed by one of our members (its
approver, or its owner) and a partner contact, through the services the charter and signing
pages call: the text is saved (``charter_save``) and sent (``signature_request_send``), each
signer opens the link, consents and signs (``signer_record_open``, ``signer_consent``,
``signer_sign``), and the sealed PDF is made by ``execution_run`` exactly as the worker makes
it. The launch plan's "Charter signed" item is then ticked (``launch_item_toggle``). A few
crawl partnerships show the cases before launch, one of them declined (``signer_decline``).

Times are "now": the services stamp every step (and the seal) with the current time and offer
no way to backdate, which is what keeps the audit trail trustworthy.

E-mails go through the outbox like every other e-mail, to demo addresses only (``@demo.test``
members, ``.example`` partner contacts). Safe to run twice: executed charters are skipped, and
a run stopped half-way is resumed where it stopped (the services' idempotency keys keep each
e-mail single).
"""

from __future__ import annotations

import string
import zlib
from datetime import timedelta
from urllib.parse import urlparse

from django.utils import timezone
from django.utils.text import slugify

from charters.models import Charter, SignatureRequest, Signer
from charters.services import (
    ClientMeta,
    charter_prefill,
    charter_save,
    execution_run,
    signature_request_send,
    signer_consent,
    signer_decline,
    signer_record_open,
    signer_sign,
)
from demo.data import charters as data
from partnerships.launch import launch_item_toggle
from partnerships.models import Contact, LaunchItem, LaunchPlan, Partnership, Phase
from partnerships.services import contact_save

LAUNCHED = (Phase.WALK, Phase.RUN)
RELATED = ("partner", "organization", "owner", "approver", "unwind_authorizer")


def _n(*parts) -> int:
    """A stable small number per object, so IPs and browsers vary but never between runs."""
    return zlib.crc32(":".join(str(p) for p in parts).encode())


def _meta(key, ips: tuple[str, int, int], agents: list[str], user=None) -> ClientMeta:
    prefix, first, count = ips
    return ClientMeta(
        ip=f"{prefix}{first + _n(key) % count}",
        user_agent=agents[_n(key) % len(agents)],
        user=user,
    )


def _our_meta(user) -> ClientMeta:
    return _meta(user.pk, data.OUR_IPS, data.OUR_AGENTS, user=user)


def _partner_meta(contact) -> ClientMeta:
    return _meta(contact.email, data.PARTNER_IPS, data.PARTNER_AGENTS)


def _day(value) -> str:
    return f"{value:%d %B %Y}" if value else ""


def charter_values(p: Partnership, *, contact: Contact, signer, prefill: dict) -> dict[str, str]:
    """The names the charter's line templates may use, from the partnership, its signers and
    what the charter form proposes (``prefill``)."""
    plan = LaunchPlan.objects.filter(partnership=p).first()
    return {
        "organization": p.organization.name,
        "partner": p.partner.name,
        "prefill_mutual_goals": prefill["mutual_goals"],
        "prefill_value_exchange": prefill["value_exchange"],
        "uncertainty_or_name": p.claim_uncertainty or p.name,
        "claim_uncertainty": p.claim_uncertainty,
        "claim_capability": p.claim_capability,
        "claim_evidence": p.claim_evidence,
        "claim_sentence": p.claim_sentence,
        "boundary_line": p.boundary_line,
        "integration_pathway": p.integration_pathway,
        "exit_path": p.exit_path,
        "launched_on": _day(p.launched_on),
        "planned_launch_on": _day(plan.launch_on) if plan else "",
        "phase": p.get_phase_display(),
        "phase_started_on": _day(p.phase_started_on),
        "phase_success_criteria": p.phase_success_criteria,
        "deferral_sentence": p.deferral_sentence if p.deferral_date else "",
        "review_weekday": p.organization.get_review_weekday_display(),
        "dependency": p.get_dependency_display().lower(),
        "owner_name": p.owner.display_name if p.owner else p.organization.name,
        "contact_name": contact.name,
        "contact_role": contact.title or p.partner.name,
        "signer_name": signer.display_name,
        "unwind_authorizer": p.unwind_authorizer.display_name if p.unwind_authorizer else "",
        "unwind_condition": p.unwind_condition,
    }


def _line(template: str | tuple, values: dict[str, str]) -> str:
    """The first alternative whose names all have a value, filled in; else nothing."""
    for option in (template,) if isinstance(template, str) else template:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(option) if name]
        if all(values.get(name) for name in names):
            return option.format(**values)
    return ""


def charter_text(p: Partnership, *, contact: Contact, signer) -> dict:
    """The charter form's fields for ``p``: its own prefill, with the data's sections written
    from the partnership's values, claim, criteria and triggers."""
    text = charter_prefill(p)
    values = charter_values(p, contact=contact, signer=signer, prefill=text)
    text = dict(text)
    for section, lines in data.SECTIONS.items():
        text[section] = "\n".join(line for t in lines if (line := _line(t, values)))
    return text


def _partner_contact(partner) -> Contact:
    """The partner's first contact, or a realistic one created through the service."""
    contact = Contact.objects.filter(partner=partner).order_by("pk").first()
    if contact is not None:
        return contact
    name, title = data.FALLBACK_CONTACTS[_n(partner.name) % len(data.FALLBACK_CONTACTS)]
    host = urlparse(partner.website).hostname or ""
    if not host.endswith(".example"):  # demo e-mail never reaches a real domain
        host = f"{slugify(partner.name) or 'partner'}.example"
    email = f"{slugify(name.split()[0])}.{slugify(name.split()[-1])}@{host}"
    return contact_save(partner=partner, name=name, email=email, title=title)


def _our_signer(p: Partnership, users):
    return p.approver or p.owner or users.get("owner")


def _open_request(p: Partnership) -> SignatureRequest | None:
    return (
        SignatureRequest.objects.filter(
            version__charter__partnership=p, state=SignatureRequest.State.PENDING
        )
        .order_by("-sent_at")
        .first()
    )


def _send(p: Partnership, *, contact: Contact, signer) -> SignatureRequest:
    sender = p.owner or signer
    version = charter_save(
        partnership=p, actor=sender, data=charter_text(p, contact=contact, signer=signer)
    )
    return signature_request_send(
        version=version,
        actor=sender,
        our_users=[signer],
        partner_contacts=[contact],
        expires_at=timezone.now() + timedelta(days=data.EXPIRES_IN_DAYS),
        message=data.MESSAGE.format(first_name=contact.name.split()[0], partnership=p.name),
        meta=_our_meta(sender),
    )


def _sign(signer: Signer, meta: ClientMeta) -> None:
    """Open the link, consent, sign: the three steps a person takes on the signing page."""
    if signer.state != Signer.State.PENDING:
        return
    signer_record_open(signer=signer, meta=meta)
    signer_consent(signer=signer, meta=meta)
    signer_sign(
        signer=signer, typed_name=signer.name, signature_png=b"", authorized=True, meta=meta
    )


def _tick_launch_item(p: Partnership, actor) -> None:
    """The launch plan's "Charter signed by both sides" item is done once the charter is."""
    item = (
        LaunchItem.objects.filter(plan__partnership=p, title__istartswith="Charter signed")
        .order_by("position")
        .first()
    )
    if item is not None and not item.done:
        launch_item_toggle(item=item, actor=actor, done=True)


def execute(p: Partnership, users, *, contact: Contact | None = None) -> None:
    """Give ``p`` an executed charter, resuming whatever a previous run left unfinished."""
    signer_user = _our_signer(p, users)
    charter = Charter.objects.filter(partnership=p).first()
    if charter is None or charter.executed_at is None:
        request = _open_request(p)
        if request is None:
            contact = contact or _partner_contact(p.partner)
            request = _send(p, contact=contact, signer=signer_user)
        for signer in request.signers.order_by("order", "pk"):
            if signer.side == Signer.Side.OURS:
                meta = _our_meta(signer.user or signer_user)
            else:
                meta = _partner_meta(signer.contact or signer)
            _sign(signer, meta)
        charter = Charter.objects.get(partnership=p)
    unfinished = SignatureRequest.objects.filter(
        version_id=charter.executed_version_id, state=SignatureRequest.State.COMPLETED
    ).exclude(execution_state=SignatureRequest.Execution.DONE)
    for request in unfinished:
        # In production a worker does this after commit; the demo must not depend on one.
        execution_run(request_id=request.pk)
    _tick_launch_item(p, signer_user)


def _awaiting(p: Partnership, users) -> None:
    """Sent and signed by us; the partner opened the link and has not signed yet."""
    signer_user = _our_signer(p, users)
    contact = _partner_contact(p.partner)
    request = _send(p, contact=contact, signer=signer_user)
    _sign(request.signers.get(side=Signer.Side.OURS), _our_meta(signer_user))
    partner = request.signers.get(side=Signer.Side.PARTNER)
    signer_record_open(signer=partner, meta=_partner_meta(contact))


def _declined(p: Partnership, users) -> None:
    """Sent; the partner opened it, consented to sign electronically, and declined."""
    contact = _partner_contact(p.partner)
    request = _send(p, contact=contact, signer=_our_signer(p, users))
    partner = request.signers.get(side=Signer.Side.PARTNER)
    meta = _partner_meta(contact)
    signer_record_open(signer=partner, meta=meta)
    signer_consent(signer=partner, meta=meta)
    signer_decline(signer=partner, reason=data.DECLINE_REASON, meta=meta)


def _crawl_cases(organization, users) -> None:
    """Each case once, on its named crawl partnership; one already there is left alone."""
    crawl = Partnership.objects.filter(
        organization=organization, phase=Phase.CRAWL, name__in=list(data.CRAWL_CASES)
    ).select_related(*RELATED)
    for p in sorted(crawl, key=lambda p: list(data.CRAWL_CASES).index(p.name)):
        case = data.CRAWL_CASES[p.name]
        if case == "executed":
            execute(p, users)
        elif not SignatureRequest.objects.filter(version__charter__partnership=p).exists():
            (_awaiting if case == "awaiting" else _declined)(p, users)


def load(orgs, users) -> None:
    """Executed charters for every launched demo partnership, and the crawl cases."""
    for organization in orgs.values():
        launched = (
            Partnership.objects.filter(organization=organization, phase__in=LAUNCHED)
            .select_related(*RELATED)
            .order_by("name")
        )
        for p in launched:
            execute(p, users)
        _crawl_cases(organization, users)
