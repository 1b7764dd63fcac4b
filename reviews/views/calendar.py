"""The personal iCalendar feed: a secret, revocable URL a calendar application polls."""

import icalendar
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.scoping import OrgRequest, member_required, scoped

from .. import selectors
from ..models import CalendarFeed
from ..services import feeds


@member_required()
def calendar_settings(request: OrgRequest):
    """Create (or replace) and revoke the person's feed. The URL is shown once after creation."""
    feed_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            _feed, token = feeds.calendar_feed_create(
                organization=request.organization, user=request.user
            )
            feed_url = request.build_absolute_uri(reverse("reviews:feed", args=[token]))
            messages.success(request, "Your calendar feed is ready. Copy its address now.")
        elif action == "revoke":
            feeds.calendar_feed_revoke(organization=request.organization, user=request.user)
            messages.success(
                request, "Your calendar feed was revoked; its address no longer works."
            )
            return redirect("reviews:calendar")
        else:
            return redirect("reviews:calendar")
    active = (
        scoped(request, CalendarFeed).filter(user=request.user, revoked_at__isnull=True).first()
    )
    return render(request, "reviews/calendar.html", {"active": active, "feed_url": feed_url})


@require_GET
def calendar_feed(request, token: str):
    """The feed itself: no session, the secret URL is the credential."""
    feed = feeds.calendar_feed_open(token)
    if feed is None:
        raise Http404("Unknown or revoked calendar feed.")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Accord//Partnership reviews//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Accord · {feed.organization.name}")
    stamp = timezone.now()
    for item in selectors.calendar_events(organization=feed.organization, user=feed.user):
        event = icalendar.Event()
        event.add("uid", f"{item['uid']}@accord")
        event.add("dtstamp", stamp)
        event.add("dtstart", item["date"])
        event.add("summary", item["summary"])
        event.add("description", item["description"])
        if "review" in item:
            url = reverse("reviews:review", kwargs={"uuid": item["review"].uuid})
        else:
            url = reverse("reviews:history", kwargs={"uuid": item["partnership"].uuid})
        event.add("url", request.build_absolute_uri(url))
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
