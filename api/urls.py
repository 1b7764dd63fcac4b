from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("new/", views.token_new, name="token_new"),
    path("<uuid:token_uuid>/revoke/", views.token_revoke_view, name="token_revoke"),
]
