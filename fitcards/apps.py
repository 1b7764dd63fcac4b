from django.apps import AppConfig


class FitcardsConfig(AppConfig):
    name = "fitcards"
    verbose_name = "Fit cards"

    def ready(self) -> None:
        from partnerships.extensions import register_dashboard_panel, register_partnership_panel

        from .panels import dashboard_panel, partnership_panel

        register_partnership_panel("fitcards", partnership_panel, order=10)
        register_dashboard_panel("fitcards", dashboard_panel, order=30)
