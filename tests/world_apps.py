"""The objects of ``build_world`` that belong to the apps that came after its first version:
a rendered fit card PDF, the partner program (applications, a directory, a revisit
suggestion), an API token, and webhook endpoints with a delivery.

Everything is made through the same services the pages call, so a route of these apps finds
exactly what it would find in a real organization.
"""

from __future__ import annotations

from django.http import QueryDict
from django.test import override_settings

from accounts.models import Organization
from api.tokens import token_create
from evidence import export_jobs
from fitcards import exports as fitcard_exports
from fitcards import selectors as fitcard_selectors
from programs import services as programs
from programs.models import RevisitSuggestion
from webhooks.endpoints import endpoint_create, endpoint_send_test
from webhooks.models import Delivery

APPLICATION = {
    "website": "https://lumen.example",
    "contact_name": "Ada Lumen",
    "contact_title": "Head of Partnerships",
    "offer": "A reporting connector that syncs invoices into Lumen dashboards.",
    "value_to_them": "Distribution to mid-size merchants.",
    "value_to_customers": "Invoice analytics without exports.",
    "they_lose": "Two engineers for a quarter and our launch slot at the spring fair.",
}
# Nothing listens on port 1: a delivery fails at once, without leaving the machine. Saved with
# private addresses allowed; at delivery time (setting off) the address check refuses it.
RECEIVER = "http://127.0.0.1:1/hooks/accord"


def _fit_card_pdf(world) -> None:
    """The card's PDF, asked for and rendered as the worker would (``fitcards:pdf_file``)."""
    partnership = world.objects["partnership"]
    card = fitcard_selectors.current_card(partnership, fitcard_selectors.fit_card_of(partnership))
    export = fitcard_exports.pdf_request(
        partnership=partnership, card=card, actor=world.users["manager"]
    )
    fitcard_exports.pdf_render(pdf_id=export.pk)
    export.refresh_from_db()
    world.objects["fitcard_pdf"] = export


def _applied(org, company: str, email: str) -> tuple[object, str]:
    return programs.application_submit(
        organization=org, answers={**APPLICATION, "company": company, "contact_email": email}
    )


def _program(world) -> None:
    """A curated program: one application waiting, one accepted (its partner admitted and
    listable), one not yet confirmed (its e-mailed link), and an open revisit suggestion."""
    org, o = world.org, world.objects
    Organization.objects.filter(pk=org.pk).update(partner_program=Organization.Program.CURATED)
    org.refresh_from_db()
    programs.program_settings_save(
        organization=org, actor=world.users["owner"], applications_open=True, directory_public=True
    )
    _, token = _applied(org, "Waiting Co", "waiting@lumen.example")
    o["application"] = programs.application_confirm(token=token)
    _, token = _applied(org, "Accepted Co", "accepted@lumen.example")
    o["accepted_application"] = programs.application_accept(
        application=programs.application_confirm(token=token), actor=world.users["manager"]
    )
    o["program_partner"] = o["accepted_application"].partner
    _, world.tokens["application"] = _applied(org, "Pending Co", "pending@lumen.example")
    o["suggestion"] = RevisitSuggestion.objects.create(
        organization=org, waiting=30, oldest_wait_days=3, partners=1, reason="30 waiting"
    )


def _integrations(world) -> None:
    """An API token, an endpoint with one test delivery, and an endpoint to delete."""
    org, owner, o = world.org, world.users["owner"], world.objects
    o["api_token"], _raw = token_create(
        organization=org, created_by=owner, name="Nightly export", scope="read"
    )
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_URLS=True):
        o["endpoint"], _secret = endpoint_create(
            organization=org,
            created_by=owner,
            url=RECEIVER,
            event_types=["review.disagreement"],
            description="Ops receiver",
        )
        o["doomed_endpoint"], _secret = endpoint_create(
            organization=org, created_by=owner, url=RECEIVER + "/old", event_types=["charter.sent"]
        )
        event = endpoint_send_test(endpoint=o["endpoint"], actor=owner)
    o["delivery"] = Delivery.objects.get(event=event, endpoint=o["endpoint"])


def _evidence_export(world) -> None:
    """A CSV export of the log, asked for and written as the worker would."""
    export = export_jobs.export_request(
        organization=world.org, fmt="csv", query=QueryDict(), actor=world.users["viewer"]
    )
    export_jobs.export_render(export_id=export.pk)
    export.refresh_from_db()
    world.objects["evidence_export"] = export


def add_app_objects(world) -> None:
    _fit_card_pdf(world)
    _evidence_export(world)
    _program(world)
    _integrations(world)
