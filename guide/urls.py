from django.urls import path

from . import views

app_name = "guide"

urlpatterns = [
    path("", views.index, name="index"),
    path("walkthrough/<str:name>", views.walkthrough_file, name="walkthrough_file"),
    path("<slug:slug>/", views.section, name="section"),
]
