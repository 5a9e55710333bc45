"""The field app's pages: the app shell (one page, the phone does the rest), its web app
manifest and its service worker, which must live at /field/sw.js to control /field/."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .access import is_supervisor
from .strings import strings

# How often the phone sends its position while on duty, and polls for new tasks (seconds).
POSITION_SECONDS = 30
TASK_POLL_SECONDS = 5


def _field_setting(name: str, default: int) -> int:
    return int(settings.URBANGRID.get(name, default))


@never_cache
def app(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_supervisor(request.user):
        return render(request, "intake/field/refused.html", status=403)
    config = {
        "api": "/api/v1/field",
        "geoApi": "/api/v1/geo",
        "componentsApi": "/api/v1/components",
        "swUrl": reverse("field:sw"),
        "positionSeconds": _field_setting("FIELD_POSITION_SECONDS", POSITION_SECONDS),
        "pollSeconds": _field_setting("FIELD_TASK_POLL_SECONDS", TASK_POLL_SECONDS),
        "basemap": {
            "url": settings.URBANGRID.get("BASEMAP_URL", ""),
            "attribution": settings.URBANGRID.get("BASEMAP_ATTRIBUTION", ""),
        },
        "user": request.user.username,
        "strings": strings(),
    }
    return render(request, "intake/field/app.html", {"field_config": config})


def manifest(request):
    body = {
        "name": _("UrbanGrid field app"),
        "short_name": _("Field app"),
        "description": _("Report, verify and check city problems on the spot."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("field:app"),
        "scope": reverse("field:app"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f4f6f8",
        "theme_color": "#0b5cad",
        "icons": [
            {"src": static(f"intake/field/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ],
    }
    return JsonResponse(
        body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# Everything the app's own folder holds (scripts, styles, icons) plus the vendored map library.
SHELL_FILES = (
    *sorted(
        str(p.relative_to(STATIC_DIR)) for p in (STATIC_DIR / "intake" / "field").iterdir() if p.is_file()
    ),
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
)


@never_cache
def service_worker(request):
    shell = [reverse("field:app"), reverse("field:manifest"), *(static(f) for f in SHELL_FILES)]
    response = render(
        request,
        "intake/field/sw.js",
        {"shell": json.dumps(shell), "version": _shell_version(shell)},
        content_type="application/javascript",
    )
    response["Service-Worker-Allowed"] = reverse("field:app")
    return response


def _shell_version(shell: list[str]) -> str:
    digest = hashlib.sha256()
    for name in SHELL_FILES:
        path = finders.find(name)
        if path:
            with open(path, "rb") as f:
                digest.update(f.read())
    digest.update("|".join(shell).encode())
    return digest.hexdigest()[:12]
