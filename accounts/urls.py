from django.urls import path

from .sso import views as sso
from .views import invitations, members, organization

app_name = "accounts"

urlpatterns = [
    path("new/", organization.onboarding, name="onboarding"),
    path("switch/<uuid:org_uuid>/", organization.switch, name="switch"),
    path("settings/", organization.organization_settings, name="settings"),
    path("me/", organization.profile, name="profile"),
    path("sso/", sso.single_sign_on, name="sso"),
    path("sso/remove/", sso.remove, name="sso_remove"),
    path("members/", members.members, name="members"),
    path("members/invite/", members.invite, name="invite"),
    path("members/<uuid:membership_uuid>/role/", members.change_role, name="change_role"),
    path("members/<uuid:membership_uuid>/remove/", members.remove_member, name="remove_member"),
    path(
        "invitations/<uuid:invitation_uuid>/revoke/",
        members.revoke_invitation,
        name="revoke_invitation",
    ),
    path("invitations/accept/<str:token>/", invitations.accept, name="invitation_accept"),
]
