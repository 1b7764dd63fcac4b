from django.urls import path

from .views import pages, signing, verify

app_name = "charters"

urlpatterns = [
    path("", pages.charter_list, name="list"),
    path("verify/", verify.verify, name="verify"),
    path("p/<uuid:partnership_uuid>/", pages.charter_detail, name="detail"),
    path("p/<uuid:partnership_uuid>/edit/", pages.charter_edit, name="edit"),
    path("p/<uuid:partnership_uuid>/compare/", pages.charter_compare, name="compare"),
    path("v/<uuid:version_uuid>/send/", pages.charter_send, name="send"),
    path("v/<uuid:version_uuid>/document.pdf", pages.version_document, name="document"),
    path("r/<uuid:request_uuid>/void/", pages.request_void, name="void"),
    path("r/<uuid:request_uuid>/executed.pdf", pages.executed_document, name="executed_pdf"),
    path("signer/<uuid:signer_uuid>/", signing.sign_as_member, name="sign_member"),
    path("signer/<uuid:signer_uuid>/remind/", pages.signer_remind, name="remind"),
    path("sign/<str:token>/", signing.sign_by_link, name="sign"),
    path("sign/<str:token>/document.pdf", signing.sign_document, name="sign_document"),
    path("sign/<str:token>/executed.pdf", signing.sign_executed, name="sign_executed"),
]
