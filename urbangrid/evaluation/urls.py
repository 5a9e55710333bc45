from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.ranking_page, name="ranking"),
    path("cases/", views.cases_page, name="cases"),
]
