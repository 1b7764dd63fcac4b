from django.apps import AppConfig


class FitcardsConfig(AppConfig):
    name = "fitcards"
    verbose_name = "Fit cards"

    def ready(self) -> None:
        from partnerships.extensions import register_partnership_panel

        from .panels import partnership_panel

        register_partnership_panel("fitcards", partnership_panel, order=10)
