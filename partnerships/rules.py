"""The seed's rules as plain functions (SPEC §3, rules 1, 2, 6 and 7, and rule 5's date).

Each rule is one small function so that the partnership page, the partner list, the dashboard
and the scheduler all judge a partnership the same way. ``flagged_q`` is the same judgement
written as a database filter, so the "flagged" filter and the dashboard never load every row;
a test keeps the two in step.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.templatetags.dates import pattern

from .models import PHASE_WEEKS, Leverage, Phase, Status

# What people actually type when a side loses nothing: "", "nothing", "None.", "n/a", "-".
NOTHING_PATTERN = r"^\s*(nothing|none|n/?a|no|nil|zero|-+)?\s*[.!]?\s*$"
_NOTHING_RE = re.compile(NOTHING_PATTERN, re.IGNORECASE)


def loses_nothing(text: str) -> bool:
    """True when an answer to "what does this side lose?" amounts to nothing."""
    return bool(_NOTHING_RE.match(text or ""))


def is_handshake(*, we_lose: str, partner_loses: str) -> bool:
    """Rule 1, the handshake check.

    The seed asks "If this partnership fails, what does each side lose?" — when both sides can
    walk away at zero cost it is a handshake, not a partnership, and nobody will make it work.
    """
    return loses_nothing(we_lose) and loses_nothing(partner_loses)


@dataclass(frozen=True)
class LeverageAdvice:
    level: str  # "full", "light" or "dont"
    headline: str
    explanation: str


def leverage_advice(leverage: str) -> LeverageAdvice:
    """Rule 2: how much to invest, given the strongest leverage we hold.

    The seed ranks leverage from requirement (strongest) to co-marketing (weakest): high
    leverage earns a full investment, moderate leverage a light test first, and co-marketing
    alone is not worth the time.
    """
    if leverage in (Leverage.REQUIREMENT, Leverage.ECONOMIC):
        return LeverageAdvice(
            "full",
            _("Full partnership investment"),
            _("They need this too (a requirement or real economics), so a deep commitment pays."),
        )
    if leverage in (Leverage.COMPETITIVE, Leverage.CUSTOMER):
        return LeverageAdvice(
            "light",
            _("Light partnership, test first"),
            _("Moderate leverage: run a small Crawl and earn the right to invest more."),
        )
    return LeverageAdvice(
        "dont",
        _("Don't do it"),
        _("Co-marketing alone is weak leverage: buzz, not business. You'll waste time."),
    )


@dataclass(frozen=True)
class TimeBox:
    phase: str
    started_on: datetime.date
    min_weeks: int
    max_weeks: int
    ends_on: datetime.date  # the latest day the phase should last
    weeks_elapsed: int
    overdue: bool

    @property
    def label(self) -> str:
        return _("%(min)s–%(max)s weeks") % {"min": self.min_weeks, "max": self.max_weeks}


def phase_time_box(*, phase: str, started_on: datetime.date, today: datetime.date) -> TimeBox:
    """Rule 6: each phase has a time box; past its maximum the go / no-go is due.

    Crawl is 4–8 weeks and walk 8–12 (the seed); run is reviewed after 6–12 months. A phase
    that drags on past its box is how optionality quietly turns into lock-in.
    """
    min_weeks, max_weeks = PHASE_WEEKS[Phase(phase)]
    ends_on = started_on + datetime.timedelta(weeks=max_weeks)
    return TimeBox(
        phase=phase,
        started_on=started_on,
        min_weeks=min_weeks,
        max_weeks=max_weeks,
        ends_on=ends_on,
        weeks_elapsed=max(0, (today - started_on).days // 7),
        overdue=today > ends_on,
    )


def phase_overdue_q(today: datetime.date) -> Q:
    """Partnerships whose current phase is past its time box (rule 6), as a filter."""
    q = Q(pk__in=[])
    for phase, (_min, max_weeks) in PHASE_WEEKS.items():
        q |= Q(phase=phase, phase_started_on__lt=today - datetime.timedelta(weeks=max_weeks))
    return q


@dataclass(frozen=True)
class Flag:
    code: str
    title: str
    explanation: str
    severity: str = "warn"  # "warn" or "bad"


# Statuses in which a passed deferral date still has to be acted on (rule 5 defers these).
AWAITING_DEFERRAL = (Status.PROPOSED, Status.ACTIVE, Status.RENEGOTIATING)


def deferral_passed(partnership, *, today: datetime.date) -> bool:
    """Rule 5's trigger date is behind us and the partnership is still going.

    The reviews app defers such a partnership in its daily scan unless a commit decision was
    taken; until then (and after a commit, until a new date is set) the page and the dashboard
    say so at once, on the organization's own calendar: a date of today has not yet passed.
    """
    return (
        partnership.deferral_date is not None
        and partnership.deferral_date < today
        and partnership.status in AWAITING_DEFERRAL
    )


def _launched(partnership) -> bool:
    return partnership.launched_on is not None or partnership.phase in (Phase.WALK, Phase.RUN)


def partnership_flags(partnership, *, today: datetime.date) -> list[Flag]:
    """Rules 1, 2, 6 and 7: everything the seeds warn about that is true of this partnership.

    Needs only the partnership's own fields (no queries). Ended partnerships carry no flags:
    there is nothing left to act on. "Too many tiers" concerns the whole organization; see
    ``too_many_tiers``.
    """
    if partnership.status == Status.ENDED:
        return []
    flags: list[Flag] = []
    if is_handshake(we_lose=partnership.we_lose, partner_loses=partnership.partner_loses):
        flags.append(
            Flag(
                "handshake",
                _("Handshake, not a partnership"),
                _("Neither side loses anything if it fails, so neither side will make it work."),
                "bad",
            )
        )
    if partnership.leverage == Leverage.CO_MARKETING:
        flags.append(
            Flag(
                "vanity",
                _("Vanity partnership"),
                _("Co-marketing is the only leverage: announcements and logos, not business."),
                "bad",
            )
        )
    if not (partnership.exit_path or "").strip():
        flags.append(
            Flag(
                "no_exit_path",
                _("No exit path"),
                _("Nobody has written what leaving would cost in time, money and data."),
            )
        )
    if not (partnership.unwind_condition or "").strip() or partnership.unwind_authorizer_id is None:
        flags.append(
            Flag(
                "no_unwind_criteria",
                _("No exit / unwind criteria"),
                _("An unwind trigger needs an observable condition and who may authorize it."),
            )
        )
    if _launched(partnership) and partnership.missed_review_cycles >= 2:
        flags.append(
            Flag(
                "ghosting",
                _("Ghosting after launch"),
                ngettext(
                    "%(count)s health-review cycle missed since launch.",
                    "%(count)s health-review cycles missed since launch.",
                    partnership.missed_review_cycles,
                )
                % {"count": partnership.missed_review_cycles},
                "bad",
            )
        )
    if _launched(partnership) and not (partnership.integration_pathway or "").strip():
        flags.append(
            Flag(
                "no_integration_pathway",
                _("Launched without an integration pathway"),
                _("Shared customers have no written way to actually integrate."),
            )
        )
    if deferral_passed(partnership, today=today):
        flags.append(
            Flag(
                "deferral_passed",
                _("Deferral date passed"),
                _(
                    "The deferral date (%(date)s) has passed: defer, or record the commit "
                    "decision and set the next date."
                )
                % {"date": date_format(partnership.deferral_date, pattern("long_date"))},
                "bad",
            )
        )
    box = phase_time_box(
        phase=partnership.phase, started_on=partnership.phase_started_on, today=today
    )
    if box.overdue:
        verdict = _("the go / no-go is due") if partnership.phase != Phase.RUN else _("revisit it")
        flags.append(
            Flag(
                "phase_overdue",
                _("%(phase)s past its time box") % {"phase": partnership.get_phase_display()},
                _("%(weeks)s weeks in, the box is %(box)s: %(verdict)s.")
                % {"weeks": box.weeks_elapsed, "box": box.label, "verdict": verdict},
            )
        )
    return flags


def flagged_q(today: datetime.date) -> Q:
    """The same judgement as ``partnership_flags`` (non-empty), as a database filter."""
    launched = Q(launched_on__isnull=False) | Q(phase__in=[Phase.WALK, Phase.RUN])
    any_flag = (
        (Q(we_lose__iregex=NOTHING_PATTERN) & Q(partner_loses__iregex=NOTHING_PATTERN))
        | Q(leverage=Leverage.CO_MARKETING)
        | Q(exit_path__iregex=r"^\s*$")
        | Q(unwind_condition__iregex=r"^\s*$")
        | Q(unwind_authorizer__isnull=True)
        | (launched & Q(missed_review_cycles__gte=2))
        | (launched & Q(integration_pathway__iregex=r"^\s*$"))
        | phase_overdue_q(today)
        | Q(deferral_date__lt=today, status__in=AWAITING_DEFERRAL)
    )
    return any_flag & ~Q(status=Status.ENDED)


def too_many_tiers(*, tiers_in_use: int, max_tiers: int) -> Flag | None:
    """Rule 7, "creating too many tiers": more tiers in use than the organization allows.

    The seed warns that mismatched tiers frustrate partners; an organization that tightens
    ``max_tiers_in_use`` sees this flag when its live partnerships spread wider.
    """
    if tiers_in_use > max_tiers:
        return Flag(
            "too_many_tiers",
            _("Too many tiers in use"),
            _("%(used)s tiers in use; your organization allows %(allowed)s.")
            % {"used": tiers_in_use, "allowed": max_tiers},
        )
    return None
