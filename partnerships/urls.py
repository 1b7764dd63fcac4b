from django.urls import path

from .views import dashboard

app_name = "partnerships"

urlpatterns = [
    path("", dashboard.home, name="home"),
]
