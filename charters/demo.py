"""Demo charters (``manage.py seed_demo``).

Rule 3 says a partnership cannot enter walk until its charter is executed by both sides, so
EVERY demo partnership in walk or run (Northwind and Globex) gets a charter signed by one of our
members (the partnership's approver, or its owner) and a partner contact, executed through the
real services: the version is rendered and frozen once, both sides open, consent and sign, and
the sealed PDF is produced by ``execution_run`` exactly as in production. The launch plan's
"Charter signed" item is then ticked through ``partnerships.launch.launch_item_toggle``.

Northwind also keeps three pre-launch cases on crawl partnerships: one charter executed ahead of
launch, one awaiting the partner's signature and one the partner declined.

Times are "now": the services stamp every step (and the seal) with the current time and offer
no way to backdate, which is what keeps the audit trail trustworthy.

E-mails go through the outbox like every other e-mail, to demo addresses only (``@demo.test``
members, ``.example`` partner contacts), never to real people. Running the seed twice changes
nothing: executed charters are skipped, and an interrupted run is resumed where it stopped
(the services' idempotency keys keep each e-mail single).
"""

from __future__ import annotations

import zlib
from datetime import timedelta
from urllib.parse import urlparse

from django.utils import timezone
from django.utils.text import slugify

from partnerships.launch import launch_item_toggle
from partnerships.models import Contact, LaunchItem, LaunchPlan, Partnership, Phase
from partnerships.services import contact_save

from . import services
from .models import Charter, SignatureRequest, Signer

LAUNCHED = (Phase.WALK, Phase.RUN)

OUR_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1",
]
PARTNER_AGENTS = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Edg/131.0",
]
# For a partner with no contact: a signer with the authority to sign a charter.
FALLBACK_CONTACTS = [
    ("Ruth Achterberg", "VP Partnerships"),
    ("Daniel Osei", "Head of Alliances"),
    ("Camille Fournier", "Director, Strategic Partnerships"),
    ("Arjun Mehta", "Chief Operating Officer"),
]
DECLINE_REASON = (
    "Our legal team cannot accept the escalation path as written: we need a named executive "
    "sponsor on your side before we sign."
)


def _n(*parts) -> int:
    """A stable small number per object, so IPs and browsers vary but never between runs."""
    return zlib.crc32(":".join(str(p) for p in parts).encode())


def _our_meta(user) -> services.ClientMeta:
    return services.ClientMeta(
        ip=f"203.0.113.{10 + _n(user.pk) % 40}",
        user_agent=OUR_AGENTS[_n(user.pk) % len(OUR_AGENTS)],
        user=user,
    )


def _partner_meta(contact) -> services.ClientMeta:
    return services.ClientMeta(
        ip=f"198.51.100.{20 + _n(contact.email) % 200}",
        user_agent=PARTNER_AGENTS[_n(contact.email) % len(PARTNER_AGENTS)],
    )


def _lines(*items: str) -> str:
    return "\n".join(item for item in items if item)


def _text(p: Partnership, *, contact: Contact, signer) -> dict:
    """Charter text specific to the partnership: its values, claim, criteria and triggers."""
    org, partner = p.organization.name, p.partner.name
    data = services.charter_prefill(p)
    if not data["mutual_goals"]:
        data["mutual_goals"] = f"Establish whether {p.claim_uncertainty or p.name} holds."
    if p.claim_uncertainty:
        data["mutual_goals"] += f"\nWhat we want to learn together: {p.claim_uncertainty}."
    data["value_exchange"] = _lines(
        f"{org} brings: its customers and the integration on its side.",
        f"How shared customers use it: {p.integration_pathway}" if p.integration_pathway else "",
        f"{partner} brings: {p.claim_capability}." if p.claim_capability else "",
        data["value_exchange"],
        f"Exit path: {p.exit_path}" if p.exit_path else "",
    )
    weekday = p.organization.get_review_weekday_display()
    if p.launched_on:
        launch = f"Launch (entry into walk): {p.launched_on:%d %B %Y}."
    elif plan := LaunchPlan.objects.filter(partnership=p).first():
        launch = (
            f"Planned launch (entry into walk): {plan.launch_on:%d %B %Y}, once this charter "
            "is executed by both sides."
        )
    else:
        launch = "Launch (entry into walk) only after this charter is executed by both sides."
    data["timeline"] = _lines(
        f"Crawl: a 4–8 week controlled test, before {p.launched_on:%d %B %Y}."
        if p.launched_on
        else f"Crawl: a 4–8 week controlled test, from {p.phase_started_on:%d %B %Y}.",
        launch,
        f"Current phase: {p.get_phase_display()} since {p.phase_started_on:%d %B %Y}.",
        f"Success criteria for this phase: {p.phase_success_criteria}"
        if p.phase_success_criteria
        else "",
        "Walk is time-boxed to 8–12 weeks; run is reviewed every six months.",
        p.deferral_sentence if p.deferral_date else "",
    )
    data["measurement"] = _lines(
        f"Claim under test: {p.claim_sentence}",
        f"Evidence both sides accept: {p.claim_evidence}." if p.claim_evidence else "",
        f"Boundary: {p.boundary_line}",
        f"Evidence is logged in the Partnership Evidence Log and reviewed every {weekday}; "
        f"{partner} shares its own figures before each review.",
    )
    data["decision_cadence"] = _lines(
        f"A weekly health review every {weekday}: which boundary was violated, what evidence is "
        "less trustworthy because of the partner seam, what would trigger renegotiation.",
        "A go / no-go at the end of each phase, against that phase's success criteria.",
        f"Dependency depth is {p.get_dependency_display().lower()}: evidence for a commit or a "
        "go decision scales with it.",
    )
    data["escalation_path"] = _lines(
        f"1. Partnership owners: {p.owner.display_name if p.owner else org} "
        f"and {contact.name} ({contact.title or partner}).",
        f"2. Approvers: {signer.display_name} for {org} and {partner}'s executive sponsor, "
        "within two business days.",
        f"3. Unwind, authorized by {p.unwind_authorizer.display_name}, if: {p.unwind_condition}"
        if p.unwind_condition and p.unwind_authorizer
        else "",
    )
    data["breakage_ownership"] = _lines(
        f"{partner} owns incidents in what it provides"
        + (f" ({p.claim_capability})" if p.claim_capability else "")
        + " and answers within four business hours.",
        f"{org} owns the integration and all communication with shared customers.",
        "Each side names one on-call owner per week; a seam incident is reviewed jointly at the "
        "next health review.",
    )
    return data


