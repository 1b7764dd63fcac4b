"""Celery tasks: thin wrappers, given ids, safe to run twice (the services claim their work)."""

from celery import shared_task

from . import exports


@shared_task
def render_fitcard_pdf(pdf_id: int) -> bool:
    """Render one fit card PDF (``exports.pdf_render`` claims it, so a repeat does nothing)."""
    return exports.pdf_render(pdf_id=pdf_id)
