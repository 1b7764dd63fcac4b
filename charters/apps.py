from django.apps import AppConfig


class ChartersConfig(AppConfig):
    name = "charters"

    def ready(self):
        from partnerships.extensions import register_dashboard_panel, register_partnership_panel
        from partnerships.gates import register_gate

        from . import panels

        register_gate("charter_executed", panels.charter_gate)
        register_partnership_panel("charter", panels.partnership_panel, order=30)
        register_dashboard_panel("charters", panels.dashboard_panel, order=40)
