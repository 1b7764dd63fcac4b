from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Partnership Evidence Log"

    def ready(self) -> None:
        from partnerships.extensions import register_dashboard_panel, register_partnership_panel
        from partnerships.gates import register_gate

        from .panels import evidence_dashboard_panel, evidence_partnership_panel
        from .sufficiency import evidence_sufficiency_gate

        register_gate("evidence_sufficiency", evidence_sufficiency_gate)
        register_partnership_panel("evidence", evidence_partnership_panel, order=30)
        register_dashboard_panel("evidence_approvals", evidence_dashboard_panel, order=15)
