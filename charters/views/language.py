"""A charter version in another language (issue 16.4): one POST, then back to the charter."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoping import OrgRequest, get_scoped_or_404, writer_required

from ..models import CharterVersion
from ..services.versions import version_in_language


@writer_required
@require_POST
def version_language(request: OrgRequest, version_uuid):
    """Make the charter a version in the language posted, to edit and send for signature."""
    version = get_scoped_or_404(
        request,
        CharterVersion.objects.select_related("charter__partnership"),
        uuid=version_uuid,
    )
    partnership = version.charter.partnership
    try:
        made = version_in_language(
            version=version, language=request.POST.get("language", ""), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("charters:detail", partnership.uuid)
    messages.success(
        request,
        _(
            "Version %(number)s is in %(language)s. Translate the text you wrote, then send "
            "it for signature."
        )
        % {"number": made.number, "language": made.get_language_display()},
    )
    return redirect("charters:edit", partnership.uuid)
