"""The Partnership Charter, its versions, and the two-sided e-signing of a version (SPEC §4).

A ``CharterVersion`` is editable until it is sent; sending freezes it and stores the rendered
document (HTML and PDF bytes) with its SHA-256, which is never rendered again. A
``SignatureRequest`` asks a set of ``Signer`` rows (members of ours, contacts of the partner) to
sign one version; each signer is reached through ``SigningLink`` rows whose tokens are stored
only as SHA-256. ``AuditEvent`` rows are append-only (the database refuses UPDATE and DELETE on
PostgreSQL).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.fresh_sign_in import method_field
from core.i18n import LANGUAGE_CHOICES


class Charter(models.Model):
    """One charter per partnership; ``executed_at`` is set when a version is fully signed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="charter"
    )
    executed_version = models.ForeignKey(
        "CharterVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    executed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "-updated_at"])]

    def __str__(self) -> str:
        return f"Charter of {self.partnership}"


# The charter's sections, in document order: (field name, heading, help text).
SECTIONS = [
    ("mutual_goals", _("Mutual goals"), _("What both sides want this partnership to achieve.")),
    ("value_exchange", _("Value exchange"), _("What each side gives and gets.")),
    ("timeline", _("Timeline"), _("Phases, milestones and dates.")),
    ("measurement", _("Measurement"), _("How success is measured, by whom and how often.")),
    (
        "decision_cadence",
        _("Governance: decision cadence"),
        _("When and how decisions are made."),
    ),
    (
        "escalation_path",
        _("Governance: escalation path"),
        _("Who is escalated to, in what order."),
    ),
    (
        "breakage_ownership",
        _("Governance: who owns what when something breaks"),
        _("Named owners on each side for incidents, support and fixes."),
    ),
]
SECTION_FIELDS = [name for name, _h, _t in SECTIONS]


class CharterVersion(models.Model):
    """One version of the charter text. Frozen (never edited again) once sent for signature."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    mutual_goals = models.TextField()
    value_exchange = models.TextField()
    timeline = models.TextField()
    measurement = models.TextField()
    decision_cadence = models.TextField()
    escalation_path = models.TextField()
    breakage_ownership = models.TextField()
    # Snapshot of the partnership's claim and boundaries when the version was written.
    claim_sentence = models.TextField(blank=True)
    boundary_line = models.TextField(blank=True)
    triggers = models.TextField(blank=True)
    # The language the version is written in and rendered in (headings, parties, the PDF);
    # frozen with the text. Another language is another version to sign (16.4).
    language = models.CharField(max_length=8, default="en", choices=LANGUAGE_CHOICES)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set once, at the first sending: the document as signed.
    frozen_at = models.DateTimeField(null=True, blank=True)
    document_html = models.TextField(blank=True)
    document_pdf = models.CharField(max_length=300, blank=True, help_text=_("Storage name."))
    document_sha256 = models.CharField(max_length=64, blank=True)
    # Set at the first sending too, and stated in the document: the evidence log as it stood
    # (the organization's chain ended at entry #evidence_sequence with digest evidence_head,
    # and held evidence_entries of this partnership's entries). See ``charters.snapshot``.
    evidence_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    evidence_head = models.CharField(max_length=64, blank=True)
    evidence_entries = models.PositiveIntegerField(null=True, blank=True)
    # Recorded afterwards by the worker (it signs): the signed checkpoint covering that entry,
    # {"sequence", "head", "at", "key_id"}; the signed line is in the checkpoint file.
    evidence_checkpoint = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="unique_charter_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    CONTENT_FIELDS = frozenset(
        ["title", *SECTION_FIELDS, "claim_sentence", "boundary_line", "triggers", "document_html"]
        + ["language"]
        + ["document_pdf", "document_sha256", "frozen_at"]
        + ["evidence_sequence", "evidence_head", "evidence_entries"]
    )

    def save(self, *args, **kwargs):
        """A guard, not a rule: nothing may rewrite a version once it was sent for signature."""
        if self.pk is not None:
            fields = kwargs.get("update_fields")
            touches = fields is None or bool(self.CONTENT_FIELDS & set(fields))
            if (
                touches
                and CharterVersion.objects.filter(pk=self.pk, frozen_at__isnull=False).exists()
            ):
                raise ValueError("A charter version sent for signature is frozen.")
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def has_evidence_snapshot(self) -> bool:
        return self.evidence_sequence is not None


class SignatureRequest(models.Model):
    """A version sent to a set of signers, in parallel or in an enforced order."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting signatures")
        COMPLETED = "completed", _("Signed by everyone")
        DECLINED = "declined", _("Declined")
        VOIDED = "voided", _("Voided")
        EXPIRED = "expired", _("Expired")

    class Execution(models.TextChoices):
        NONE = "none", _("Not started")
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Failed (will retry)")
        DONE = "done", _("Executed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, related_name="signature_requests"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    ordered = models.BooleanField(default=False, help_text=_("Signers sign one after another."))
    require_code = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True, help_text=_("Why it was voided or declined."))
    closed_at = models.DateTimeField(null=True, blank=True)
    # Execution: the sealed PDF, produced once by a claimed task.
    execution_state = models.CharField(
        max_length=8, choices=Execution.choices, default=Execution.NONE
    )
    execution_claimed_at = models.DateTimeField(null=True, blank=True)
    execution_attempts = models.PositiveIntegerField(default=0)
    execution_error = models.TextField(blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    executed_pdf = models.CharField(max_length=300, blank=True)
    executed_sha256 = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["state", "expires_at"]),
            models.Index(fields=["execution_state"]),
        ]

    def __str__(self) -> str:
        return f"Signature request for {self.version} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.PENDING


