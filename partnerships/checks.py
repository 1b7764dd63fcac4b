"""System check: every panel and gate listed in ``partnerships.extensions`` can be used.

The list names functions of other apps by dotted path; a path that no longer imports (a module
split, a function renamed) is reported by ``manage.py check`` (and so by ``runserver`` and
``migrate``) instead of on the first page view that needs it.
"""

from __future__ import annotations

from django.core import checks

from .extensions import REGISTRIES


@checks.register()
def extensions_resolve(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(problem, obj="partnerships.extensions", id="partnerships.E001")
        for registry in REGISTRIES
        for problem in registry.problems()
    ]
