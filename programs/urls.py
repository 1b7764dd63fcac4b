"""Partner programs. Public: apply, confirm, directory. Members: everything under programs/."""

from django.urls import path

from .views import manage, public, review, trust

app_name = "programs"

urlpatterns = [
    # public (no account)
    path("apply/<slug:org_slug>/", public.apply, name="apply"),
    path("apply/<slug:org_slug>/sent/", public.apply_sent, name="apply_sent"),
    path("confirm-application/<str:token>/", public.confirm, name="confirm"),
    path("directory/<slug:org_slug>/", public.directory, name="directory"),
    # members
    path("programs/", review.index, name="index"),
    path(
        "programs/applications/<uuid:application_uuid>/",
        review.application_detail,
        name="application",
    ),
    path(
        "programs/applications/<uuid:application_uuid>/accept/",
        review.accept,
        name="accept",
    ),
    path(
        "programs/applications/<uuid:application_uuid>/decline/",
        review.decline,
        name="decline",
    ),
    path("programs/applications/<uuid:application_uuid>/end/", review.end, name="end"),
    path("programs/settings/", manage.program_settings, name="settings"),
    path("programs/directory/", manage.directory_manage, name="directory_manage"),
    path(
        "programs/directory/<uuid:partner_uuid>/",
        manage.listing_save,
        name="listing_save",
    ),
    path(
        "programs/revisit/<uuid:suggestion_uuid>/dismiss/",
        manage.revisit_dismiss,
        name="revisit_dismiss",
    ),
    path("programs/trust/", trust.trust_list, name="trust"),
    path("programs/partners/<uuid:partner_uuid>/trust/", trust.partner_trust, name="partner_trust"),
    path("programs/capacity/", trust.capacity, name="capacity"),
    path("programs/revisit/", trust.revisit, name="revisit"),
]
