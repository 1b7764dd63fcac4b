"""The project's URLs plus one reference page: a logged-in page that renders only base.html.

Every page's cost is reported as a multiple of this one (and of the Django admin changelist),
so a slower or busier machine gives the same verdict. The view goes through the same
middleware, login check, context processors and layout as every page, and does nothing else.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from accounts.scoping import member_required
from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

BARE_LAYOUT = "bench_bare_layout"

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


@member_required()
def bare_layout(request: HttpRequest) -> HttpResponse:
    """The layout and nothing else: the floor every page pays."""
    return render(request, "base.html")


urlpatterns = [
    path("bench/bare-layout/", bare_layout, name=BARE_LAYOUT),
    *project_urlpatterns,
]
