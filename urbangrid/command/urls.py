from django.urls import path

from . import stream, views

app_name = "command"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("screen/", views.screen, name="screen"),
    path("patrol/", views.patrol, name="patrol"),
    path("stream/", stream.stream, name="stream"),
]
