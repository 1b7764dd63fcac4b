"""Partners and contacts: the Partners page's list, filters and sorts, and its forms."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Prefetch
from ninja import Query, Router, Status

from accounts.scoping import get_scoped_or_404
from partnerships import selectors, services
from partnerships.forms import ContactForm, PartnerForm
from partnerships.models import Contact as ContactModel
from partnerships.models import Partner as PartnerModel
from partnerships.models import Partnership

from ..auth import require_write
from ..pagination import Ordering
from ..schemas.partners import (
    Contact,
    ContactIn,
    ContactPage,
    ContactPatch,
    Partner,
    PartnerFilters,
    PartnerIn,
    PartnerPage,
    PartnerPatch,
)
from .common import form_data, member_user, page_of, today, valid_or_raise

router = Router(tags=["Partners and contacts"])

ORDERINGS = {
    "name": Ordering("name", ("name", "id")),
    "-name": Ordering("-name", ("-name", "-id")),
    "-activity": Ordering("-activity", ("-last_activity", "name", "id")),
    "-partnerships": Ordering("-partnerships", ("-n_partnerships", "name", "id")),
}
CONTACTS = Ordering("name", ("name", "id"))
PARTNER_FIELDS = ["name", "website", "category", "description"]
CONTACT_FIELDS = ["name", "email", "title"]


def _partner(request, partner_id: UUID) -> PartnerModel:
    return get_scoped_or_404(
        request,
        PartnerModel.objects.prefetch_related(
            "contacts", Prefetch("partnerships", queryset=Partnership.objects.order_by("name"))
        ),
        uuid=partner_id,
    )


@router.get("/partners", response=PartnerPage, summary="List partners")
def list_partners(request, filters: Query[PartnerFilters]):
    """Partners with their contacts and partnerships, filtered and sorted as on the Partners
    page. Partnership filters (tier, phase, status, owner, flagged) keep a partner when one of
    its partnerships matches, and list only the matching partnerships."""
    owner = member_user(request, filters.owner, field="owner")
    partners = selectors.partner_list(
        request,
        q=filters.q.strip(),
        tier=filters.tier,
        phase=filters.phase or "",
        status=filters.status or "",
        owner=owner,
        flagged=filters.flagged,
        sort=filters.sort,
        today=today(request),
    ).prefetch_related("contacts")
    return page_of(
        partners, ordering=ORDERINGS[filters.sort], cursor=filters.cursor, limit=filters.limit
    )


@router.post("/partners", response={201: Partner}, summary="Add a partner")
def create_partner(request, payload: PartnerIn):
    """Add a partner (the external company). Names are unique in the organization, whatever
    their case."""
    require_write(request)
    form = PartnerForm(payload.dict(), organization=request.organization)
    data = valid_or_raise(form)
    partner = services.partner_create(organization=request.organization, actor=request.user, **data)
    return Status(201, _partner(request, partner.uuid))


@router.get("/partners/{partner_id}", response=Partner, summary="Get a partner")
def get_partner(request, partner_id: UUID):
    return _partner(request, partner_id)


@router.patch("/partners/{partner_id}", response=Partner, summary="Change a partner")
def update_partner(request, partner_id: UUID, payload: PartnerPatch):
    """Change the fields given; the others keep their values."""
    require_write(request)
    partner = _partner(request, partner_id)
    changes = payload.dict(exclude_unset=True)
    form = PartnerForm(
        form_data(partner, PARTNER_FIELDS, changes),
        instance=partner,
        organization=request.organization,
    )
    data = valid_or_raise(form)
    services.partner_update(partner=_partner(request, partner_id), **data)
    return _partner(request, partner_id)


@router.get(
    "/partners/{partner_id}/contacts", response=ContactPage, summary="List a partner's contacts"
)
def list_contacts(
    request,
    partner_id: UUID,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(25, ge=1, le=100),
):
    partner = get_scoped_or_404(request, PartnerModel, uuid=partner_id)
    contacts = ContactModel.objects.filter(partner=partner)
    return page_of(contacts, ordering=CONTACTS, cursor=cursor, limit=limit)


@router.post("/partners/{partner_id}/contacts", response={201: Contact}, summary="Add a contact")
def create_contact(request, partner_id: UUID, payload: ContactIn):
    """Add a person at the partner; charter signers on the partner's side come from here.
    E-mail addresses are unique per partner."""
    require_write(request)
    partner = _partner(request, partner_id)
    data = valid_or_raise(ContactForm(payload.dict(), partner=partner))
    return Status(201, services.contact_save(partner=partner, **data))


@router.patch(
    "/partners/{partner_id}/contacts/{contact_id}", response=Contact, summary="Change a contact"
)
def update_contact(request, partner_id: UUID, contact_id: UUID, payload: ContactPatch):
    require_write(request)
    contact = get_scoped_or_404(
        request,
        ContactModel.objects.select_related("partner"),
        uuid=contact_id,
        partner__uuid=partner_id,
    )
    changes = payload.dict(exclude_unset=True)
    form = ContactForm(
        form_data(contact, CONTACT_FIELDS, changes), instance=contact, partner=contact.partner
    )
    data = valid_or_raise(form)
    fresh = ContactModel.objects.get(pk=contact.pk)
    return services.contact_save(partner=contact.partner, contact=fresh, **data)
