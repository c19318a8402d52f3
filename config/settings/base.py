"""Settings, all from the environment (django-environ); every variable has an embedded default.

See .env.example for the list."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="embedded-default-not-for-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "viewflow",
    "viewflow.workflow",
    "audit",
    "outbox",
    "approvals",
    "inspections",
    "sanctions",
    "credit",
    "documents",
    "workflows",
    "notifications",
    "supervision",
    "ops",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "approvals.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "approvals.context_processors.roles",
            ],
        },
    },
]

VAR_DIR = Path(env("APP_VAR_DIR", default=str(BASE_DIR / "var")))
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # embedded default: wait for a writer instead of failing at once
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# Celery: no broker configured -> tasks run eagerly in-process (embedded default)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# longer than any task may run, shorter than an operator would wait for a redelivery
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="default")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "restrictions-expire": {"task": "sanctions.tasks.restrictions_expire", "schedule": 60.0},
    "supplements-sweep": {"task": "approvals.tasks.supplements_sweep", "schedule": 300.0},
    "packages-prepare-sweep": {"task": "approvals.tasks.packages_prepare_sweep", "schedule": 300.0},
    "rectifications-sweep": {"task": "sanctions.tasks.rectifications_sweep", "schedule": 300.0},
    "credit-feed-push": {"task": "sanctions.tasks.feed_push", "schedule": 60.0},
    "obligations-overdue-sweep": {"task": "inspections.tasks.obligations_sweep_overdue", "schedule": 3600.0},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "告知承诺制审批 API / Notify-and-commit licensing API",
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",  # served locally: authorities' networks are often closed
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# A subject with no credit grade on record is checked as this grade (A-D)
CREDIT_UNGRADED_AS = env("CREDIT_UNGRADED_AS", default="B")

# Notify-and-commit decisions are due within this many working days (case 15 Wuhan: 3)
COMMITMENT_DECISION_DAYS = env.int("COMMITMENT_DECISION_DAYS", default=3)
# packaged commitment (打包承诺): larger packages are prepared by a task; the most persons one package covers
PACKAGE_SYNC_LIMIT = env.int("PACKAGE_SYNC_LIMIT", default=200)
PACKAGE_MAX_PEOPLE = env.int("PACKAGE_MAX_PEOPLE", default=5000)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
# one-time codes for signing: "approvals.otp.LogSender" writes them to the log; name an SMS gateway class here
OTP_SENDER = env("OTP_SENDER", default="approvals.otp.LogSender")

# Where the public reaches /verify/<token>/ (printed as the QR code on every document)
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# a CJK font file for PDFs; empty: found with fc-list :lang=zh
DOCUMENTS_CJK_FONT = env("DOCUMENTS_CJK_FONT", default="")

# Sanctions (case 14 Dezhou): level-3 restriction period in calendar months; default rectification deadline
# and objection decision limit in working days; how long a concluded violation stays published (months)
SANCTIONS_RESTRICTION_MONTHS = env.int("SANCTIONS_RESTRICTION_MONTHS", default=6)
SANCTIONS_RECTIFICATION_DAYS = env.int("SANCTIONS_RECTIFICATION_DAYS", default=15)
SANCTIONS_OBJECTION_DAYS = env.int("SANCTIONS_OBJECTION_DAYS", default=15)
SANCTIONS_PUBLICATION_MONTHS = env.int("SANCTIONS_PUBLICATION_MONTHS", default=6)
# Delingha/Wuzhou: a licensee found non-compliant loses notify-and-commit for this many months (0: not at all)
SANCTIONS_NONCOMPLIANCE_RESTRICTION_MONTHS = env.int("SANCTIONS_NONCOMPLIANCE_RESTRICTION_MONTHS", default=6)
# The credit platform's endpoint for the feed (POST JSON); empty: records wait, readable by API and CSV
CREDIT_FEED_URL = env("CREDIT_FEED_URL", default="")
CREDIT_FEED_BATCH = env.int("CREDIT_FEED_BATCH", default=200)

# The authority this installation serves (printed on documents)
AUTHORITY_NAME = env("AUTHORITY_NAME", default="示范市行政审批服务局")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- audit (issue 9: tamper-evident audit log) ---

# --- outbox (issue 9: transactional outbox, relay, incidents) ---

# --- security (issue 9: lockout, rate limits, sessions, uploads) ---

# --- credit (issue 13: credit evaluation) ---

# --- notifications (issue 12) ---

# --- supervision (issue 10: dashboards) ---

# --- ops (issue 11: health, metrics, logs) ---
