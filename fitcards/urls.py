from django.urls import path

from .views import cards, documents, editing

app_name = "fitcards"

urlpatterns = [
    path("", cards.index, name="index"),
    path("templates/partner-fit-card.pdf", documents.blank_fitcard, name="blank_fitcard"),
    path(
        "templates/partnership-evidence-log.pdf",
        documents.blank_evidence_log,
        name="blank_evidence_log",
    ),
    path("<uuid:partnership_uuid>/", cards.detail, name="detail"),
    path("<uuid:partnership_uuid>/edit/", editing.edit, name="edit"),
    path("<uuid:partnership_uuid>/edit/<slug:step>/", editing.step, name="step"),
    path("<uuid:partnership_uuid>/edit/<slug:step>/autosave/", editing.autosave, name="autosave"),
    path("<uuid:partnership_uuid>/finish/", editing.finish, name="finish"),
    path("<uuid:partnership_uuid>/discard/", editing.discard, name="discard"),
    path("<uuid:partnership_uuid>/history/", cards.history, name="history"),
    path("<uuid:partnership_uuid>/history/compare/", cards.compare, name="compare"),
    path("<uuid:partnership_uuid>/pdf/", documents.card_pdf, name="pdf"),
    path("<uuid:partnership_uuid>/pdf/<uuid:pdf_uuid>/", documents.pdf_file, name="pdf_file"),
]
