"""Partners, their contacts, and our partnerships with them.

Reading order: ``models`` (what a partnership is), ``rules`` and ``dates`` (the seed's rules
and which dates make sense, as plain functions), ``trees`` (the decision trees as data),
``services`` (every write to a partner or partnership), ``timeline`` (every timeline entry),
``flows`` (recording a decision flow's outcome), ``launch`` (the launch checklist),
``selectors`` (the reads behind each page), ``sentences`` (the seed sentences composed from
what people wrote), ``extensions`` and ``gates`` (the other apps' panels and phase gates, by
dotted path), ``views/`` (one module per page group).
"""
