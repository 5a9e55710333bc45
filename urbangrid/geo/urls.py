from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("map/", views.map_page, name="map"),
]
