"""Accepting evidence a partner submitted from the partner room (managers and owners)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.scoping import OrgRequest, writer_required

from ..selectors import entry_get
from ..services.partner import partner_evidence_accept


@writer_required
@require_POST
def entry_accept(request: OrgRequest, uuid) -> HttpResponse:
    """Accept a partner's entry: our copy supersedes it and counts toward sufficiency."""
    entry = entry_get(request, uuid)
    try:
        accepted = partner_evidence_accept(entry=entry, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evidence:entry_detail", uuid=entry.uuid)
    messages.success(
        request,
        f"{entry.partnership.partner.name}'s entry #{entry.sequence} accepted as "
        f"#{accepted.sequence}: it now counts toward sufficiency.",
    )
    return redirect("evidence:partnership_log", uuid=entry.partnership.uuid)
