from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.static import serve

from urbangrid.core import views as core_views

from .api import api

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("geo/", include("urbangrid.geo.urls")),
    path("cases/", include("urbangrid.cases.urls")),
    path("evaluation/", include("urbangrid.evaluation.urls")),
    path("field/", include("urbangrid.intake.field.urls")),
    path("citizen/", include("urbangrid.intake.citizen.urls")),
    path("hotline/", include("urbangrid.intake.hotline.urls")),
    path("open311/v2/", include("urbangrid.intake.open311.urls")),
    path("command/", include("urbangrid.command.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Media go through Django only in the embedded mode; production serves them from storage.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]
