"""Who may enter a partner's room, how they sign in, and what they did there.

- ``RoomAccess``: an owner's grant to one contact; revoking it ends every session at once.
- ``SignInLink``: an e-mailed link; only the token's SHA-256 is stored; single use, expiring.
- ``RoomSession``: a partner session started by a link (its own cookie, hashed; limited
  length; waiting for an e-mailed one-time code when the grant asks for one).
- ``RoomEvent``: the audit trail (every page opened, every sign-in, answer and confirmation).
  Append-only: written once, never changed.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class RoomAccess(models.Model):
    """A contact's access to their partner's room, granted (and revocable) by an owner."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partner = models.ForeignKey(
        "partnerships.Partner", on_delete=models.CASCADE, related_name="room_accesses"
    )
    contact = models.ForeignKey(
        "partnerships.Contact", on_delete=models.CASCADE, related_name="room_accesses"
    )
    require_code = models.BooleanField(
        "ask for an e-mailed code",
        default=False,
        help_text="After the link, a one-time code is e-mailed and must be typed in.",
    )
    signs_gates = models.BooleanField(
        "confirms co-signed gates",
        default=False,
        help_text="May confirm or dispute go / no-go and unwind decisions for the partner.",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="The last sign-in (every page is in the audit trail)."
    )

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_room_access_per_contact",
            )
        ]
        indexes = [models.Index(fields=["organization", "partner", "revoked_at"])]

    def __str__(self) -> str:
        return f"Room access of {self.contact_id} to {self.partner_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SignInLink(models.Model):
    """An e-mailed sign-in link. The raw token is only ever in the e-mail."""

    class Purpose(models.TextChoices):
        INVITE = "invite", "Invitation"
        REQUEST = "request", "Asked for on the access page"

    access = models.ForeignKey(RoomAccess, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    next_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"Sign-in link for {self.access_id}"


class RoomSession(models.Model):
    """A partner session: the cookie holds a token whose SHA-256 is ``token_hash``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    access = models.ForeignKey(RoomAccess, on_delete=models.CASCADE, related_name="sessions")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # The optional e-mailed one-time code (HMAC-hashed, core.tokens.hash_code).
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)

    class Meta:
        indexes = [models.Index(fields=["access", "ended_at"])]

    def __str__(self) -> str:
        return f"Room session {self.uuid}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.ended_at is None and self.expires_at > now


class RoomEvent(models.Model):
    """One line of the room's audit trail. Append-only."""

    class Kind(models.TextChoices):
        INVITED = "invited", "Invited"
        ACCESS_CHANGED = "access_changed", "Access settings changed"
        REVOKED = "revoked", "Access revoked"
        ASKED = "asked", "Asked for a sign-in link"
        ASKED_NO_ACCESS = "asked_no_access", "Asked for access without a grant"
        LINK_SENT = "link_sent", "Sign-in link e-mailed"
        SIGNED_IN = "signed_in", "Signed in"
        CODE_SENT = "code_sent", "One-time code e-mailed"
        CODE_VERIFIED = "code_verified", "Code verified"
        CODE_FAILED = "code_failed", "Wrong code"
        SIGNED_OUT = "signed_out", "Signed out"
        VIEWED = "viewed", "Opened a page"
        DOWNLOADED = "downloaded", "Downloaded a document"
        REVIEW_ANSWERED = "review_answered", "Answered a health review"
        GATE_REQUESTED = "gate_requested", "Confirmation requested"
        GATE_CONFIRMED = "gate_confirmed", "Confirmed a gate"
        GATE_DISPUTED = "gate_disputed", "Disputed a gate"
        EVIDENCE_ADDED = "evidence_added", "Submitted evidence"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partner = models.ForeignKey("partnerships.Partner", on_delete=models.CASCADE, related_name="+")
    access = models.ForeignKey(
        RoomAccess, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    contact = models.ForeignKey(
        "partnerships.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        RoomSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    path = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "partner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The room's audit trail is append-only.")
        super().save(*args, **kwargs)
