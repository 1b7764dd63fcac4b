"""The Partnership Evidence Log and the decision trail (SPEC §2, seed chapter §5.2).

Evidence entries are append-only: corrected by a superseding entry, never edited.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Quality(models.TextChoices):
    ANECDOTE = "anecdote", _("Anecdote")
    DEMO = "demo", _("Demo")
    PILOT = "pilot", _("Pilot")
    REAL = "real", _("Real operating conditions")


QUALITY_RANK = {Quality.ANECDOTE: 0, Quality.DEMO: 1, Quality.PILOT: 2, Quality.REAL: 3}


class BoundaryStatus(models.TextChoices):
    INTACT = "intact", _("Intact")
    STRAINED = "strained", _("Strained")
    VIOLATED = "violated", _("Violated")


class DecisionKind(models.TextChoices):
    NONE = "none", _("None")
    COMMIT = "commit", _("Commit")
    DEFER = "defer", _("Defer")
    RENEGOTIATE = "renegotiate", _("Renegotiate")
    UNWIND = "unwind", _("Unwind")
    GO = "go", _("Go")
    NO_GO = "no_go", _("No-go")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an evidence entry through the ORM."""


class EvidenceQuerySet(models.QuerySet):
    """Reads and inserts only: the log is append-only (the database trigger says the same)."""

    def update(self, **kwargs):
        raise AppendOnlyError("Evidence entries are append-only; record a correction instead.")

    def delete(self):
        raise AppendOnlyError("Evidence entries are append-only; they are never deleted.")


class AppendOnlyModel(models.Model):
    """A row written once and never saved again or deleted (the database refuses it too)."""

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A guard, not a rule: written once by its service, never saved again.
        if not self._state.adding:
            raise AppendOnlyError("Evidence entries are append-only; record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Evidence entries are append-only; they are never deleted.")


class EvidenceEntry(AppendOnlyModel):
    """One row of the log: Partner | Claim | Evidence artifact | Limits | Boundary status |
    Decision | Date | Approver, plus quality, an optional link and an optional file."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="evidence_entries"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="evidence_entries"
    )
    claim = models.TextField(help_text=_("The claim this evidence bears on."))
    artifact = models.TextField("evidence artifact")
    link = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    # SHA-256 of the uploaded bytes, taken at record time and covered by entry_hash, so a file
    # swapped in storage no longer matches its entry.
    file_sha256 = models.CharField(max_length=64, blank=True, default="")
    limits = models.TextField(blank=True)
    boundary_status = models.CharField(
        max_length=10, choices=BoundaryStatus.choices, default=BoundaryStatus.INTACT
    )
    decision = models.CharField(max_length=12, choices=DecisionKind.choices, default="none")
    quality = models.CharField(max_length=10, choices=Quality.choices)
    observed_on = models.DateField("date")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when a partner contact added the entry from the partner room. Such an entry counts
    # toward sufficiency only once a member of ours accepts it: the acceptance is a new entry
    # that supersedes it (``evidence.services.partner``).
    submitted_by_contact = models.ForeignKey(
        "partnerships.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_evidence",
    )
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.TextField(blank=True)
    created_at = models.DateTimeField()
    # Hash chain per organization: entry_hash = sha256(prev_hash + canonical content).
    sequence = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-observed_on", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "sequence"], name="evidence_sequence_per_org"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "-observed_on", "-sequence"]),
            models.Index(fields=["partnership", "-observed_on"]),
            models.Index(fields=["organization", "quality"]),
            models.Index(fields=["organization", "boundary_status"]),
            models.Index(fields=["organization", "decision"]),
        ]
        verbose_name_plural = "evidence entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.artifact[:60]}"

    @property
    def from_partner(self) -> bool:
        """Submitted by a partner contact (not yet ours until a member accepts it)."""
        return self.submitted_by_contact_id is not None


class EvidenceChainLock(models.Model):
    """One row per organization, locked by every append to its chain and every checkpoint.

    Appends are serialized here rather than on the organization row, so logging evidence never
    waits for (or blocks) anything else that locks the organization. The row holds nothing:
    tampering with it changes nothing that verification reads.
    """

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Evidence chain lock of organization {self.organization_id}"


class EvidenceCheckpoint(AppendOnlyModel):
    """A signed statement "the chain of this organization had ``sequence`` entries ending in
    ``head_hash`` at ``created_at``" (a copy; the trusted one is the checkpoint file outside
    the database, see ``evidence.checkpoints``)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="evidence_checkpoints"
    )
    sequence = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    key_id = models.CharField(max_length=64)
    payload = models.TextField(help_text=_("The exact signed bytes (canonical JSON)."))
    signature = models.JSONField()

    class Meta:
        ordering = ["-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "sequence"], name="evidence_checkpoint_per_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"Checkpoint #{self.sequence} of organization {self.organization_id}"


class Decision(models.Model):
    """The decision trail: what was decided, why, on what evidence, by whom, approved by whom."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        EFFECTIVE = "effective", _("In effect")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="decisions"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField(max_length=12, choices=DecisionKind.choices)
    rationale = models.TextField()
    evidence = models.ManyToManyField(EvidenceEntry, blank=True, related_name="decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_system = models.BooleanField(default=False)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.EFFECTIVE)
    approval_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "kind", "-decided_at"]),
            models.Index(fields=["organization", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.partnership}"


class EvidencePolicy(models.Model):
    """The organization's approval rule for decisions (SPEC §3: an organization may tighten
    the defaults). Critical-dependency commits and go decisions always need approval."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="evidence_policy"
    )
    approval_min_dependency = models.CharField(
        max_length=8,
        choices=[
            ("low", _("Every partnership")),
            ("medium", _("Medium or critical dependency")),
            ("critical", _("Critical dependency only")),
        ],
        default="critical",
        help_text=_("Decisions on partnerships at or above this dependency need the approver."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Evidence policy of {self.organization}"

    @classmethod
    def threshold_for(cls, organization_id: int) -> str:
        found = (
            cls.objects.filter(organization_id=organization_id)
            .values_list("approval_min_dependency", flat=True)
            .first()
        )
        return found or "critical"


def _export_path(instance, filename: str) -> str:
    return f"evidence-exports/{instance.organization_id}/{instance.uuid}/{filename}"


class EvidenceExport(models.Model):
    """One export of the log (CSV or PDF) as it stood when asked for, made by a worker.

    A log of thousands of entries takes seconds to lay out as a PDF, far too long for a request.
    ``key`` names the export's content: the organization, the partnership, the format, the
    filters and the log's last sequence when it was asked for. Asking again before anything
    was added finds this row instead of starting a second render; a new entry gives a new key.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        RENDERING = "rendering", "Being written"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    format = models.CharField(max_length=3, choices=Format.choices)
    filters = models.TextField(blank=True, help_text="The log's filters, as a query string.")
    through_sequence = models.PositiveBigIntegerField(
        help_text="The organization's last entry when the export was asked for."
    )
    key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_export_path, blank=True, max_length=300)
    filename = models.CharField(max_length=200)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "created_at"])]

    def __str__(self) -> str:
        return f"Evidence export {self.uuid} ({self.format}, {self.status})"

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RENDERING)

    @property
    def percent(self) -> int | None:
        """How far a CSV export is, for the progress bar (None until the rows are counted)."""
        if not self.rows_total:
            return 100 if self.status == self.Status.READY else None
        return min(100, self.rows_done * 100 // self.rows_total)
