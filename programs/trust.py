"""Trust signals: quality surfaced through use, not decided upfront (issue 19, point 4).

An open program lets partners in and controls quality through discovery and trust layers; a
curated one still needs to see which admitted partners deserve a closer look. Both read the
same signal, computed from what the organization already records (evidence, health reviews,
flags). ``annotate_trust`` is the rule: one database expression per part and for the score,
so a page of partners, sorted or filtered by trust, is still one query. ``trust_signal`` only
puts the annotated numbers into words.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, Round
from django.utils import timezone

from evidence.models import QUALITY_RANK, BoundaryStatus, EvidenceEntry
from evidence.sufficiency import cycle_start
from partnerships.models import Partnership, Status
from partnerships.rules import flagged_q
from reviews.models import HEALTH_SCORE, HealthReview

# Points per part; they add up to 100.
MAX_POINTS = {
    "evidence": 25,
    "boundary": 20,
    "health": 20,
    "ghosting": 15,
    "flags": 10,
    "recency": 10,
}
BOUNDARY_CYCLES = 4  # "the last cycles": this week's review cycle and the three before it
NEW_PARTNER_DAYS = 28  # a partner this new, with no evidence yet, is not judged

_BOUNDARY_RANK = {BoundaryStatus.INTACT: 0, BoundaryStatus.STRAINED: 1, BoundaryStatus.VIOLATED: 2}


def _per_partner(qs: QuerySet, name: str, aggregate, output_field=None) -> Subquery:
    """One aggregate of ``qs`` for the outer partner row, as a correlated subquery."""
    grouped = qs.order_by().values("partner_key").annotate(**{name: aggregate}).values(name)
    return Subquery(grouped, output_field=output_field)


def _cases(field: str, mapping: dict, output_field) -> Case:
    return Case(
        *(When(**{field: key}, then=Value(value)) for key, value in mapping.items()),
        output_field=output_field,
    )


def annotate_trust(
    partners: QuerySet, *, organization, today: datetime.date, now: datetime.datetime | None = None
) -> QuerySet:
    """Annotate each partner with its trust parts (``trust_<part>``), ``trust_score`` (0–100)
    and ``trust_too_new``, plus the facts they rest on (``trust_fact_*``).

    Why each part counts:

    - **evidence** (25): the mix of evidence quality over the partner's current (not
      superseded) entries, anecdote 0 → demo → pilot → real operating conditions 3. The seed's
      ladder: a claim is only as trustworthy as the conditions it was observed under, and a
      partner whose log is all anecdotes has not been tested yet.
    - **boundary** (20): the worst boundary status logged in the last four review cycles
      (intact 20, strained 8, violated 0; nothing logged 12). A partner that recently broke
      the boundary its claim stands on is the first one to look at; silence is neither proof
      nor alarm (staleness has its own part).
    - **health** (20): the latest submitted health review (green 14, amber 7, red 0) and its
      trend against the review before it (better +6, same +3, worse 0). The level says where
      the partnership is; the trend says where it is going. Not yet reviewed counts as the
      middle (7 + 3).
    - **ghosting** (15): consecutive review cycles missed on the partner's live partnerships
      (none 15, one 8, two or more 0). The seed's "ghosting after launch": a partnership nobody
      reviews is one nobody is watching.
    - **flags** (10): the share of the partner's live partnerships without an open flag
      (``partnerships.rules.flagged_q``: handshake, vanity, no exit path, overdue phase…).
      Each flag is a known weakness nobody has fixed. No live partnership counts 5.
    - **recency** (10): days since the newest evidence (≤ 30 days 10, ≤ 90 days 5, older or
      none 0). Trust surfaced through use decays when the use stops being observed.

    ``trust_too_new``: a partner whose first partnership is under four weeks old and who has
    no evidence yet is too new to judge; it is never flagged for a look (an open program's
    newcomers would otherwise all be flagged on their first day).
    """
    now = now or timezone.now()
    new_since = now - datetime.timedelta(days=NEW_PARTNER_DAYS)
    outer = OuterRef("pk")
    superseded = EvidenceEntry.objects.filter(supersedes=OuterRef("pk"))
    entries = (
        EvidenceEntry.objects.filter(organization=organization, partnership__partner=outer)
        .filter(~Exists(superseded))
        .annotate(partner_key=F("partnership__partner"))
    )
    window = cycle_start(today, organization.review_weekday) - datetime.timedelta(
        weeks=BOUNDARY_CYCLES - 1
    )
    reviews = (
        HealthReview.objects.filter(
            organization=organization,
            partnership__partner=outer,
            state=HealthReview.State.SUBMITTED,
        )
        .annotate(score=_cases("health", HEALTH_SCORE, IntegerField()))
        .order_by("-due_on", "-pk")
        .values("score")
    )
    all_partnerships = Partnership.objects.filter(partner=outer).annotate(partner_key=F("partner"))
    live = all_partnerships.exclude(status=Status.ENDED)
    facts = {
        "trust_fact_quality": _per_partner(
            entries, "q", Avg(_cases("quality", QUALITY_RANK, FloatField())), FloatField()
        ),
        "trust_fact_entries": Coalesce(_per_partner(entries, "n", Count("pk")), 0),
        "trust_fact_boundary": _per_partner(
            entries.filter(observed_on__gte=window),
            "b",
            Max(_cases("boundary_status", _BOUNDARY_RANK, IntegerField())),
            IntegerField(),
        ),
        "trust_fact_health": Subquery(reviews[:1], output_field=IntegerField()),
        "trust_fact_health_before": Subquery(reviews[1:2], output_field=IntegerField()),
        "trust_fact_missed": Coalesce(_per_partner(live, "m", Max("missed_review_cycles")), 0),
        "trust_fact_live": Coalesce(_per_partner(live, "n", Count("pk")), 0),
        "trust_fact_flagged": Coalesce(
            _per_partner(live.filter(flagged_q(today)), "n", Count("pk")), 0
        ),
        "trust_fact_last_evidence": _per_partner(entries, "d", Max("observed_on")),
        "trust_fact_first_partnership": _per_partner(all_partnerships, "c", Min("created_at")),
    }
    level = {3: 14, 2: 7, 1: 0}
    parts = {
        "trust_evidence": Coalesce(
            F("trust_fact_quality") * Value(MAX_POINTS["evidence"] / 3.0), Value(0.0)
        ),
        "trust_boundary": Case(
            When(trust_fact_boundary=0, then=Value(20.0)),
            When(trust_fact_boundary=1, then=Value(8.0)),
            When(trust_fact_boundary=2, then=Value(0.0)),
            default=Value(12.0),
            output_field=FloatField(),
        ),
        "trust_health": Case(
            *(When(trust_fact_health=k, then=Value(float(v))) for k, v in level.items()),
            default=Value(7.0),
            output_field=FloatField(),
        )
        + Case(
            When(trust_fact_health__isnull=True, then=Value(3.0)),
            When(trust_fact_health_before__isnull=True, then=Value(3.0)),
            When(trust_fact_health__gt=F("trust_fact_health_before"), then=Value(6.0)),
            When(trust_fact_health=F("trust_fact_health_before"), then=Value(3.0)),
            default=Value(0.0),
            output_field=FloatField(),
        ),
        "trust_ghosting": Case(
            When(trust_fact_missed=0, then=Value(15.0)),
            When(trust_fact_missed=1, then=Value(8.0)),
            default=Value(0.0),
            output_field=FloatField(),
        ),
        "trust_flags": Case(
            When(trust_fact_live=0, then=Value(5.0)),
            default=Value(float(MAX_POINTS["flags"]))
            * Cast(F("trust_fact_live") - F("trust_fact_flagged"), FloatField())
            / Cast(F("trust_fact_live"), FloatField()),
            output_field=FloatField(),
        ),
        "trust_recency": Case(
            When(trust_fact_last_evidence__gte=today - datetime.timedelta(days=30), then=10.0),
            When(trust_fact_last_evidence__gte=today - datetime.timedelta(days=90), then=5.0),
            default=Value(0.0),
            output_field=FloatField(),
        ),
    }
    total = sum((F(name) for name in parts), Value(0.0))
    score = {
        "trust_score": Cast(
            Round(Least(Greatest(total, Value(0.0)), Value(100.0))), IntegerField()
        ),
        "trust_too_new": Case(
            When(
                Q(trust_fact_entries=0) & Q(trust_fact_first_partnership__gte=new_since),
                then=Value(True),
            ),
            default=Value(False),
        ),
    }
    return partners.annotate(**facts).annotate(**parts).annotate(**score)


def trust_below_q(threshold: int) -> Q:
    """Partners flagged for a look: below the organization's threshold and not too new."""
    return Q(trust_score__lt=threshold, trust_too_new=False)


