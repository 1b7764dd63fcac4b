"""The owners' operations page: e-mails that failed or are still waiting, with a retry button.

A sensitive message's subject is never shown (``OutboundEmail.shown_subject``), and its body
is never read here at all.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.scoping import OrgRequest, get_scoped_or_404, owner_required, scoped
from core.pages import render_page

from .models import OutboundEmail
from .services import email_retry

PAGE_SIZE = 50
FILTERS = {
    "stuck": (
        "Failed and waiting",
        [OutboundEmail.State.FAILED, OutboundEmail.State.PENDING, OutboundEmail.State.SENDING],
    ),
    "failed": ("Failed", [OutboundEmail.State.FAILED]),
    "pending": ("Waiting", [OutboundEmail.State.PENDING, OutboundEmail.State.SENDING]),
    "sent": ("Sent", [OutboundEmail.State.SENT]),
}


@owner_required
def outbox(request: OrgRequest):
    state = request.GET.get("state", "stuck")
    if state not in FILTERS:
        state = "stuck"
    emails = (
        scoped(request, OutboundEmail)
        .filter(state__in=FILTERS[state][1])
        .only(
            "uuid",
            "to",
            "subject",
            "sensitive",
            "redacted_at",
            "state",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(emails, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "state": state,
            "filters": [(key, label) for key, (label, _states) in FILTERS.items()],
        },
        partial="rows",
    )


@owner_required
@require_POST
def retry(request: OrgRequest, uuid):
    email = get_scoped_or_404(request, OutboundEmail, uuid=uuid)
    if email_retry(email):
        messages.success(request, f"E-mail to {email.to} queued again.")
    else:
        messages.info(request, f"The e-mail to {email.to} is {email.get_state_display().lower()}.")
    state = request.POST.get("state", "stuck")
    return redirect(
        f"{reverse('notifications:outbox')}?state={state if state in FILTERS else 'stuck'}"
    )
