from django.apps import AppConfig


class FitcardsConfig(AppConfig):
    """Its panels are listed in ``partnerships.extensions``."""

    name = "fitcards"
    verbose_name = "Fit cards"
