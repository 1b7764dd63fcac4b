"""The guide's sections: one stable slug each, and its title, summary and "?" label per language.

The slug is a promise to every page that links a "?" to a section (``{% guide_link "slug" %}``):
it names the URL ``/guide/<slug>/`` and the heading's anchor, so it never changes once
published. Rename a title freely; never a slug. ``SLUGS`` is the list page owners pick from.

The short strings live here, in both languages, beside the slug, rather than in the gettext
catalogue: the guide must read in Spanish on an installation whose catalogue is not compiled
yet, and a section's title, summary and prose are translated together (see ``guide/__init__``).
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


def guide_language(code: str | None) -> str:
    """The guide's language for an active Django language code ("es-mx" → "es").

    Any Spanish variant reads the Spanish guide; anything else the English one, because the
    guide exists in these two languages only.
    """
    base = (code or "").split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Section:
    slug: str
    title: dict[str, str]
    summary: dict[str, str]
    about: dict[str, str]  # the "?" link's accessible name

    def template(self, language: str) -> str:
        return f"guide/{language}/{self.slug}.html"


def _section(slug: str, *, en: tuple[str, str, str], es: tuple[str, str, str]) -> Section:
    return Section(
        slug=slug,
        title={"en": en[0], "es": es[0]},
        summary={"en": en[1], "es": es[1]},
        about={"en": en[2], "es": es[2]},
    )


SECTIONS: tuple[Section, ...] = (
    _section(
        "three-sided-value",
        en=(
            "Three-sided value",
            "What we, the partner and our shared customers each gain.",
            "About three-sided value",
        ),
        es=(
            "Valor para las tres partes",
            "Qué ganamos nosotros, qué gana el socio y qué ganan los clientes compartidos.",
            "Acerca del valor para las tres partes",
        ),
    ),
    _section(
        "handshake-check",
        en=(
            "The handshake check",
            "Why a partnership where nobody stands to lose anything gets flagged.",
            "About the handshake check",
        ),
        es=(
            "La prueba del apretón de manos",
            "Por qué se señala una alianza en la que nadie tiene nada que perder.",
            "Acerca de la prueba del apretón de manos",
        ),
    ),
    _section(
        "leverage-types",
        en=(
            "Leverage types",
            "The five kinds of leverage, strongest first, and how much each justifies.",
            "About leverage types",
        ),
        es=(
            "Tipos de palanca",
            "Las cinco palancas, de la más fuerte a la más débil, y cuánto justifica cada una.",
            "Acerca de los tipos de palanca",
        ),
    ),
    _section(
        "tiers",
        en=(
            "Tiers",
            "Integration, Partnership and Strategic: matching support to commitment.",
            "About tiers",
        ),
        es=(
            "Niveles",
            "Integración, Alianza y Estratégico: el acompañamiento según el compromiso.",
            "Acerca de los niveles",
        ),
    ),
    _section(
        "crawl-walk-run",
        en=(
            "Crawl, walk, run",
            "Three phases with time boxes, and the go / no-go gate between them.",
            "About crawl, walk and run",
        ),
        es=(
            "Gatear, Caminar, Correr",
            "Tres fases con plazo máximo y la decisión de avanzar o no avanzar entre ellas.",
            "Acerca de las fases Gatear, Caminar y Correr",
        ),
    ),
    _section(
        "claim-and-boundary",
        en=(
            "The claim and the boundary line",
            "Two sentences that say what a partnership should prove, and what it cannot.",
            "About the claim and the boundary line",
        ),
        es=(
            "La hipótesis y la declaración de límites",
            "Dos frases: qué debe demostrar la alianza y qué no puede demostrar.",
            "Acerca de la hipótesis y la declaración de límites",
        ),
    ),
    _section(
        "fit-card",
        en=(
            "The Partner Fit Card",
            "Capability, incentives, integration, evidence and the exit path on one card.",
            "About the Partner Fit Card",
        ),
        es=(
            "La Ficha de adecuación del socio",
            "Capacidad, incentivos, integración, evidencia y ruta de salida en una ficha.",
            "Acerca de la Ficha de adecuación del socio",
        ),
    ),
    _section(
        "charter",
        en=(
            "The Partnership Charter",
            "The written agreement both sides sign before launch, sealed so it stays intact.",
            "About the Partnership Charter",
        ),
        es=(
            "El Acta de la alianza",
            "El acuerdo escrito que ambas partes firman antes del lanzamiento, con sello.",
            "Acerca del Acta de la alianza",
        ),
    ),
    _section(
        "evidence-log",
        en=(
            "The Evidence Log",
            "An append-only record of what was observed, how good it is and what it limits.",
            "About the evidence log",
        ),
        es=(
            "El Registro de evidencias",
            "Un registro al que solo se añade: qué se observó, cuánto vale y sus limitaciones.",
            "Acerca del registro de evidencias",
        ),
    ),
    _section(
        "sufficiency",
        en=(
            "Evidence sufficiency",
            "How much evidence a commitment needs, rising with the depth of dependency.",
            "About evidence sufficiency",
        ),
        es=(
            "Suficiencia de la evidencia",
            "Cuánta evidencia exige un compromiso, según el grado de dependencia.",
            "Acerca de la suficiencia de la evidencia",
        ),
    ),
    _section(
        "health-reviews",
        en=(
            "Health reviews",
            "The weekly three questions, the health colour and what happens when one is missed.",
            "About health reviews",
        ),
        es=(
            "Revisiones de salud",
            "Las tres preguntas semanales, el color de salud y qué ocurre si falta una.",
            "Acerca de las revisiones de salud",
        ),
    ),
    _section(
        "deferral-and-unwind",
        en=(
            "Deferral and unwind",
            "Waiting by default when evidence is unclear, and leaving in an orderly way.",
            "About deferral and unwind triggers",
        ),
        es=(
            "Aplazamiento y salida ordenada",
            "Esperar por defecto si la evidencia no es clara, y salir con orden.",
            "Acerca de las condiciones de aplazamiento y de salida ordenada",
        ),
    ),
    _section(
        "warning-signs",
        en=(
            "Warning signs",
            "The patterns Accord flags on a partnership and on the dashboard.",
            "About the warning signs",
        ),
        es=(
            "Señales de alerta",
            "Los patrones que Accord señala en cada alianza y en el panel.",
            "Acerca de las señales de alerta",
        ),
    ),
    _section(
        "curated-or-open",
        en=(
            "Curated or open programs",
            "Admitting every partner by hand, or letting anyone join and earning trust.",
            "About curated and open programs",
        ),
        es=(
            "Programas selectivos o abiertos",
            "Admitir a cada socio uno a uno, o dejar entrar a todos y ganar la confianza.",
            "Acerca de los programas selectivos y abiertos",
        ),
    ),
    _section(
        "partner-room",
        en=(
            "The partner room",
            "What the partner sees, answers and confirms from their own side.",
            "About the partner room",
        ),
        es=(
            "El espacio del socio",
            "Lo que el socio ve, responde y confirma desde su lado.",
            "Acerca del espacio del socio",
        ),
    ),
)

SLUGS: tuple[str, ...] = tuple(s.slug for s in SECTIONS)
_BY_SLUG = {s.slug: s for s in SECTIONS}


def get_section(slug: str) -> Section | None:
    return _BY_SLUG.get(slug)


def neighbours(slug: str) -> tuple[Section | None, Section | None]:
    """The sections before and after ``slug``, in reading order (for the page's footer)."""
    i = SLUGS.index(slug)
    before = SECTIONS[i - 1] if i > 0 else None
    after = SECTIONS[i + 1] if i + 1 < len(SECTIONS) else None
    return before, after
