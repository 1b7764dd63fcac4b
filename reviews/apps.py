from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Its panels are listed in ``partnerships.extensions``."""

    name = "reviews"
    verbose_name = "Health reviews"
