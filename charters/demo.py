"""Demo charters (``manage.py seed_demo``): for Northwind, one charter executed by both sides
(sealed PDF), one awaiting the partner's signature, and one the partner declined.

Partnerships are looked up by query, whatever the partnerships demo created; each scenario is
skipped when it already exists, so running twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from partnerships.models import Contact, Partnership

from . import services
from .models import Charter, SignatureRequest, Signer

META_PARTNER = services.ClientMeta(
    ip="198.51.100.23",
    user_agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/17.5",
)


def _meta_for(user) -> services.ClientMeta:
    return services.ClientMeta(
        ip="203.0.113.10",
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36",
        user=user,
    )


def _text(partnership) -> dict:
    data = services.charter_prefill(partnership)
    partner = partnership.partner.name
    data.setdefault("mutual_goals", "")
    if not data["mutual_goals"]:
        data["mutual_goals"] = f"Prove that {partner} reduces the uncertainty named in our claim."
    if not data["value_exchange"]:
        data["value_exchange"] = f"We bring merchant reach; {partner} brings its capability."
    data["breakage_ownership"] = (
        f"{partner} owns incidents in its service and answers within four business hours; "
        f"{partnership.organization.name} owns the integration and customer communication. "
        "Each side names one on-call owner per week."
    )
    data["measurement"] += (
        "\nReviewed weekly in the health review; evidence logged in the Partnership Evidence Log."
    )
    return data


def _send(partnership, users, contact) -> SignatureRequest:
    manager = users.get("manager") or users.get("owner")
    version = services.charter_save(partnership=partnership, actor=manager, data=_text(partnership))
    return services.signature_request_send(
        version=version,
        actor=manager,
        our_users=[users.get("owner") or manager],
        partner_contacts=[contact],
        expires_at=timezone.now() + timedelta(days=21),
        message="As discussed on our call: here is the charter for both sides to sign.",
        meta=_meta_for(manager),
    )


def _consent_and_sign(signer: Signer, meta) -> None:
    services.signer_consent(signer=signer, meta=meta)
    services.signer_sign(
        signer=signer, typed_name=signer.name, signature_png=b"", authorized=True, meta=meta
    )


def seed(orgs, users) -> None:
    org = orgs.get("northwind")
    if org is None:
        return
    owner = users.get("owner")
    charters = Charter.objects.filter(organization=org)
    taken = set(charters.values_list("partnership_id", flat=True))
    candidates = [
        p
        for p in Partnership.objects.filter(organization=org)
        .select_related("partner", "organization")
        .order_by("name")
        if p.pk not in taken
    ]
    contacts = {}
    for c in Contact.objects.filter(organization=org).order_by("pk"):
        contacts.setdefault(c.partner_id, c)
    candidates = [p for p in candidates if p.partner_id in contacts]

    def pick(phases):
        for p in candidates:
            if p.phase in phases:
                candidates.remove(p)
                return p
        return None

    requests = SignatureRequest.objects.filter(organization=org)
    if not charters.filter(executed_at__isnull=False).exists():
        p = pick({"walk", "run"}) or pick({"crawl"})
        if p is not None:
            request = _send(p, users, contacts[p.partner_id])
            for signer in request.signers.order_by("order", "pk"):
                meta = _meta_for(owner) if signer.side == Signer.Side.OURS else META_PARTNER
                _consent_and_sign(signer, meta)
            request.refresh_from_db()
            if request.execution_state != SignatureRequest.Execution.DONE:
                services.execution_run(request_id=request.pk)
    if not requests.filter(state=SignatureRequest.State.PENDING).exists():
        p = pick({"crawl"}) or pick({"walk", "run"})
        if p is not None:
            request = _send(p, users, contacts[p.partner_id])
            ours = request.signers.get(side=Signer.Side.OURS)
            _consent_and_sign(ours, _meta_for(owner))
            partner = request.signers.get(side=Signer.Side.PARTNER)
            services.signer_record_open(signer=partner, meta=META_PARTNER)
    if not requests.filter(state=SignatureRequest.State.DECLINED).exists():
        p = pick({"crawl"}) or pick({"walk", "run"})
        if p is not None:
            request = _send(p, users, contacts[p.partner_id])
            partner = request.signers.get(side=Signer.Side.PARTNER)
            services.signer_record_open(signer=partner, meta=META_PARTNER)
            services.signer_consent(signer=partner, meta=META_PARTNER)
            services.signer_decline(
                signer=partner,
                reason=(
                    "Our legal team cannot accept the escalation path as written: we need a "
                    "named executive sponsor on your side before we sign."
                ),
                meta=META_PARTNER,
            )
