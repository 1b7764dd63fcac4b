from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """Its panels and its sufficiency gate are listed in ``partnerships.extensions``."""

    name = "evidence"
    verbose_name = "Partnership Evidence Log"