TRUST_SORTS = {
    "trust": ("Lowest trust first", ["trust_score", "name"]),
    "-trust": ("Highest trust first", ["-trust_score", "name"]),
}


# ------------------------------------------------------------------- the signal in words

QUALITY_WORDS = ["anecdote", "demo", "pilot", "real operating conditions"]
BOUNDARY_WORDS = {0: "intact", 1: "strained", 2: "violated"}
HEALTH_WORDS = {3: "green", 2: "amber", 1: "red"}


@dataclass(frozen=True)
class TrustPart:
    key: str
    label: str
    points: int
    max_points: int
    detail: str


@dataclass(frozen=True)
class TrustSignal:
    score: int
    threshold: int
    too_new: bool
    parts: list[TrustPart]

    @property
    def below(self) -> bool:
        return not self.too_new and self.score < self.threshold

    @property
    def weakest(self) -> TrustPart:
        return min(self.parts, key=lambda p: p.points / p.max_points)

    @property
    def summary(self) -> str:
        if self.too_new:
            return "Too new to judge: no evidence yet."
        verdict = "below your threshold, worth a look" if self.below else "at or above threshold"
        return f"{self.score}/100, {verdict}; weakest: {self.weakest.label.lower()}."


def _evidence_detail(p) -> str:
    if not p.trust_fact_entries:
        return "No evidence logged yet."
    rank = p.trust_fact_quality or 0.0
    word = QUALITY_WORDS[min(3, round(rank))]
    return f"{p.trust_fact_entries} entries, on average {word} ({rank:.1f} of 3)."