def _partner_contact(partner) -> Contact:
    """The partner's first contact, or a realistic one created through the service."""
    contact = Contact.objects.filter(partner=partner).order_by("pk").first()
    if contact is not None:
        return contact
    name, title = FALLBACK_CONTACTS[_n(partner.name) % len(FALLBACK_CONTACTS)]
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


def _send(p: Partnership, users, *, contact: Contact, signer) -> SignatureRequest:
    sender = p.owner or signer
    version = services.charter_save(
        partnership=p, actor=sender, data=_text(p, contact=contact, signer=signer)
    )
    first = contact.name.split()[0]
    return services.signature_request_send(
        version=version,
        actor=sender,
        our_users=[signer],
        partner_contacts=[contact],
        expires_at=timezone.now() + timedelta(days=21),
        message=f"{first}, as agreed on our call: here is the charter for {p.name}, "
        "for both sides to sign.",
        meta=_our_meta(sender),
    )


def _sign(signer: Signer, meta: services.ClientMeta) -> None:
    """Open the link, consent, sign: the three steps a person takes on the signing page."""
    if signer.state != Signer.State.PENDING:
        return
    services.signer_record_open(signer=signer, meta=meta)
    services.signer_consent(signer=signer, meta=meta)
    services.signer_sign(
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


def _execute(p: Partnership, users, *, contact: Contact | None = None) -> None:
    """Give ``p`` an executed charter, resuming whatever a previous run left unfinished."""
    signer_user = _our_signer(p, users)
    charter = Charter.objects.filter(partnership=p).first()
    if charter is None or charter.executed_at is None:
        request = _open_request(p)
        if request is None:
            contact = contact or _partner_contact(p.partner)
            request = _send(p, users, contact=contact, signer=signer_user)
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
        services.execution_run(request_id=request.pk)
    _tick_launch_item(p, signer_user)


def _crawl_cases(org, users) -> None:
    """Pre-launch cases on crawl partnerships: executed ahead of launch, awaiting the partner,
    declined by the partner. Each is created once; an existing one is left alone."""
    crawl = list(
        Partnership.objects.filter(organization=org, phase=Phase.CRAWL)
        .select_related("partner", "organization", "owner", "approver", "unwind_authorizer")
        .order_by("name")
    )
    charters = {c.partnership_id: c for c in Charter.objects.filter(partnership__in=crawl)}
    requests = SignatureRequest.objects.filter(version__charter__partnership__in=crawl)
    has_executed = any(c.executed_at for c in charters.values())
    has_pending = requests.filter(state=SignatureRequest.State.PENDING).exists()
    has_declined = requests.filter(state=SignatureRequest.State.DECLINED).exists()
    # Free: no charter yet; active ones first, those nearest to launch (a launch plan) first.
    free = sorted(
        (p for p in crawl if p.pk not in charters),
        key=lambda p: (p.status != "active", not hasattr(p, "launch_plan")),
    )

    def take():
        return free.pop(0) if free else None

    if not has_executed and (p := take()) is not None:
        _execute(p, users)
    if not has_pending and (p := take()) is not None:
        signer_user = _our_signer(p, users)
        contact = _partner_contact(p.partner)
        request = _send(p, users, contact=contact, signer=signer_user)
        _sign(request.signers.get(side=Signer.Side.OURS), _our_meta(signer_user))
        partner = request.signers.get(side=Signer.Side.PARTNER)
        services.signer_record_open(signer=partner, meta=_partner_meta(contact))
    if not has_declined and (p := take()) is not None:
        contact = _partner_contact(p.partner)
        request = _send(p, users, contact=contact, signer=_our_signer(p, users))
        partner = request.signers.get(side=Signer.Side.PARTNER)
        meta = _partner_meta(contact)
        services.signer_record_open(signer=partner, meta=meta)
        services.signer_consent(signer=partner, meta=meta)
        services.signer_decline(signer=partner, reason=DECLINE_REASON, meta=meta)


def seed(orgs, users) -> None:
    for slug in ("northwind", "globex"):
        org = orgs.get(slug)
        if org is None:
            continue
        launched = (
            Partnership.objects.filter(organization=org, phase__in=LAUNCHED)
            .select_related("partner", "organization", "owner", "approver", "unwind_authorizer")
            .order_by("name")
        )
        for p in launched:
            _execute(p, users)
        if slug == "northwind":
            _crawl_cases(org, users)
