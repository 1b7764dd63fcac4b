"""Writes for partner programs, one module per stage:

- ``applications``: apply and confirm (nothing but a pending row before confirmation)
- ``admission``: accept, decline, admit (open program) and end
- ``revisit``: suggest revisiting the curated-or-open decision when review stops scaling
- ``settings``: program settings and directory listings
- ``mail``: e-mails to applicants through the outbox
"""

from .admission import application_accept, application_admit, application_decline, application_end
from .applications import application_confirm, application_submit, pending_purge
from .revisit import revisit_check, revisit_check_all, revisit_dismiss
from .settings import listing_save, program_settings_save

__all__ = [
    "application_accept",
    "application_admit",
    "application_confirm",
    "application_decline",
    "application_end",
    "application_submit",
    "listing_save",
    "pending_purge",
    "program_settings_save",
    "revisit_check",
    "revisit_check_all",
    "revisit_dismiss",
]
