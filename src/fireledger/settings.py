"""Configuration from environment variables; fail fast on anything unsafe.

FIRELEDGER_DEBUG=1        development mode (the Makefile sets it for `make run` and tests)
FIRELEDGER_BASE_URL       the site's address, for links in webhook messages (optional)
FIRELEDGER_SECRET_KEY     required unless DEBUG
DATABASE_URL              default: embedded SQLite at var/fireledger.sqlite3
FIRELEDGER_ALLOWED_HOSTS  comma separated, default 127.0.0.1,localhost
FIRELEDGER_DATA_DIR       where SQLite, uploads and exports live, default <repo>/var
FIRELEDGER_MAP_TILE_URL   the dashboards' map tiles ({z}/{x}/{y}); empty: no tiles, places only
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("FIRELEDGER_DATA_DIR", REPO_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("FIRELEDGER_DEBUG", "") in {"1", "true", "yes"}
SECRET_KEY = os.environ.get("FIRELEDGER_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("FIRELEDGER_SECRET_KEY must be set when FIRELEDGER_DEBUG is off")
    SECRET_KEY = "dev-only-not-secret"
ALLOWED_HOSTS = os.environ.get("FIRELEDGER_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "huey.contrib.djhuey",
    "fireledger.core",
    "fireledger.places",
    "fireledger.hazards",
    "fireledger.inspections",
    "fireledger.campaigns",
    "fireledger.public",
    "fireledger.reports",
    "fireledger.documents",
    "fireledger.exports",
    "fireledger.risk",
    "fireledger.duties",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fireledger.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fireledger.urls"
WSGI_APPLICATION = "fireledger.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "fireledger.core.context_processors.scope",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'fireledger.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during an import; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Kept open between requests: reopening the file and reading its schema costs ~2.5 ms a
    # request, most of the public page's time (bench/bench_public.py).
    DATABASES["default"]["CONN_MAX_AGE"] = 600
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",  # fireledger/app.css: the project package is not an installed app
    ("vendor/tabler", REPO_DIR / "node_modules/@tabler/core/dist"),
    ("vendor/htmx", REPO_DIR / "node_modules/htmx.org/dist"),
    ("vendor/echarts", REPO_DIR / "node_modules/echarts/dist"),
    ("vendor/leaflet", REPO_DIR / "node_modules/leaflet/dist"),
]
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = True

# Uploads: imports are read from disk, never from memory, and capped in size.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FIRELEDGER_IMPORT_MAX_BYTES = int(os.environ.get("FIRELEDGER_IMPORT_MAX_BYTES", 50 * 1024 * 1024))

FIRELEDGER_BASE_URL = os.environ.get("FIRELEDGER_BASE_URL", "")  # links in webhook messages
# The dashboards' map: a tile URL template ({z}/{x}/{y}) and its attribution. Empty (the default):
# no tiles are fetched and the map draws places over the streets' outline only.
FIRELEDGER_MAP_TILE_URL = os.environ.get("FIRELEDGER_MAP_TILE_URL", "")
FIRELEDGER_MAP_ATTRIBUTION = os.environ.get("FIRELEDGER_MAP_ATTRIBUTION", "")
FIRELEDGER_EXPORT_KEEP_DAYS = int(os.environ.get("FIRELEDGER_EXPORT_KEEP_DAYS", 7))  # then deleted
FIRELEDGER_PHOTO_MAX_BYTES = int(os.environ.get("FIRELEDGER_PHOTO_MAX_BYTES", 10 * 1024 * 1024))

# Jobs: Huey on SQLite by default (no broker on a laptop); `fireledger run_huey` is the consumer
# (make run starts one). FIRELEDGER_HUEY_IMMEDIATE=1 runs tasks in-process (the tests).
HUEY = {
    "huey_class": "huey.SqliteHuey",
    "name": "fireledger",
    "filename": str(DATA_DIR / "huey.sqlite3"),
    "immediate": os.environ.get("FIRELEDGER_HUEY_IMMEDIATE", "") in {"1", "true", "yes"},
    "utc": False,
    "consumer": {"workers": 1, "worker_type": "thread"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
