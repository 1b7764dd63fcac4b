"""Partners, their contacts, and our partnerships with them (SPEC §2)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.fresh_sign_in import method_field
from core.i18n import PERSONAL_LANGUAGE_CHOICES

from .sentences import GAP, clause, ending


class Partner(models.Model):
    """The external company."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(max_length=160)
    website = models.URLField(blank=True)
    category = models.CharField(max_length=80, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_partner_name")
        ]
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person at the partner; charter signers on the partner's side come from here."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="contacts"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    title = models.CharField(max_length=150, blank=True)
    # Their signing page, e-mails and partner room; blank: the organization's default.
    language = models.CharField(
        _("Language"),
        max_length=8,
        blank=True,
        choices=PERSONAL_LANGUAGE_CHOICES,
        help_text=_("Signing pages, e-mails and the partner room are in this language."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "email"], name="unique_contact_email")
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Tier(models.IntegerChoices):
    INTEGRATION = 1, _("Tier 1 · Integration (self-serve)")
    PARTNERSHIP = 2, _("Tier 2 · Partnership (joint development)")
    STRATEGIC = 3, _("Tier 3 · Strategic (co-development)")


class Phase(models.TextChoices):
    CRAWL = "crawl", _("Crawl")
    WALK = "walk", _("Walk")
    RUN = "run", _("Run")


# (minimum weeks, maximum weeks) per phase, from the seed; run is ongoing after 6–12 months.
PHASE_WEEKS = {Phase.CRAWL: (4, 8), Phase.WALK: (8, 12), Phase.RUN: (26, 52)}


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    DEFERRED = "deferred", _("Deferred")
    RENEGOTIATING = "renegotiating", _("Renegotiating")
    UNWINDING = "unwinding", _("Unwinding")
    ENDED = "ended", _("Ended")


class Leverage(models.TextChoices):
    REQUIREMENT = "requirement", _("Requirement (strongest)")
    ECONOMIC = "economic", _("Economic (strong)")
    COMPETITIVE = "competitive", _("Competitive (moderate)")
    CUSTOMER = "customer", _("Customer (moderate)")
    CO_MARKETING = "co_marketing", _("Co-marketing (weak)")


