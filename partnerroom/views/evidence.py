"""Evidence the partner adds from the room: it enters our append-only log, marked as theirs,
and counts toward our sufficiency rule only once a member of ours accepts it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from charters.ratelimit import rate_limited
from core.clock import org_today
from core.forms import apply_validation_error
from evidence.services import partner_evidence_submit

from .. import selectors
from ..forms import PartnerEvidenceForm
from ..models import RoomEvent
from ..session import RoomRequest, room_required

# The log is append-only: nothing a partner sends can be taken back, so a session that floods
# it is stopped (per access, per hour).
SUBMIT_LIMIT = (20, 3600)


@require_http_methods(["GET", "POST"])
@room_required
def evidence_new(request: RoomRequest, partnership_uuid):
    """The form for one partnership; a valid POST appends the entry and returns to the page."""
    room = request.room
    item = selectors.room_partnership_or_404(room, partnership_uuid)
    form = PartnerEvidenceForm(
        request.POST or None,
        request.FILES or None,
        initial={"claim": item.claim_sentence, "observed_on": org_today(room.organization)},
    )
    status = 200
    if request.method == "POST":
        limit, window = SUBMIT_LIMIT
        key = str(room.access.pk)
        if rate_limited(scope="room-evidence", key=key, limit=limit, window=window):
            response = render(request, "partnerroom/public/limited.html", status=429)
            response["Retry-After"] = str(window)
            return response
        if form.is_valid():
            try:
                entry = partner_evidence_submit(
                    partnership=item, contact=room.contact, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                request.room_event_kind = RoomEvent.Kind.EVIDENCE_ADDED
                messages.success(
                    request,
                    _(
                        "Your evidence is in the log as #%(sequence)s; "
                        "%(organization)s will review and accept it."
                    )
                    % {"sequence": entry.sequence, "organization": room.organization.name},
                )
                return redirect("partnerroom:partnership", partnership_uuid=item.uuid)
        status = 422
    return render(
        request,
        "partnerroom/room/evidence_new.html",
        {"room": room, "partnership": item, "form": form},
        status=status,
    )
