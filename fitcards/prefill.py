"""A new fit card starts from what the partnership already says, and says so.

The partnership form already asks for the claim's capability C and uncertainty X and for an
exit path; asking for them again on an empty card makes people type the same thing twice,
and lets the two drift apart. So an empty card field is prefilled from the partnership, and
the step shows where the text came from for as long as it is unchanged: a prefilled value
that nobody has read yet must not pass for the card author's own words.
"""

from __future__ import annotations

import re

from .card import clean_str

# Kept in a draft's data next to the form values (never a form field name).
SOURCES_KEY = "_prefilled"

# card field -> (partnership attribute, where the text came from, as the step says it)
FROM_CLAIM = {
    "capability_provided": ("claim_capability", "the partnership's claim (Capability C)"),
    "uncertainty_reduced": ("claim_uncertainty", "the partnership's claim (Uncertainty X)"),
}
EXIT_PATH_SOURCE = "the partnership's exit path"

# The paragraph ``presentation.exit_path_summary`` writes when a card is finished.
_SUMMARY = re.compile(
    r"^Time to exit: (?P<exit_time>.*?)\. Cost to exit: (?P<exit_cost>.*?)\. "
    r"Data portability: (?P<exit_data_portability>.*)\.$",
    re.DOTALL,
)


def split_exit_path(text: str) -> dict[str, str]:
    """The exit path as time, cost and portability.

    A summary written by an earlier card splits back into its three parts. Text a person
    wrote on the partnership form has no such parts: it usually leads with how long leaving
    takes, so it all goes to the time, where the person can split it.
    """
    text = clean_str(text)
    if not text:
        return {}
    found = _SUMMARY.match(text)
    if found is None:
        return {"exit_time": text}
    return {key: value for key, value in found.groupdict().items() if value.strip() != "…"}


def prefill_from_partnership(raw: dict, partnership) -> dict:
    """``raw`` with its empty capability, uncertainty and exit fields taken from the
    partnership, and the source of each recorded under ``SOURCES_KEY``."""
    offers = {
        field: (clean_str(getattr(partnership, attribute, "")), source)
        for field, (attribute, source) in FROM_CLAIM.items()
    }
    for field, value in split_exit_path(partnership.exit_path).items():
        offers[field] = (clean_str(value), EXIT_PATH_SOURCE)
    result = dict(raw)
    sources: dict[str, dict[str, str]] = {}
    for field, (value, source) in offers.items():
        if value and not clean_str(result.get(field)):
            result[field] = value
            sources[field] = {"source": source, "value": value}
    if sources:
        result[SOURCES_KEY] = sources
    return result


def _same(typed, prefilled) -> bool:
    """Unchanged, allowing for what a browser does to a textarea (CRLF line ends)."""
    if not isinstance(typed, str) or not isinstance(prefilled, str):
        return False
    return typed.replace("\r\n", "\n").strip() == prefilled.replace("\r\n", "\n").strip()


def prefilled_sources(raw: dict) -> dict[str, str]:
    """Field name -> where its text came from, for the fields still as they were prefilled."""
    sources = raw.get(SOURCES_KEY)
    if not isinstance(sources, dict):
        return {}
    return {
        field: str(entry.get("source", ""))
        for field, entry in sources.items()
        if isinstance(entry, dict) and _same(raw.get(field), entry.get("value"))
    }
