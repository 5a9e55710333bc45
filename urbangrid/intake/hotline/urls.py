from django.urls import path

from .views import console, directives, followups

app_name = "hotline"

urlpatterns = [
    path("", console.console, name="console"),
    path("ringing/", console.ringing, name="ringing"),
    path("calls/new/", console.new_call, name="new_call"),
    path("calls/<str:call_id>/", console.call_page, name="call"),
    path("calls/<str:call_id>/answer/", console.answer, name="answer"),
    path("directives/", directives.directive_list, name="directives"),
    path("directives/new/", directives.directive_new, name="directive_new"),
    path("directives/<int:pk>/reply/", directives.directive_reply, name="directive_reply"),
    path("follow-ups/", followups.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:pk>/", followups.follow_up_record, name="follow_up_record"),
]
