"""``{% guide_link "slug" %}``: the "?" beside a field or panel that opens its guide section.

    {% load guide %}
    <label for="id_dependency">Dependency</label> {% guide_link "sufficiency" %}

renders ``<a class="guide-link" href="/guide/sufficiency/" aria-label="About evidence
sufficiency" title="…">?</a>``, the label in the active language. ``{% guide_url "slug" %}``
gives the bare URL (for links inside prose). A slug written literally in a template is checked
when the template is compiled, so a typo fails the first test that renders the page instead of
linking to a missing section; the slugs are listed in ``guide.sections.SLUGS``.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html

from guide.sections import SLUGS, get_section, guide_language

register = template.Library()


def _slug_argument(parser, token) -> template.base.FilterExpression:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: a guide section slug.")
    literal = bits[1]
    if literal[:1] in "\"'" and literal[-1:] == literal[:1]:
        slug = literal[1:-1]
        if slug not in SLUGS:
            raise template.TemplateSyntaxError(
                f"{bits[0]}: no guide section {slug!r}; choose one of {', '.join(SLUGS)}."
            )
    return parser.compile_filter(literal)


class _GuideNode(template.Node):
    def __init__(self, slug: template.base.FilterExpression, *, link: bool):
        self.slug = slug
        self.link = link

    def render(self, context) -> str:
        section = get_section(str(self.slug.resolve(context)))
        if section is None:  # a slug from a variable that names no section: show no link
            return ""
        url = reverse("guide:section", kwargs={"slug": section.slug})
        if not self.link:
            return url
        label = section.about[guide_language(translation.get_language())]
        return format_html(
            '<a class="guide-link" href="{}" aria-label="{}" title="{}">?</a>', url, label, label
        )


@register.tag
def guide_link(parser, token):
    """An accessible "?" link to a guide section (see the module docstring)."""
    return _GuideNode(_slug_argument(parser, token), link=True)


@register.tag
def guide_url(parser, token):
    """The URL of a guide section."""
    return _GuideNode(_slug_argument(parser, token), link=False)
