from django.urls import path, re_path
from django.views.generic import RedirectView

from . import media, updates, views

app_name = "open311"

# Every resource takes a format suffix (.xml or .json); a missing or unknown one gets the spec's error.
FMT = r"(?:\.(?P<fmt>[^/.]*))?$"

urlpatterns = [
    path(
        "",
        RedirectView.as_view(pattern_name="open311:discovery", permanent=False),
        {"fmt": "xml"},
        name="root",
    ),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<service_code>[^/.]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/.]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/.]+)" + FMT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FMT, updates.request_updates, name="updates"),
    re_path(r"^media/(?P<sha256>[0-9a-f]{64})$", media.photo, name="media"),
]
