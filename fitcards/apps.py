from django.apps import AppConfig


class FitcardsConfig(AppConfig):
    name = "fitcards"
