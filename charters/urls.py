from django.urls import path

from .views import language, pages, signing, verify

app_name = "charters"

urlpatterns = [
    path("", pages.charter_list, name="list"),
    path("verify/", verify.verify, name="verify"),
    path("p/<uuid:partnership_uuid>/", pages.charter_detail, name="detail"),
    path("p/<uuid:partnership_uuid>/edit/", pages.charter_edit, name="edit"),
    path("p/<uuid:partnership_uuid>/compare/", pages.charter_compare, name="compare"),
    path("v/<uuid:version_uuid>/send/", pages.charter_send, name="send"),
    path("v/<uuid:version_uuid>/document.pdf", pages.version_document, name="document"),
    path("v/<uuid:version_uuid>/language/", language.version_language, name="version_language"),
    path("r/<uuid:request_uuid>/void/", pages.request_void, name="void"),
    path("r/<uuid:request_uuid>/executed.pdf", pages.executed_document, name="executed_pdf"),
    path("signer/<uuid:signer_uuid>/remind/", pages.signer_remind, name="remind"),
    # A member of ours signing while logged in.
    path("signer/<uuid:signer_uuid>/", signing.page_as_member, name="sign_member"),
    path(
        "signer/<uuid:signer_uuid>/consent/",
        signing.consent_as_member,
        name="sign_member_consent",
    ),
    path(
        "signer/<uuid:signer_uuid>/code/",
        signing.send_code_as_member,
        name="sign_member_send_code",
    ),
    path(
        "signer/<uuid:signer_uuid>/code/verify/",
        signing.verify_code_as_member,
        name="sign_member_verify_code",
    ),
    path("signer/<uuid:signer_uuid>/sign/", signing.sign_as_member, name="sign_member_sign"),
    path(
        "signer/<uuid:signer_uuid>/decline/",
        signing.decline_as_member,
        name="sign_member_decline",
    ),
    # A signer's personal link.
    path("sign/<str:token>/", signing.page_by_link, name="sign"),
    path("sign/<str:token>/consent/", signing.consent_by_link, name="sign_consent"),
    path("sign/<str:token>/code/", signing.send_code_by_link, name="sign_send_code"),
    path("sign/<str:token>/code/verify/", signing.verify_code_by_link, name="sign_verify_code"),
    path("sign/<str:token>/sign/", signing.sign_by_link, name="sign_sign"),
    path("sign/<str:token>/decline/", signing.decline_by_link, name="sign_decline"),
    path("sign/<str:token>/document.pdf", signing.sign_document, name="sign_document"),
    path("sign/<str:token>/executed.pdf", signing.sign_executed, name="sign_executed"),
]
