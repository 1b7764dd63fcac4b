from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    """Partner programs: applications, the review queue or open admission, trust signals and
    the public directory. Registers no panels or gates itself (see the README of the plan)."""

    name = "programs"
    verbose_name = "Partner programs"