class Dependency(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    CRITICAL = "critical", _("Critical (single point of failure)")


class Partnership(models.Model):
    """Our relationship with a partner: the claim, its boundaries and its triggers."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="partnerships"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="partnerships")
    name = models.CharField(max_length=160)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.INTEGRATION)
    phase = models.CharField(max_length=8, choices=Phase.choices, default=Phase.CRAWL)
    phase_started_on = models.DateField()
    phase_success_criteria = models.TextField(
        blank=True, help_text="Written when the phase starts: what must be true to go on."
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PROPOSED)
    leverage = models.CharField(max_length=14, choices=Leverage.choices)
    launched_on = models.DateField(null=True, blank=True, help_text=_("Set on entering walk."))
    integration_pathway = models.TextField(
        blank=True, help_text="How a shared customer actually integrates (docs, API, connector)."
    )

    # Three-sided value proposition
    value_to_us = models.TextField(blank=True)
    value_to_partner = models.TextField(blank=True)
    value_to_customers = models.TextField(blank=True)
    # "If this partnership fails, what does each side lose?"
    we_lose = models.TextField(blank=True)
    partner_loses = models.TextField(blank=True)

    # Partnership Claim: we believe P can reduce uncertainty about X because they provide
    # capability C, under boundary B, with evidence E.
    claim_uncertainty = models.TextField("uncertainty (X)", blank=True)
    claim_capability = models.TextField("capability (C)", blank=True)
    claim_boundary = models.TextField("boundary (B)", blank=True)
    claim_evidence = models.TextField("evidence (E)", blank=True)
    # Boundary line: reduces uncertainty about X; does not establish Y.
    boundary_not_established = models.TextField("does not establish (Y)", blank=True)

    deferral_condition = models.TextField(
        blank=True, default="evidence remains ambiguous", help_text="If … by date D, we defer."
    )
    deferral_date = models.DateField("deferral date (D)", null=True, blank=True)
    unwind_condition = models.TextField(blank=True, help_text=_("An observable condition."))
    unwind_authorizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    dependency = models.CharField(max_length=8, choices=Dependency.choices, default=Dependency.LOW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_partnerships",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_partnerships",
    )
    exit_path = models.TextField(
        blank=True, help_text=_("Time, cost and data portability to exit.")
    )
    missed_review_cycles = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Consecutive health-review cycles missed; kept up to date by the reviews app."),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner__name", "name"]
        indexes = [
            models.Index(fields=["organization", "status", "phase"]),
            models.Index(fields=["organization", "tier"]),
            models.Index(fields=["organization", "owner"]),
            models.Index(fields=["organization", "deferral_date"]),
            models.Index(fields=["organization", "-updated_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def claim_sentence(self) -> str:
        return (
            f"We believe {self.partner.name} can reduce uncertainty about "
            f"{clause(self.claim_uncertainty)} because they provide capability "
            f"{clause(self.claim_capability)}, under boundary {clause(self.claim_boundary)}, "
            f"with evidence {ending(self.claim_evidence)}"
        )

    @property
    def boundary_line(self) -> str:
        return (
            f"This partnership reduces uncertainty about {clause(self.claim_uncertainty)}; "
            f"it does not establish {ending(self.boundary_not_established)}"
        )

    @property
    def deferral_sentence(self) -> str:
        when = self.deferral_date.isoformat() if self.deferral_date else GAP
        condition = clause(self.deferral_condition or "evidence remains ambiguous")
        return f"If {condition} by {when}, we defer."

    @property
    def unwind_sentence(self) -> str:
        """ "Unwind if …" with the condition as written, or "" when none is written."""
        if not (self.unwind_condition or "").strip():
            return ""
        return f"Unwind if {ending(self.unwind_condition)}"


class PartnershipEvent(models.Model):
    """The partnership's timeline: phase and status changes, flow outcomes, decisions.

    Written only through service functions (``partnerships.services``), never edited.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        PHASE = "phase", _("Phase change")
        STATUS = "status", _("Status change")
        FLOW = "flow", _("Decision flow")
        DECISION = "decision", _("Decision")
        FIT_CARD = "fit_card", _("Fit card")
        CHARTER = "charter", _("Charter")
        REVIEW = "review", _("Health review")
        NOTE = "note", _("Note")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    from_value = models.CharField(max_length=30, blank=True)
    to_value = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_system = models.BooleanField(default=False)
    url = models.CharField(max_length=300, blank=True, help_text=_("Link to the source record."))
    created_at = models.DateTimeField(auto_now_add=True)
    # A commitment (go / no-go, unwind, approved decision) confirmed with a fresh sign-in.
    reauthenticated_at = models.DateTimeField(null=True, blank=True)
    reauthenticated_with = method_field()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-created_at"])]

    def __str__(self) -> str:
        return self.summary


class FlowRun(models.Model):
    """One run of a seed decision tree: the answers, what the tree recommended, what we chose.

    Kept so a decision can be defended later: when the person overrides the tree, the reason
    is required (and the database refuses a row without one).
    """

    class Kind(models.TextChoices):
        BUILD_VS_PARTNER = "build_vs_partner", _("Build vs partner")
        TIER = "tier", _("Tier assignment")
        CRAWL_TO_WALK = "crawl_to_walk", _("Crawl → walk go / no-go")
        WALK_TO_RUN = "walk_to_run", _("Walk → run go / no-go")
        PROGRAM = "program", _("Curated vs open program")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="flow_runs"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="flow_runs"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="flow_runs"
    )
    subject = models.CharField(
        max_length=200, blank=True, help_text="What was decided about (e.g. the capability)."
    )
    answers = models.JSONField(default=dict)
    recommendation = models.CharField(max_length=30)
    final_choice = models.CharField(max_length=30)
    override_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "kind", "-decided_at"]),
            models.Index(fields=["partnership", "-decided_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(final_choice=models.F("recommendation"))
                | ~models.Q(override_reason=""),
                name="flow_override_needs_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.final_choice}"

    @property
    def overridden(self) -> bool:
        return self.final_choice != self.recommendation


class LaunchPlan(models.Model):
    """The seed's launch checklist for one partnership, anchored on the launch date."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="launch_plan"
    )
    launch_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Launch plan for {self.partnership}"


class LaunchItem(models.Model):
    """One checklist item: what, in which stage, who owns it, by when, and whether it is done."""

    class Stage(models.TextChoices):
        PRE = "pre", _("Pre-launch (4–6 weeks before)")
        LAUNCH = "launch", _("Launch week")
        POST = "post", _("Post-launch (weeks 2–8)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(LaunchPlan, on_delete=models.CASCADE, related_name="items")
    stage = models.CharField(max_length=6, choices=Stage.choices)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "position", "pk"]
        indexes = [models.Index(fields=["organization", "done", "due_on"])]

    def __str__(self) -> str:
        return self.title
