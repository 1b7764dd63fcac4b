"""Lists of people inside a translated sentence: ``{{ signers|names_with_company }}``.

A ``{% blocktranslate %}`` sentence cannot hold a loop, so a list it names is joined first.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def names_with_company(people) -> str:
    """ "Ana Ruiz (Globex), Bo Lin (Northwind)": each person's name and company, in order."""
    return ", ".join(f"{person.name} ({person.company})" for person in people or ())
