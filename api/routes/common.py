"""Small helpers shared by the API's routes.

Writes validate through the same Django forms as the pages (so a field's rules, limits and
messages are the page's) and then call the same service functions; a form's errors are raised
as a ``ValidationError`` and answered as a problem with field errors.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.forms import model_to_dict

from accounts.models import Membership, User
from accounts.scoping import scoped
from core.clock import org_today

from ..pagination import paginate

INVALID_CHOICE = "0"  # a primary key no row has: the form reports "Select a valid choice"


def today(request):
    """Today where the organization is (flags and time boxes are judged on its calendar)."""
    return org_today(request.organization)


def valid_or_raise(form) -> dict:
    """The form's cleaned data, or its errors raised as one ValidationError."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def member_user(request, user_uuid: UUID | None, *, field: str) -> User | None:
    """A member of the request's organization by user id; a non-member is a field error."""
    if user_uuid is None:
        return None
    membership = (
        scoped(request, Membership).select_related("user").filter(user__uuid=user_uuid).first()
    )
    if membership is None:
        raise ValidationError({field: "Choose a member of this organization."})
    return membership.user


def pk_or_invalid(obj) -> str:
    """A choice field's value for ``obj`` (an unknown object becomes an invalid choice)."""
    return str(obj.pk) if obj is not None else INVALID_CHOICE


def form_data(instance, fields: list[str], changes: dict) -> dict:
    """The values a form would be posted with: the row's current values, then ``changes``
    (how a PATCH becomes a whole form submission)."""
    data = {
        name: ("" if value is None else value)
        for name, value in model_to_dict(instance, fields=fields).items()
    }
    data.update({name: ("" if value is None else value) for name, value in changes.items()})
    return data


def page_of(qs, *, ordering, cursor, limit) -> dict:
    page = paginate(qs, ordering=ordering, cursor=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}
