from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    """Partners, partnerships, the decision flows and the launch plan.

    Other apps' panels and phase gates are listed in ``partnerships.extensions``; ``ready``
    only registers the system check that every listed path imports.
    """

    name = "partnerships"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system check)
