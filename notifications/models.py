"""The e-mail outbox: every e-mail Accord sends is first a row here.

The unique ``key`` makes queueing idempotent (a retried task or a second run finds the row and
queues nothing); sending claims the row with a conditional UPDATE so two workers never both send.

A *sensitive* message carries a live secret (a signing, invitation or password-reset link, a
one-time code). Its subject and bodies are replaced by a redacted text the moment it is sent, or
given up, so someone who reads the database later finds no usable secret; a redacted row is
never claimed again. Every message of django-allauth (verification, password reset, login code;
its keys start with ``account:``) is sensitive whatever its caller says.
"""

import uuid

from django.db import models

# The key prefix of every message django-allauth sends through our adapter.
ALLAUTH_KEY_PREFIX = "account:"


HIDDEN_SUBJECT = "(hidden: this e-mail carries a personal link or code)"
REDACTED_SUBJECT = "(redacted after delivery)"
REDACTED_BODY = (
    "This e-mail carried a personal link or one-time code. Its text was removed from the "
    "outbox when it was delivered (or given up), so the link or code is not stored here."
)


def key_is_sensitive(key: str) -> bool:
    """Whether a message's key alone marks it sensitive: allauth's messages always carry a
    reset key, a verification link or a login code, so they never depend on the caller."""
    return (key or "").startswith(ALLAUTH_KEY_PREFIX)


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
    sensitive = models.BooleanField(
        default=False,
        help_text="Carries a link token or code: redacted once sent or given up, never shown.",
    )
    redacted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["organization", "state"]),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.shown_subject} → {self.to} ({self.state})"

    def save(self, *args, **kwargs):
        # However the row is made (``email_queue``, allauth's adapter), allauth's are sensitive.
        if key_is_sensitive(self.key) and not self.sensitive:
            self.sensitive = True
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sensitive"}
        super().save(*args, **kwargs)

    @property
    def shown_subject(self) -> str:
        """The subject as the operations page may show it (never a sensitive one)."""
        return HIDDEN_SUBJECT if self.sensitive else self.subject
