from django.urls import path

from .views import decisions, entries, exports, log, partner

app_name = "evidence"

urlpatterns = [
    path("", log.log, name="log"),
    path("new/", entries.entry_new, name="entry_new"),
    path("export/csv/", exports.export_csv, name="export_csv"),
    path("export/pdf/", exports.export_pdf, name="export_pdf"),
    path("exports/<uuid:export_uuid>/", exports.export_status, name="export_status"),
    path("exports/<uuid:export_uuid>/file/", exports.export_file, name="export_file"),
    path("policy/", decisions.policy_update, name="policy"),
    path("entries/<uuid:uuid>/", entries.entry_detail, name="entry_detail"),
    path("entries/<uuid:uuid>/correct/", entries.entry_correct, name="entry_correct"),
    path("entries/<uuid:uuid>/file/", entries.entry_file, name="entry_file"),
    path("entries/<uuid:uuid>/accept/", partner.entry_accept, name="entry_accept"),
    path("partnerships/<uuid:uuid>/", log.partnership_log, name="partnership_log"),
    path("partnerships/<uuid:uuid>/decide/", decisions.decision_new, name="decision_new"),
    path("decisions/<uuid:uuid>/", decisions.decision_detail, name="decision_detail"),
    path("decisions/<uuid:uuid>/review/", decisions.decision_review_view, name="decision_review"),
]
