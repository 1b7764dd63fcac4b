from celery import shared_task

from .services import invitations_expire


@shared_task
def expire_stale_invitations() -> int:
    """Hourly: invitations past their expiry stop being pending."""
    return invitations_expire()
