from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Health reviews"

    def ready(self):
        from partnerships.extensions import register_dashboard_panel, register_partnership_panel

        from .panels import dashboard_panel, partnership_panel

        register_dashboard_panel("reviews", dashboard_panel, order=40)
        register_partnership_panel("reviews", partnership_panel, order=40)