class Signer(models.Model):
    """One person asked to sign: a member of ours (``user``) or a partner contact."""

    class Side(models.TextChoices):
        OURS = "ours", _("Our organization")
        PARTNER = "partner", _("Partner")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SIGNED = "signed", _("Signed")
        DECLINED = "declined", _("Declined")

    class Kind(models.TextChoices):
        TYPED = "typed", _("Typed name")
        DRAWN = "drawn", _("Drawn signature")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    request = models.ForeignKey(SignatureRequest, on_delete=models.CASCADE, related_name="signers")
    side = models.CharField(max_length=8, choices=Side.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        "partnerships.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    title = models.CharField(max_length=150, blank=True)
    company = models.CharField(max_length=160)
    order = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    notified_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    consented_at = models.DateTimeField(null=True, blank=True)
    consent_version = models.CharField(max_length=20, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    codes_sent = models.PositiveSmallIntegerField(default=0)
    code_verified_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signature_kind = models.CharField(max_length=6, choices=Kind.choices, blank=True)
    typed_name = models.CharField(max_length=150, blank=True)
    signature_png = models.BinaryField(blank=True, default=b"")
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    signed_user_agent = models.CharField(max_length=400, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["request", "state"])]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.company})"


class SigningLink(models.Model):
    """A personal link for one signer of one version. Only the token's SHA-256 is stored.

    Every e-mail that carries a link (the first one, a reminder, "your turn") issues a new
    token, because the raw token is never kept, and revokes the signer's older links.
    """

    signer = models.ForeignKey(Signer, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Replaced by a newer link.")
    )

    def __str__(self) -> str:
        return f"Link for {self.signer_id}"


class AuditEvent(models.Model):
    """One step of the signing process. Append-only: never updated, never deleted."""

    class Kind(models.TextChoices):
        SENT = "sent", _("Sent")
        OPENED = "opened", _("Opened")
        CONSENTED = "consented", _("Consented to sign electronically")
        CODE_SENT = "code_sent", _("One-time code sent")
        CODE_VERIFIED = "code_verified", _("Code verified")
        SIGNED = "signed", _("Signed")
        DECLINED = "declined", _("Declined")
        VOIDED = "voided", _("Voided")
        REMINDED = "reminded", _("Reminded")
        EXPIRED = "expired", _("Expired")
        COMPLETED = "completed", _("Completed")
        SEALED = "sealed", _("Executed PDF sealed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    request = models.ForeignKey(
        SignatureRequest, on_delete=models.CASCADE, related_name="audit_events"
    )
    signer = models.ForeignKey(
        Signer, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_events"
    )
    # PROTECT: the trail is append-only, so a person who acted in it cannot be deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    document_sha256 = models.CharField(max_length=64)
    detail = models.TextField(blank=True)
    # A commitment (sending, signing as a member) confirmed with a fresh sign-in: when, how.
    reauthenticated_at = models.DateTimeField(null=True, blank=True)
    reauthenticated_with = method_field()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")
