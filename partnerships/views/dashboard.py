from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.scoping import OrgRequest, member_required
from core.clock import org_today

from .. import selectors
from ..charts import bar_chart
from ..extensions import dashboard_panels
from ..first_run import start_steps
from ..models import Phase, Status, Tier
from ..rules import partnership_flags


def home(request):
    """The root URL: the dashboard for members, the login page for everyone else."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    return dashboard(request)


@member_required()
def dashboard(request: OrgRequest):
    """Charts by phase, tier and status; flagged partnerships; the next 30 days; mine."""
    day = org_today(request.organization)
    data = selectors.dashboard_data(request, today=day)
    for partnership in data["flagged"]:
        partnership.flags = partnership_flags(partnership, today=day)
    base = reverse("partnerships:partner_list")
    charts = [
        bar_chart(
            "By phase", data["count_by"]["phase"], [f"{base}?phase={p}" for p in Phase.values]
        ),
        bar_chart("By tier", data["count_by"]["tier"], [f"{base}?tier={t}" for t in Tier.values]),
        bar_chart(
            "By status", data["count_by"]["status"], [f"{base}?status={s}" for s in Status.values]
        ),
    ]
    has_partnerships = data["counts"]["total"] > 0
    steps = [] if has_partnerships else start_steps(request.organization, request.membership)
    return render(
        request,
        "partnerships/dashboard.html",
        {
            **data,
            "has_partnerships": has_partnerships,
            "start_steps": steps,
            "charts": charts,
            "today": day,
            "panels": dashboard_panels(request),
        },
    )
