"""The public verification page: is this PDF an unaltered executed charter of ours?"""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.client import client_ip

from .. import selectors
from ..forms import VerifyForm
from ..ratelimit import rate_limited


@require_http_methods(["GET", "POST"])
def verify(request):
    result = None
    status = 200
    if request.method == "POST":
        ip = client_ip(request) or "unknown"
        if rate_limited(scope="verify", key=ip, limit=30, window=300):
            return render(request, "charters/sign_limited.html", status=429)
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            result = selectors.verify_document(form.cleaned_data["document"].read())
        else:
            status = 422
    else:
        form = VerifyForm()
    return render(request, "charters/verify.html", {"form": form, "result": result}, status=status)
