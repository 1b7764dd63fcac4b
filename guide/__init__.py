"""The guide at /guide/: the method as Accord applies it, in English and in Spanish.

Readable by anyone, signed in or not: it explains the method and holds no organization data.

Why one template per section and language (``templates/guide/<lang>/<slug>.html``) and not
``{% blocktranslate %}`` with the gettext catalogue: the sections are long prose. A translator
writes a whole Spanish page that reads naturally, reorders sentences and paragraphs as Spanish
wants, and sees the context; a catalogue would cut the prose into message ids that go fuzzy at
every English edit and read as sentence-by-sentence translation. Each language's page is
reviewed as one file. The short strings around the prose (titles, summaries, the "?" labels,
navigation) sit beside the section slugs in ``guide.sections`` and ``guide.labels`` in both
languages, so the guide is whole in Spanish whether or not a catalogue is compiled. The
vocabulary follows ``locale/GLOSSARY.md``.

Other pages link a "?" to a section with ``{% load guide %}{% guide_link "evidence-log" %}``;
``guide.sections.SLUGS`` lists the slugs. The walkthrough video is built by ``make walkthrough``
(``walkthrough/record.py``) into ``WALKTHROUGH_DIR`` and served by ``guide.media``.
"""
