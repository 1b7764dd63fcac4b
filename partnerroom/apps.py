from django.apps import AppConfig


class PartnerroomConfig(AppConfig):
    name = "partnerroom"
    verbose_name = "Partner room"
