from django.apps import AppConfig


class ChartersConfig(AppConfig):
    """Its panels and its gate (rule 3) are listed in ``partnerships.extensions``."""

    name = "charters"
