"""The demo app: the ``seed_demo`` command and the demo content (see the package docstring)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = "Demo data"
