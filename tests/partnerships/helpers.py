"""Helpers for the partnerships tests: URLs, the htmx header, and stand-ins for other apps'
gates and panels (switched on with ``Registry.only``)."""

from django.urls import reverse

from partnerships.extensions import Extension
from partnerships.models import Phase

HTMX = {"HTTP_HX_REQUEST": "true"}


def detail_url(p):
    return reverse("partnerships:partnership_detail", kwargs={"partnership_uuid": p.uuid})


def flow_url(p, slug):
    return reverse(
        "partnerships:partnership_flow", kwargs={"partnership_uuid": p.uuid, "slug": slug}
    )


def fake_gate(reasons, *, name: str = "fake", phases=tuple(Phase.values)) -> Extension:
    """A gate for a test: ``reasons(partnership, to_phase)``, guarding every phase by default."""
    return Extension(name, reasons, phases=phases)


def fake_panel(panel, *, name: str = "fake") -> Extension:
    """A panel for a test: ``panel(request, partnership) -> dict | None``."""
    return Extension(name, panel)


def note_panel(title):
    """A panel that shows a note titled ``title``."""
    return lambda request, p: {
        "template": "partnerships/partials/panel_note.html",
        "title": title,
        "body": "from another app",
    }


def partnership_form(partner, owner, **extra):
    """POST data for the partnership form that is valid unless ``extra`` says otherwise."""
    return {
        "partner": partner.pk,
        "name": "PayHarbor payouts",
        "tier": "2",
        "leverage": "economic",
        "dependency": "medium",
        "owner": owner.pk,
        "claim_uncertainty": "instant payouts",
        "deferral_condition": "evidence remains ambiguous",
        **extra,
    }
