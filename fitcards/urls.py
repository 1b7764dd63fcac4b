from django.urls import path

from . import views

app_name = "fitcards"

urlpatterns = [
    path("", views.index, name="index"),
    path("templates/partner-fit-card.pdf", views.blank_fitcard, name="blank_fitcard"),
    path(
        "templates/partnership-evidence-log.pdf",
        views.blank_evidence_log,
        name="blank_evidence_log",
    ),
    path("<uuid:partnership_uuid>/", views.detail, name="detail"),
    path("<uuid:partnership_uuid>/edit/", views.edit, name="edit"),
    path("<uuid:partnership_uuid>/edit/<slug:step>/", views.step, name="step"),
    path("<uuid:partnership_uuid>/edit/<slug:step>/autosave/", views.autosave, name="autosave"),
    path("<uuid:partnership_uuid>/finish/", views.finish, name="finish"),
    path("<uuid:partnership_uuid>/discard/", views.discard, name="discard"),
    path("<uuid:partnership_uuid>/history/", views.history, name="history"),
    path("<uuid:partnership_uuid>/history/compare/", views.compare, name="compare"),
    path("<uuid:partnership_uuid>/fit-card.pdf", views.card_pdf, name="pdf"),
]
