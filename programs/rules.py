"""The seed's rule 1 applied to an application, before any partnership exists."""

from __future__ import annotations

from partnerships.rules import is_handshake, loses_nothing


def application_is_handshake(application) -> bool:
    """Rule 1, the handshake check, on an applicant's answers.

    "If this partnership fails, what does each side lose?" At application time our side has
    committed nothing yet, so the check turns on the applicant's answer: if they would lose
    nothing either, both sides can walk away at zero cost and it is a handshake, not a
    partnership. The same check runs on the proposed partnership made from it (its
    ``we_lose`` starts empty), so the flag the reviewer sees here is the one the partnership
    will carry until someone writes what we stand to lose.
    """
    return is_handshake(we_lose="", partner_loses=application.they_lose)


def answer_says_nothing(text: str) -> bool:
    """Whether an answer to "what would you lose?" amounts to nothing (shown to reviewers)."""
    return loses_nothing(text)
