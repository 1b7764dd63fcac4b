"""Fit card pages, one module per part a reader looks for.

* ``cards`` — the list, a card, its history and the comparison of two revisions;
* ``editing`` — the guided flow: steps, autosave, finish and discard;
* ``documents`` — the card as a PDF and the blank printable templates.

Views stay thin: fetch through ``selectors`` (organization-scoped), validate with the step
forms, write through ``services``, render.
"""