def _health_detail(p) -> str:
    if p.trust_fact_health is None:
        return "No health review submitted yet."
    now_word = HEALTH_WORDS[p.trust_fact_health]
    if p.trust_fact_health_before is None:
        return f"Latest review {now_word}; no earlier review to compare."
    before = p.trust_fact_health_before
    trend = (
        "up"
        if p.trust_fact_health > before
        else "down"
        if p.trust_fact_health < before
        else "steady"
    )
    return f"Latest review {now_word}, {trend} from {HEALTH_WORDS[before]}."


def trust_signal(partner, *, threshold: int, today: datetime.date) -> TrustSignal:
    """The annotated trust of ``partner`` (from ``annotate_trust``) as parts with words."""
    last = partner.trust_fact_last_evidence
    recency = f"Last evidence {(today - last).days} days ago." if last else "No evidence yet."
    boundary = partner.trust_fact_boundary
    missed = partner.trust_fact_missed
    live = partner.trust_fact_live
    details = {
        "evidence": ("Evidence quality", _evidence_detail(partner)),
        "boundary": (
            "Boundary",
            f"Worst in the last {BOUNDARY_CYCLES} cycles: {BOUNDARY_WORDS[boundary]}."
            if boundary is not None
            else f"Nothing logged in the last {BOUNDARY_CYCLES} cycles.",
        ),
        "health": ("Health trend", _health_detail(partner)),
        "ghosting": (
            "Missed reviews",
            f"{missed} review cycle{'s' if missed != 1 else ''} missed in a row."
            if missed
            else "No review missed.",
        ),
        "flags": (
            "Open flags",
            f"{partner.trust_fact_flagged} of {live} live partnership{'s' if live != 1 else ''} "
            "flagged."
            if live
            else "No live partnership.",
        ),
        "recency": ("Time since evidence", recency),
    }
    parts = [
        TrustPart(
            key=key,
            label=label,
            points=round(getattr(partner, f"trust_{key}")),
            max_points=MAX_POINTS[key],
            detail=detail,
        )
        for key, (label, detail) in details.items()
    ]
    return TrustSignal(
        score=partner.trust_score,
        threshold=threshold,
        too_new=bool(partner.trust_too_new),
        parts=parts,
    )
