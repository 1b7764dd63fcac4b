from django.shortcuts import redirect, render

from accounts.scoping import OrgRequest, member_required

from .. import selectors
from ..charts import bar_chart
from ..extensions import dashboard_panels
from ..rules import partnership_flags
from .common import today


def home(request):
    """The root URL: the dashboard for members, the login page for everyone else."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    return dashboard(request)


@member_required()
def dashboard(request: OrgRequest):
    """Charts by phase, tier and status; flagged partnerships; the next 30 days; mine."""
    day = today(request)
    data = selectors.dashboard_data(request, today=day)
    for partnership in data["flagged"]:
        partnership.flags = partnership_flags(partnership, today=day)
    charts = [
        bar_chart("By phase", data["count_by"]["phase"]),
        bar_chart("By tier", data["count_by"]["tier"]),
        bar_chart("By status", data["count_by"]["status"]),
    ]
    return render(
        request,
        "partnerships/dashboard.html",
        {
            **data,
            "has_partnerships": data["counts"]["total"] > 0,
            "charts": charts,
            "today": day,
            "panels": dashboard_panels(request),
        },
    )
