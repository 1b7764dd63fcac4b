"""What other apps add to partnerships: panels on the dashboard and the partnership page, and
gates that guard a phase change. This file is the one list of them, in order.

The partnerships app sits below fit cards, evidence, charters and reviews: it must not import
them, yet its pages show their panels and its phase changes obey their rules. So each panel
and gate is named here by its dotted path and imported on first use. The list order is the
order on the page (no numeric weights, so no ties), and a gate guards only the phases it lists.

A partner list column is ``column(request, *, today) -> ListColumn | None``: a column of the
partner list that another app computes in SQL (trust), with its sorts and its filter.

A panel is ``panel(request, partnership) -> dict | None`` (``partnership`` is None on the
dashboard); the dict names the ``template`` to include (with the dict as ``panel``) and what it
needs, in a constant number of queries. A gate is ``gate(partnership, to_phase) -> [reasons]``;
no reasons means the change may happen.

Tests switch panels and gates through the same API: ``with PHASE_GATES.only("charter"): ...``,
``with DASHBOARD_PANELS.without("reviews"): ...`` or ``with PHASE_GATES.only(Extension("fake",
fake_gate, phases=("walk",))): ...``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .models import Phase, Status


@dataclass(frozen=True)
class Extension:
    """One panel or gate: its name, its function (a dotted path, or the function itself in a
    test), and for a gate the phases whose entry it guards, and what it does once the change it
    allowed has happened (``applied``, in the same transaction: a partner's confirmation is
    used up so it never unlocks a second decision)."""

    name: str
    target: str | Callable
    phases: tuple[str, ...] = ()
    applied: str | Callable = ""


@dataclass
class ListColumn:
    """A column another app adds to the partner list, computed in the list's own query.

    ``apply(partners, sort)`` annotates the list's queryset (and filters and sorts it when the
    URL asks, by one of ``sorts``); ``attach(rows)`` sets each row of the page's values on it
    without a query. The templates are included per row with ``partner`` and ``column``
    (``heading_template`` in the header, ``filter_template`` inside the filter form).
    ``filtering`` says whether this column's filter is on (the list then says "matching").
    """

    name: str
    apply: Callable
    attach: Callable
    heading_template: str
    cell_template: str
    filter_template: str = ""
    sorts: dict[str, str] = field(default_factory=dict)
    filtering: bool = False
    context: dict = field(default_factory=dict)


class Registry:
    """An ordered list of extensions of one kind, imported on first use.

    ``items()`` is what the pages and services iterate; ``only()`` and ``without()`` change
    the list for the duration of a ``with`` block (tests), in every thread.
    """

    def __init__(
        self,
        kind: str,
        extensions: list[Extension],
        *,
        guards_phases: bool = False,
        guarded: tuple[str, ...] = tuple(Phase.values),
    ):
        names = [extension.name for extension in extensions]
        if len(set(names)) != len(names):
            raise ImproperlyConfigured(f"Two {kind}s share a name: {names}")
        self.kind = kind
        self.guards_phases = guards_phases
        # What a gate of this registry may guard (phases, or statuses for a status gate).
        self.guarded = guarded
        self.declared: tuple[Extension, ...] = tuple(extensions)
        self._active: tuple[Extension, ...] | None = None
        self._resolved: dict[Extension, Callable] = {}
        self._lock = threading.Lock()

    def _resolve(self, extension: Extension) -> Callable:
        if callable(extension.target):
            return extension.target
        if extension not in self._resolved:
            with self._lock:
                self._resolved[extension] = import_string(extension.target)
        return self._resolved[extension]

    def items(self) -> list[tuple[Extension, Callable]]:
        """(extension, function) for every active extension, in order."""
        active = self.declared if self._active is None else self._active
        return [(extension, self._resolve(extension)) for extension in active]

    def problems(self) -> list[str]:
        """Why a declared extension cannot be used (unimportable, or a gate without phases)."""
        found = []
        for extension in self.declared:
            try:
                function = self._resolve(extension)
            except ImportError as exc:
                found.append(f"{self.kind} {extension.name!r}: cannot import it ({exc}).")
                continue
            if not callable(function):
                found.append(f"{self.kind} {extension.name!r}: {extension.target} is not callable.")
            if self.guards_phases and not set(extension.phases) <= set(self.guarded):
                found.append(f"{self.kind} {extension.name!r}: unknown phases {extension.phases}.")
            if self.guards_phases and not extension.phases:
                found.append(f"{self.kind} {extension.name!r} guards no phase.")
        return found

    def _named(self, name: str) -> Extension:
        for extension in self.declared:
            if extension.name == name:
                return extension
        known = ", ".join(e.name for e in self.declared)
        raise KeyError(f"No {self.kind} named {name!r} (known: {known}).")

    @contextmanager
    def _replaced(self, extensions: tuple[Extension, ...]) -> Iterator[Registry]:
        previous = self._active
        self._active = extensions
        try:
            yield self
        finally:
            self._active = previous

    def only(self, *keep: str | Extension) -> AbstractContextManager[Registry]:
        """Only these extensions, in this order: declared ones by name, or new ones (fakes)."""
        chosen = tuple(item if isinstance(item, Extension) else self._named(item) for item in keep)
        if self.guards_phases and any(not extension.phases for extension in chosen):
            raise ValueError(f"A {self.kind} must name the phases it guards.")
        return self._replaced(chosen)

    def without(self, *names: str) -> AbstractContextManager[Registry]:
        """Every active extension except the named ones."""
        for name in names:
            self._named(name)
        current = self.declared if self._active is None else self._active
        return self._replaced(tuple(e for e in current if e.name not in names))


DASHBOARD_PANELS = Registry(
    "dashboard panel",
    [
        Extension("evidence_approvals", "evidence.panels.evidence_dashboard_panel"),
        Extension("fitcards", "fitcards.panels.dashboard_panel"),
        Extension("charters", "charters.panels.dashboard_panel"),
        Extension("reviews", "reviews.panels.dashboard_panel"),
        # Decisions waiting for, or disputed by, the partner's signer.
        Extension("partnerroom", "partnerroom.panels.dashboard_panel"),
    ],
)

PARTNERSHIP_PANELS = Registry(
    "partnership panel",
    [
        Extension("fitcards", "fitcards.panels.partnership_panel"),
        Extension("evidence", "evidence.panels.evidence_partnership_panel"),
        Extension("charter", "charters.panels.partnership_panel"),
        Extension("reviews", "reviews.panels.partnership_panel"),
        # Who on the partner's side has access, what is shared, what waits for either side.
        Extension("partnerroom", "partnerroom.panels.partnership_panel"),
    ],
)

PHASE_GATES = Registry(
    "phase gate",
    [
        # Going forward needs enough evidence (and an approved decision when critical).
        Extension(
            "evidence_sufficiency",
            "evidence.sufficiency.evidence_sufficiency_gate",
            phases=(Phase.WALK, Phase.RUN),
        ),
        # Rule 3: no launch before both sides have signed the charter.
        Extension("charter_executed", "charters.panels.charter_gate", phases=(Phase.WALK,)),
        # Co-signed gates: where the organization asks for it, the partner confirms a go.
        Extension(
            "partner_cosign",
            "partnerroom.gates.cosign_gate",
            phases=(Phase.WALK, Phase.RUN),
            applied="partnerroom.services.cosign.cosign_phase_applied",
        ),
    ],
    guards_phases=True,
)

# A status gate lists the statuses whose entry it guards (``phases`` holds them).
STATUS_GATES = Registry(
    "status gate",
    [
        # Co-signed gates: where the organization asks for it, the partner confirms an unwind
        # and a no-go (which ends the partnership).
        Extension(
            "partner_cosign",
            "partnerroom.gates.cosign_status_gate",
            phases=(Status.UNWINDING, Status.ENDED),
            applied="partnerroom.services.cosign.cosign_status_applied",
        ),
    ],
    guards_phases=True,
    guarded=tuple(Status.values),
)

PARTNER_LIST_COLUMNS = Registry(
    "partner list column",
    [
        # Trust signals (issue 19.4): sortable, filterable, the partners to look at flagged.
        Extension("trust", "programs.columns.partner_list_column"),
    ],
)

REGISTRIES = (
    DASHBOARD_PANELS,
    PARTNERSHIP_PANELS,
    PHASE_GATES,
    STATUS_GATES,
    PARTNER_LIST_COLUMNS,
)


def _render(registry: Registry, request, partnership) -> list[dict]:
    panels = []
    for _extension, panel in registry.items():
        result = panel(request, partnership)
        if result:
            panels.append(result)
    return panels


def dashboard_panels(request) -> list[dict]:
    """The panels other apps show on the dashboard, in the listed order."""
    return _render(DASHBOARD_PANELS, request, None)


def partnership_panels(request, partnership) -> list[dict]:
    """The panels other apps show on a partnership's page, in the listed order."""
    return _render(PARTNERSHIP_PANELS, request, partnership)


def partner_list_columns(request, *, today) -> list[ListColumn]:
    """The columns other apps add to the partner list, in the listed order."""
    columns = []
    for _extension, column in PARTNER_LIST_COLUMNS.items():
        result = column(request, today=today)
        if result:
            columns.append(result)
    return columns
