from django.urls import path, re_path

from . import views

app_name = "cases"
# Case numbers are digits (year + sequence), so they never clash with the named pages.
NUMBER = r"(?P<number>[0-9]{4,16})"

urlpatterns = [
    path("", views.queue_page, name="queue"),
    path("report/", views.report_page, name="report"),
    path("bulk-dispatch/", views.bulk_dispatch, name="bulk_dispatch"),
    path("requests/", views.requests_page, name="requests"),
    path("notifications/", views.notifications_page, name="notifications"),
    path("notifications/badge/", views.notification_badge, name="notification_badge"),
    re_path(rf"^{NUMBER}/$", views.case_page, name="case"),
    re_path(rf"^{NUMBER}/actions/(?P<action>[a-z_]+)/$", views.case_action, name="action"),
]
