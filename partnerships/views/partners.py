"""Partner list, partner page, partner forms and contacts edited in place."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scoping import OrgRequest, get_scoped_or_404, member_required, writer_required
from core.clock import org_today
from core.forms import apply_validation_error
from core.pages import (
    is_validation_only,
    redirect_to,
    render_page,
    render_validation,
    wants_partial,
)

from .. import selectors, services
from ..extensions import partner_list_columns
from ..forms import ContactForm, PartnerFilterForm, PartnerForm
from ..models import Contact
from ..rules import partnership_flags

PAGE_SIZE = 20


@member_required()
def partner_list(request: OrgRequest):
    """Partners with their partnerships; filters, sort and page live in the URL."""
    people = selectors.members(request.organization)
    day = org_today(request.organization)
    columns = partner_list_columns(request, today=day)
    sorts = {key: label for column in columns for key, label in column.sorts.items()}
    form = PartnerFilterForm(request.GET, people=people, sorts=sorts)
    filters = form.filters()
    partners = selectors.partner_list(request, **filters, today=day)
    for column in columns:
        partners = column.apply(partners, filters["sort"])
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    for column in columns:
        column.attach(page.object_list)
    for partner in page:
        for partnership in partner.shown_partnerships:
            partnership.flags = partnership_flags(partnership, today=day)
    filtered = any(filters[k] for k in ("q", "tier", "phase", "status", "owner", "flagged"))
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "columns": columns,
        "filtered": filtered or any(column.filtering for column in columns),
    }
    return render_page(request, "partnerships/partner_list.html", context, partial="results")


@writer_required
def partner_create(request: OrgRequest):
    form = PartnerForm(request.POST or None, organization=request.organization)
    if is_validation_only(request):
        return render_validation(request, "partnerships/partner_form.html", {"form": form}, form)
    if request.method == "POST":
        if form.is_valid():
            partner = services.partner_create(
                organization=request.organization, actor=request.user, **form.cleaned_data
            )
            messages.success(request, f"{partner.name} added. Add its contacts next.")
            return redirect_to(request, "partnerships:partner_detail", uuid=partner.uuid)
        return render_page(
            request, "partnerships/partner_form.html", {"form": form}, partial="form", status=422
        )
    return render(request, "partnerships/partner_form.html", {"form": form})


@writer_required
def partner_edit(request: OrgRequest, uuid):
    partner = selectors.partner_get(request, uuid)
    form = PartnerForm(request.POST or None, instance=partner, organization=request.organization)
    context = {"form": form, "partner": partner}
    if is_validation_only(request):
        return render_validation(request, "partnerships/partner_form.html", context, form)
    if request.method == "POST":
        if form.is_valid():
            services.partner_update(partner=partner, **form.cleaned_data)
            messages.success(request, "Partner saved.")
            return redirect_to(request, "partnerships:partner_detail", uuid=partner.uuid)
        return render_page(
            request, "partnerships/partner_form.html", context, partial="form", status=422
        )
    return render(request, "partnerships/partner_form.html", context)


@member_required()
def partner_detail(request: OrgRequest, uuid):
    partner = selectors.partner_get(request, uuid)
    day = org_today(request.organization)
    partnerships = list(partner.partnerships.select_related("owner").order_by("name"))
    for partnership in partnerships:
        partnership.flags = partnership_flags(partnership, today=day)
    return render(
        request,
        "partnerships/partner_detail.html",
        {
            "partner": partner,
            "contacts": list(partner.contacts.all()),
            "partnerships": partnerships,
            "contact_form": ContactForm(partner=partner),
        },
    )


@require_POST
@writer_required
def contact_create(request: OrgRequest, uuid):
    partner = selectors.partner_get(request, uuid)
    form = ContactForm(request.POST, partner=partner)
    status = 200
    if form.is_valid():
        try:
            services.contact_save(partner=partner, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            status = 422
        else:
            if not wants_partial(request):
                messages.success(request, "Contact added.")
                return redirect("partnerships:partner_detail", uuid=partner.uuid)
            form = ContactForm(partner=partner)
    else:
        status = 422
    context = {"partner": partner, "contacts": list(partner.contacts.all()), "contact_form": form}
    return render_page(
        request, "partnerships/partner_detail.html", context, partial="contacts", status=status
    )


@member_required()
def contact_row(request: OrgRequest, uuid, contact_uuid):
    """One contact as a table row (used to cancel an edit in place)."""
    contact = _contact(request, uuid, contact_uuid)
    return render(request, "partnerships/partner_detail.html#contact_row", {"contact": contact})


@require_http_methods(["GET", "POST"])
@writer_required
def contact_edit(request: OrgRequest, uuid, contact_uuid):
    contact = _contact(request, uuid, contact_uuid)
    form = ContactForm(
        request.POST or None,
        instance=contact,
        partner=contact.partner,
        auto_id=f"id_{contact.uuid.hex[:8]}_%s",
    )
    if request.method == "POST":
        if form.is_valid():
            contact = services.contact_save(
                partner=contact.partner, contact=contact, **form.cleaned_data
            )
            if not wants_partial(request):
                messages.success(request, "Contact saved.")
                return redirect("partnerships:partner_detail", uuid=contact.partner.uuid)
            return render(
                request, "partnerships/partner_detail.html#contact_row", {"contact": contact}
            )
        status = 422
    else:
        status = 200
    context = {"contact": contact, "form": form, "partner": contact.partner}
    if wants_partial(request):
        return render(
            request, "partnerships/partner_detail.html#contact_edit_row", context, status=status
        )
    return render(request, "partnerships/contact_form.html", context, status=status)


def _contact(request, uuid, contact_uuid) -> Contact:
    return get_scoped_or_404(
        request, Contact.objects.select_related("partner"), uuid=contact_uuid, partner__uuid=uuid
    )
