from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("", views.log, name="log"),
    path("new/", views.entry_new, name="entry_new"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.pdf", views.export_pdf, name="export_pdf"),
    path("policy/", views.policy_update, name="policy"),
    path("entries/<uuid:uuid>/", views.entry_detail, name="entry_detail"),
    path("entries/<uuid:uuid>/correct/", views.entry_correct, name="entry_correct"),
    path("entries/<uuid:uuid>/file/", views.entry_file, name="entry_file"),
    path("partnerships/<uuid:uuid>/", views.partnership_log, name="partnership_log"),
    path("partnerships/<uuid:uuid>/decide/", views.decision_new, name="decision_new"),
    path("decisions/<uuid:uuid>/", views.decision_detail, name="decision_detail"),
    path("decisions/<uuid:uuid>/review/", views.decision_review_view, name="decision_review"),
]
