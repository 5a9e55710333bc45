"""Settings, read from environment variables so one build serves the demo and production.

DATABASE_URL              default sqlite:///<var>/urbangrid.sqlite3
URBANGRID_SECRET_KEY      required in production (`urbangrid check --deploy` flags the fallback)
URBANGRID_DEBUG           "1" for development
URBANGRID_ALLOWED_HOSTS   comma-separated host names
URBANGRID_VAR_DIR         where the SQLite file and media files live (default: var/ of the checkout)
URBANGRID_MEDIA_STORAGE   Django storage backend for photos and evidence (default: local disk)
URBANGRID_BASEMAP_URL     Leaflet tile URL template of a base map (empty: our own vector layers only)
"""

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# A source checkout keeps its data beside the code, wherever the command runs from.
_CHECKOUT = PACKAGE_DIR.parent
VAR_DIR = Path(
    os.environ.get(
        "URBANGRID_VAR_DIR",
        _CHECKOUT / "var" if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd() / "var",
    )
).resolve()

DEBUG = os.environ.get("URBANGRID_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("URBANGRID_SECRET_KEY", "django-insecure-urbangrid-development-key")
ALLOWED_HOSTS = [
    h for h in os.environ.get("URBANGRID_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "urbangrid.core",
    "urbangrid.accounts",
    "urbangrid.audit",
    "urbangrid.geo",
    "urbangrid.catalog",
    "urbangrid.components",
    "urbangrid.cases",
    "urbangrid.intake",
    "urbangrid.evaluation",
    "urbangrid.command",
    "urbangrid.notify",
    "urbangrid.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "urbangrid.audit.context.OriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "urbangrid.config.urls"
WSGI_APPLICATION = "urbangrid.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "urbangrid.core.context.site",
            ],
        },
    },
]


def _database_config() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'urbangrid.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN,
        # so two writers queue instead of failing with "database is locked" on lock upgrade.
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("URBANGRID_STATIC_ROOT") or None  # embedded mode serves from the apps
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("URBANGRID_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

URBANGRID = {
    "BASEMAP_URL": os.environ.get("URBANGRID_BASEMAP_URL", ""),
    "BASEMAP_ATTRIBUTION": os.environ.get("URBANGRID_BASEMAP_ATTRIBUTION", ""),
    "API_MAX_LIMIT": 1000,
    "API_TOKEN_TTL_DAYS": int(os.environ.get("URBANGRID_API_TOKEN_TTL_DAYS", "30")),
    # Outside delivery of notifications: "log", "sms" or a dotted path (urbangrid.notify.channels).
    "NOTIFY_CHANNEL": os.environ.get("URBANGRID_NOTIFY_CHANNEL", "log"),
    # Reverse proxies whose X-Forwarded-For the audit trail believes (comma-separated addresses).
    "TRUSTED_PROXIES": [a for a in os.environ.get("URBANGRID_TRUSTED_PROXIES", "").split(",") if a],
    "SMS_GATEWAY_URL": os.environ.get("URBANGRID_SMS_GATEWAY_URL", ""),
    "SMS_GATEWAY_TOKEN": os.environ.get("URBANGRID_SMS_GATEWAY_TOKEN", ""),
    # How long an operator's claim on a case lasts without activity.
    "CLAIM_MINUTES": int(os.environ.get("URBANGRID_CLAIM_MINUTES", "15")),
    # Channels. The Open311 jurisdiction id clients must send when they send one.
    "OPEN311_JURISDICTION": os.environ.get("URBANGRID_OPEN311_JURISDICTION", "urbangrid.demo"),
    # How status changes reach the 12345 platform: a class (dotted path) with send(client, payload).
    "OUTBOUND_ADAPTER": os.environ.get(
        "URBANGRID_OUTBOUND_ADAPTER", "urbangrid.intake.outbound.WebhookSender"
    ),
    # The field app sends the supervisor's position this often while on duty.
    "FIELD_POSITION_SECONDS": int(os.environ.get("URBANGRID_FIELD_POSITION_SECONDS", "30")),
    # Reports one device or one phone number may send from the citizens' app in an hour.
    "CITIZEN_REPORTS_PER_HOUR": int(os.environ.get("URBANGRID_CITIZEN_REPORTS_PER_HOUR", "5")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("URBANGRID_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 1000
