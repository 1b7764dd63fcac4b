"""Outgoing mail as files a mail client opens: one ``.eml`` per message (issue 18.9).

Django's file backend appends every message of a connection to one ``.log`` file; a person
following a first run wants to double-click an invitation or a signing link instead. Each
message is written whole to a temporary name and then renamed, so a reader never sees half.
"""

from __future__ import annotations

import datetime
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class EmlFileBackend(BaseEmailBackend):
    """Writes each message to ``EMAIL_FILE_PATH/<time>-<id>.eml`` (RFC 5322, as sent)."""

    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_path = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        self.file_path.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
            name = f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
            partial = self.file_path / f".{name}.part"
            partial.write_bytes(message.message().as_bytes())
            os.replace(partial, self.file_path / name)
            sent += 1
        return sent
