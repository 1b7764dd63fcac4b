from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoints, name="endpoints"),
    path("new/", views.endpoint_new, name="endpoint_new"),
    path("<uuid:endpoint_uuid>/", views.endpoint_detail, name="endpoint"),
    path("<uuid:endpoint_uuid>/rotate/", views.endpoint_rotate, name="endpoint_rotate"),
    path("<uuid:endpoint_uuid>/test/", views.endpoint_test, name="endpoint_test"),
    path("<uuid:endpoint_uuid>/delete/", views.endpoint_remove, name="endpoint_delete"),
    path("deliveries/<uuid:delivery_uuid>/resend/", views.delivery_resend_view, name="resend"),
]
