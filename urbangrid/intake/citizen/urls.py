from django.urls import path

from . import api, views

app_name = "citizen"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("follow/", views.follow, name="follow"),
    path("r/<str:code>/", views.receipt_page, name="receipt"),
    path("r/<str:code>/rate/", views.rate, name="rate"),
    path("r/<str:code>/photos/<int:pk>.jpg", views.photo, name="photo"),
    path("map/", views.map_page, name="map"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("types.json", api.types, name="types"),
    path("geocode.json", api.geocode, name="geocode"),
    path("areas.json", api.areas, name="areas"),
    path("map.json", api.map_data, name="map_data"),
    path("api/reports", api.submit, name="api_submit"),
    path("api/receipts/<str:code>", api.receipt, name="api_receipt"),
    path("api/receipts/<str:code>/rating", api.rating, name="api_rating"),
]
