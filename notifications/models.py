"""The e-mail outbox: every e-mail Accord sends is first a row here.

The unique ``key`` makes queueing idempotent (a retried task or a second run finds the row and
queues nothing); sending claims the row with a conditional UPDATE so two workers never both send.
"""

import uuid

from django.db import models


class OutboundEmail(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    key = models.CharField(max_length=200, unique=True, help_text="Idempotency key.")
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{name, storage_name, mimetype}]"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["organization", "state"]),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.state})"
