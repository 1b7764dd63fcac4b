from django.shortcuts import redirect, render

from accounts.scoping import OrgRequest, member_required, scoped

from ..extensions import dashboard_panels
from ..models import Partnership


def home(request):
    """The root URL: the dashboard for members, the login page for everyone else."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    return dashboard(request)


@member_required()
def dashboard(request: OrgRequest):
    partnerships = scoped(request, Partnership)
    return render(
        request,
        "partnerships/dashboard.html",
        {"has_partnerships": partnerships.exists(), "panels": dashboard_panels(request)},
    )
