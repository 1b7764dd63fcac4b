"""Partner Fit Cards (seed chapter §3.2): one per partnership, revised over time.

* ``FitCard`` holds the card as it was last finished.
* ``FitCardDraft`` holds what a manager is typing: raw form values, saved as they go, so that
  closing the browser and coming back resumes at the same step with the same input.
* ``FitCardRevision`` is a frozen snapshot written each time the flow is finished; the history
  page lists and compares them. Revisions are never edited.
* ``FitCardPdf`` is one rendering of a card as PDF, made by a worker and kept in the file
  storage, claimed once per distinct document.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FitCard(models.Model):
    """The finished Partner Fit Card of one partnership."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="fit_cards"
    )
    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="fit_card"
    )
    capability_provided = models.TextField(blank=True)
    uncertainty_reduced = models.TextField(blank=True)
    incentives = models.TextField(blank=True)
    # [{"risk": str, "early_signal": str}, …]
    conflict_risks = models.JSONField(default=list, blank=True)
    integration_surface = models.TextField(blank=True)
    single_points_of_failure = models.TextField(blank=True)
    # [{"kind": str, "artifact": str, "limit": str}, …]
    evidence_artifacts = models.JSONField(default=list, blank=True)
    exit_time = models.TextField(blank=True)
    exit_cost = models.TextField(blank=True)
    exit_data_portability = models.TextField(blank=True)

    revision_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "-updated_at"])]

    def __str__(self) -> str:
        return f"Fit card of {self.partnership}"


class FitCardDraft(models.Model):
    """Work in progress on a partnership's fit card and claim, shared by the team.

    ``data`` maps form field names to the raw values last typed (unvalidated), so a step can
    be re-rendered exactly as it was left.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="fit_card_draft"
    )
    data = models.JSONField(default=dict, blank=True)
    current_step = models.CharField(max_length=20, default="capability")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Fit card draft of {self.partnership}"


class FitCardRevision(models.Model):
    """A frozen snapshot of the card and the claim, written when the flow is finished."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    fit_card = models.ForeignKey(FitCard, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    completeness = models.PositiveSmallIntegerField(default=0, help_text=_("Percent complete."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["fit_card", "number"], name="unique_fitcard_revision")
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of {self.fit_card}"


def _pdf_path(instance: FitCardPdf, filename: str) -> str:
    return f"fitcards/pdf/{instance.organization_id}/{instance.uuid}.pdf"


class FitCardPdf(models.Model):
    """One rendering of a fit card as PDF, made by a worker, kept in the file storage.

    ``key`` is the digest of what the document shows (the card's sections, the partnership's
    header, the revision), so asking again for the same card finds this row instead of
    starting a second render; a card that changed has another key and gets its own file.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="fit_card_pdfs"
    )
    revision = models.ForeignKey(
        FitCardRevision, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=64, unique=True)
    document = models.JSONField(help_text=_("What the PDF shows, as it was when requested."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=_pdf_path, blank=True)
    filename = models.CharField(max_length=200)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "partnership"])]

    def __str__(self) -> str:
        return f"PDF {self.filename} ({self.status})"
