from django.urls import path

from .views import calendar, reviews

app_name = "reviews"

urlpatterns = [
    path("", reviews.review_list, name="list"),
    path("<uuid:uuid>/", reviews.review_detail, name="review"),
    path("partnership/<uuid:uuid>/", reviews.partnership_history, name="history"),
    path(
        "disagreements/<uuid:uuid>/resolve/",
        reviews.disagreement_resolve,
        name="disagreement_resolve",
    ),
    path("calendar/", calendar.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="feed"),
]
