"""Organization scoping: the one way a view reaches organization-owned rows.

``OrganizationMiddleware`` attaches ``request.organization`` and ``request.membership`` (one
query). Views are wrapped in ``member_required(role)``; they then read rows only through
``scoped()`` / ``get_scoped_or_404()``, so a row of another organization is a 404 and never a
leak, and a viewer attempting a write is a 403.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import redirect

from .models import Membership, Role

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from .models import Organization, User

SESSION_KEY = "accord_organization"


class OrgRequest(HttpRequest):
    """An authenticated request inside an organization (for type hints)."""

    user: User
    organization: Organization
    membership: Membership
    htmx: HtmxDetails


def current_membership(request: HttpRequest) -> Membership | None:
    """Return the member's current membership: the one chosen in the session, else the oldest."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.select_related("organization").filter(user=user)
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        found = memberships.filter(organization__uuid=chosen).first()
        if found:
            return found
    return memberships.order_by("created_at", "pk").first()


def switch_organization(request: HttpRequest, organization: Organization) -> None:
    request.session[SESSION_KEY] = str(organization.uuid)


def member_required(role: str = Role.VIEWER):
    """Require a signed-in member of the current organization with at least ``role``.

    Anonymous users go to the login page, users without an organization to onboarding, and a
    member whose role is too low gets 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                return redirect("accounts:onboarding")
            if not membership.has_role(role):
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        wrapper.required_role = role  # read by tests that list which views are members-only
        return wrapper

    return decorator


def writer_required(view):
    """Shorthand: managers and owners may write."""
    return member_required(Role.MANAGER)(view)


def owner_required(view):
    return member_required(Role.OWNER)(view)


def scoped(request: HttpRequest, model_or_qs: type[Model] | QuerySet) -> QuerySet:
    """Rows of the request's organization only."""
    qs = model_or_qs.objects.all() if isinstance(model_or_qs, type) else model_or_qs
    return qs.filter(organization=request.organization)


def get_scoped_or_404(request: HttpRequest, model_or_qs: type[Model] | QuerySet, **lookup: Any):
    """Fetch one row of the request's organization, or raise 404 (never 403: no existence leak).

    A lookup value that cannot name a row at all (a malformed UUID from a query string, a NUL
    byte, a number too large for its column) is the same answer as an unknown one: 404, not
    a 500 from the ``ValidationError`` or ``ValueError`` the field raises.
    """
    model = model_or_qs.model if isinstance(model_or_qs, QuerySet) else model_or_qs
    try:
        return scoped(request, model_or_qs).get(**lookup)
    except (model.DoesNotExist, ValidationError, ValueError, OverflowError):
        raise Http404("Not found.") from None
