from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from api.main import api as api_v1
from core.i18n import set_language
from partnerships.views.dashboard import dashboard as dashboard_view

urlpatterns = [
    path("", include("partnerships.urls")),
    path("dashboard/", dashboard_view, name="dashboard"),
    path("accounts/", include("allauth.urls")),
    path("org/api-tokens/", include("api.urls")),
    path("org/webhooks/", include("webhooks.urls")),
    path("org/", include("accounts.urls")),
    path("api/", api_v1.urls),
    path("fit-cards/", include("fitcards.urls")),
    path("evidence/", include("evidence.urls")),
    path("charters/", include("charters.urls")),
    path("reviews/", include("reviews.urls")),
    path("ops/", include("notifications.urls")),
    path("", include("programs.urls")),
    path("guide/", include("guide.urls")),
    path("language/", set_language, name="set_language"),
    path("", include("partnerroom.urls")),
]
if settings.ADMIN_URL:  # staff only (config.middleware.StaffOnlyAdminMiddleware)
    urlpatterns.append(path(settings.ADMIN_URL, admin.site.urls))

handler403 = "accounts.views.errors.permission_denied"
handler404 = "accounts.views.errors.page_not_found"
handler500 = "accounts.views.errors.server_error"
