"""Text as a fit card takes it: any Unicode a person writes, no control characters, a limit.

The step forms refuse what cannot be stored with a message that says which character and
where; the draft, which keeps what was typed even when it does not validate, keeps a cleaned
copy instead (``draft_input``) and says what it changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

# Every C0 and C1 control character except tab, line feed and carriage return (which a
# textarea sends). Nobody types them; PostgreSQL cannot store NUL at all (a JSON draft or a
# text column refuses it), and the others only hide text or confuse a terminal or a PDF.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# How much of a value that is not free text (a choice, a date, a member's id) a draft keeps.
SHORT_VALUE_LENGTH = 100


def refuse_control_characters(value: str) -> None:
    """A clear message instead of a database error: say which character, and where."""
    found = CONTROL_CHARACTERS.search(value or "")
    if found:
        raise ValidationError(
            "This text contains a control character (U+%(code)04X) at position %(position)d "
            "that cannot be stored: remove it.",
            code="control_character",
            params={"code": ord(found.group()), "position": found.start() + 1},
        )


class CardTextField(forms.CharField):
    """A card's text: any Unicode a person writes, no control characters, a length limit."""

    default_validators = [refuse_control_characters]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Our validator names NUL too; Django's own would say it a second time.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


@dataclass
class DraftInput:
    """A step's input made safe to keep in a draft, and what had to change to make it so."""

    values: dict[str, str] = field(default_factory=dict)
    stripped: list[str] = field(default_factory=list)  # labels: control characters removed
    cut: list[str] = field(default_factory=list)  # labels: cut to the field's length limit

    @property
    def notice(self) -> str:
        """What the person should know about the text that was kept (empty when nothing)."""
        parts = []
        if self.stripped:
            parts.append(
                "Invisible control characters were removed from: " + ", ".join(self.stripped) + "."
            )
        if self.cut:
            parts.append("Text over the length limit was cut in: " + ", ".join(self.cut) + ".")
        return " ".join(parts)


def draft_input(form: forms.Form, data) -> DraftInput:
    """The values of ``form``'s fields in ``data``, as a draft may store them unvalidated.

    A draft keeps what was typed even when it does not validate (going back or closing the
    browser must not lose it), so it cannot rely on the form to refuse what the database
    cannot hold: control characters are removed and each value is cut to its field's limit.
    A repeated key counts by its last value, as the form reads it.
    """
    result = DraftInput()
    for name, form_field in form.fields.items():
        raw = data.get(name, "")
        value = "" if raw is None else str(raw)
        cleaned = CONTROL_CHARACTERS.sub("", value)
        if cleaned != value:
            result.stripped.append(str(form_field.label or name))
        limit = getattr(form_field, "max_length", None) or SHORT_VALUE_LENGTH
        if len(cleaned) > limit:
            cleaned = cleaned[:limit]
            result.cut.append(str(form_field.label or name))
        result.values[name] = cleaned
    return result
