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
    "approvals.middleware.DatabaseUnavailableMiddleware",
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
# PostgreSQL: a web or worker process keeps its connection between requests (the server starts no backend process
# and authenticates no one per request); checked before reuse, so a connection the
# server dropped (restart, pg_terminate_backend) is replaced at the next request instead of failing it
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "DB_CONN_MAX_AGE", default=60 if DATABASES["default"]["ENGINE"].endswith("postgresql") else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
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
# locale/ is the project's own (makemessages); locale_vendor/ translates installed libraries' strings that their
# zh_Hans catalogs lack (viewflow's /flow/ pages), after it so the project's own translations win
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
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
# longer than any task may run, shorter than an operator would wait for a redelivery. Checked (issue 9): the
# longest task (a 20-certificate chunk) runs well under a minute and retry countdowns stay under 10 min, so no
# message is redelivered while it still runs or waits; a worker killed outright (not just its child: that one
# is requeued at once by reject_on_worker_lost) leaves its message unacknowledged until this timeout, and the
# outbox relay (OUTBOX_REPUBLISH_SECONDS, 15 min) sends it again sooner
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
    "process-follow-sweep": {"task": "workflows.tasks.process_follow_sweep", "schedule": 60.0},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # SECURITY_RATE_LIMITS of the API's URLs, per user once DRF has authenticated (the middleware counts the pages')
    "DEFAULT_THROTTLE_CLASSES": ["approvals.security.ApiRateLimit"],
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
# Triggers write every change of the audited tables to audit_entry (audit/triggers.py); this middleware tells them
# who acts (audit/actor.py); the task chains what was committed since its last run (audit/seal.py). Production: the
# application connects as a role that does not own the tables, locked down with `manage.py audit_lockdown --role`.
MIDDLEWARE += ["audit.middleware.AuditActorMiddleware"]
AUDIT_SEAL_SECONDS = env.float("AUDIT_SEAL_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE["audit-seal"] = {"task": "audit.tasks.audit_seal", "schedule": AUDIT_SEAL_SECONDS}

# --- outbox (issue 9: transactional outbox, relay, incidents) ---
# After-commit work (documents, package preparation) is written to outbox.Message in the act's transaction and
# sent at commit; the relay sends again what is not sent after OUTBOX_GRACE_SECONDS, or not done after
# OUTBOX_REPUBLISH_SECONDS (a message lost with Redis, a worker killed before acknowledging). The republish
# delay is longer than the longest task and than a full retry chain (10+20+40+80+160 s with the defaults), and
# shorter than the broker's visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS above, 3600 s): with Redis an
# unacknowledged message comes back only after that timeout, so the relay is what bounds the delay. Backoff
# countdowns are capped below the visibility timeout too (a delayed message is redelivered after it).
OUTBOX_GRACE_SECONDS = env.int("OUTBOX_GRACE_SECONDS", default=30)
OUTBOX_REPUBLISH_SECONDS = env.int("OUTBOX_REPUBLISH_SECONDS", default=900)
OUTBOX_RELAY_SECONDS = env.float("OUTBOX_RELAY_SECONDS", default=15.0)
OUTBOX_RELAY_BATCH = env.int("OUTBOX_RELAY_BATCH", default=500)
OUTBOX_QUEUE = env("OUTBOX_QUEUE", default="")  # empty: CELERY_TASK_DEFAULT_QUEUE
OUTBOX_MAX_RETRIES = env.int("OUTBOX_MAX_RETRIES", default=5)
OUTBOX_RETRY_BACKOFF_SECONDS = env.float("OUTBOX_RETRY_BACKOFF_SECONDS", default=10.0)
OUTBOX_RETRY_BACKOFF_MAX = env.float("OUTBOX_RETRY_BACKOFF_MAX", default=600.0)
# sending gives up after one quick reconnection (about half a second) instead of blocking a request while the
# broker is away: the message waits in the outbox for the relay
CELERY_BROKER_TRANSPORT_OPTIONS.update({"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                        "interval_max": 0.5})
CELERY_BEAT_SCHEDULE["outbox-relay"] = {"task": "outbox.tasks.relay", "schedule": OUTBOX_RELAY_SECONDS}

# --- security (issue 9: lockout, rate limits, sessions, uploads) ---
# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one address the
# login is refused (429, templates/registration/locked_out.html) until the cool-off ends or an admin resets it
# (manage.py axes_reset_username NAME)
from datetime import timedelta  # noqa: E402

INSTALLED_APPS += ["ops.axes_app.LoginProtectionConfig"]  # django-axes, named 登录保护 in the admin
MIDDLEWARE += ["axes.middleware.AxesMiddleware", "approvals.security.SecurityMiddleware"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "approvals.security.lockout_response"
AXES_VERBOSE = False
# behind a reverse proxy: the header carrying the client address (e.g. HTTP_X_FORWARDED_FOR); empty: REMOTE_ADDR
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IP_HEADERS", default=["REMOTE_ADDR"])

# Cache (rate-limit counters): CACHE_URL, e.g. redis://127.0.0.1:6379/3 (a Redis database of its own, never the
# Celery broker's); unset: local memory, which is per process (with several gunicorn workers each counts on its
# own, so a limit is that many times looser: production sets CACHE_URL)
_cache_url = env("CACHE_URL", default="")
CACHES = {"default": env.cache_url_config(_cache_url) if _cache_url else {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "approvals-default"}}

# Rate limits (django-ratelimit counters, applied by approvals.security.SecurityMiddleware by URL name):
# "<count>/<s|m|h|d>" per user (or per address for anonymous visitors); a refusal is a 429 page or JSON
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_USE_CACHE = "default"
SECURITY_RATE_SIGN = env("SECURITY_RATE_SIGN", default="10/m")
SECURITY_RATE_OTP = env("SECURITY_RATE_OTP", default="5/10m")
SECURITY_RATE_VERIFY = env("SECURITY_RATE_VERIFY", default="30/m")
SECURITY_RATE_LIMITS = {
    "application_sign": ("sign", SECURITY_RATE_SIGN), "package_sign": ("sign", SECURITY_RATE_SIGN),
    "api:application_sign": ("sign", SECURITY_RATE_SIGN), "api:package_sign": ("sign", SECURITY_RATE_SIGN),
    "application_otp": ("otp", SECURITY_RATE_OTP), "package_otp": ("otp", SECURITY_RATE_OTP),
    "api:otp": ("otp", SECURITY_RATE_OTP),
    "documents:verify": ("verify", SECURITY_RATE_VERIFY), "documents:verify_code": ("verify", SECURITY_RATE_VERIFY),
    # public too, and licence numbers run in sequence: the same limit keeps them from being harvested
    "licence_detail": ("verify", SECURITY_RATE_VERIFY),
}
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # axes logs every successful login's reset at INFO

# Sessions and cookies: HttpOnly, SameSite=Lax; Secure cookies, HSTS and the HTTPS redirect whenever DEBUG is off
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # the templates post {% csrf_token %}; no script reads the cookie
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# the header alone commits to nothing: the domain joins browsers' preload lists only when submitted by hand
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# a TLS-terminating proxy in front: DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO
if env("DJANGO_SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = (env("DJANGO_SECURE_PROXY_SSL_HEADER"), "https")
# the health probe of ops is reached over plain HTTP from inside the host
SECURE_REDIRECT_EXEMPT = env.list("SECURE_REDIRECT_EXEMPT", default=[r"^healthz/?$", r"^readyz/?$"])
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
# staff (every role but applicant) are logged out after this many seconds without a request: a counter PC
SECURITY_STAFF_SESSION_IDLE = env.int("SECURITY_STAFF_SESSION_IDLE", default=30 * 60)
# uploads: images larger than this many pixels are refused (decompression bombs); size: UPLOAD_MAX_BYTES above
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=50_000_000)
# the API schema documents the 404 of a page past the end of a list and the 429 of a rate limit (schemathesis
# checks the answers against it)
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums", "approvals.api.schema.document_common_errors"]

# --- credit (issue 13: credit evaluation) ---
# the evaluation model in use (credit/seed.py ships "huzhou" and "dongtou"); its grade replaces the imported one in
# the credit check for the subjects it scores; empty: imported grades only
CREDIT_EVALUATION_MODEL = env("CREDIT_EVALUATION_MODEL", default="huzhou")
# the nightly full run (local time): every subject's score, set-based
CREDIT_NIGHTLY_HOUR = env.int("CREDIT_NIGHTLY_HOUR", default=2)
CELERY_BEAT_SCHEDULE["credit-nightly"] = {
    "task": "credit.tasks.credit_nightly",
    "schedule": __import__("celery.schedules", fromlist=["crontab"]).crontab(hour=CREDIT_NIGHTLY_HOUR, minute=30),
}

# --- notifications (issue 12) ---
# e-mail: the console in the embedded default; SMTP when EMAIL_HOST is set (EMAIL_PORT, EMAIL_HOST_USER, ...)
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                    else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@example.gov.cn")
# the class that sends SMS (see notifications/sms.py for the interface); the default writes them to the log
NOTIFICATIONS_SMS_BACKEND = env("NOTIFICATIONS_SMS_BACKEND", default="notifications.sms.LoggingSMSBackend")
# a delivery is tried this many times, waiting 1, 2, 4 ... minutes between tries, then shown as failed
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)
# verification methods whose visit the licensee is told about in advance (on-site checks are unannounced)
NOTIFICATIONS_ANNOUNCED_METHODS = env.list("NOTIFICATIONS_ANNOUNCED_METHODS", default=["documents"])
# the local hour (Asia/Shanghai) after which reminders and the daily digest go out
NOTIFICATIONS_DAILY_HOUR = env.int("NOTIFICATIONS_DAILY_HOUR", default=8)
# without a broker, a draw or package telling more people than this is told by the scheduler, not in the request
NOTIFICATIONS_INLINE_LIMIT = env.int("NOTIFICATIONS_INLINE_LIMIT", default=200)
CELERY_BEAT_SCHEDULE["notification-relay"] = {"task": "notifications.tasks.deliveries_relay", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["notification-reminders"] = {"task": "notifications.tasks.reminders_run", "schedule": 900.0}
CELERY_BEAT_SCHEDULE["notification-digest"] = {"task": "notifications.tasks.digest_run", "schedule": 900.0}

# --- supervision (issue 10: dashboards) ---
# the dashboard reads summaries refreshed by these tasks (applications: what changed since the last run;
# obligations: rebuilt in one grouped query); the page says how old its figures are
SUPERVISION_REFRESH_SECONDS = env.int("SUPERVISION_REFRESH_SECONDS", default=60)
SUPERVISION_OBLIGATIONS_REFRESH_SECONDS = env.int("SUPERVISION_OBLIGATIONS_REFRESH_SECONDS", default=600)
# a drill-down longer than this is not exported (narrow the filters)
SUPERVISION_EXPORT_MAX_ROWS = env.int("SUPERVISION_EXPORT_MAX_ROWS", default=100_000)
CELERY_BEAT_SCHEDULE["supervision-applications-refresh"] = {
    "task": "supervision.tasks.applications_refresh", "schedule": float(SUPERVISION_REFRESH_SECONDS)}
CELERY_BEAT_SCHEDULE["supervision-obligations-refresh"] = {
    "task": "supervision.tasks.obligations_refresh", "schedule": float(SUPERVISION_OBLIGATIONS_REFRESH_SECONDS)}

# --- ops (issue 11: health, metrics, logs) ---
# Queues (docs/operations.md): a package's certificate batch (1,063 PDFs at once) goes to its own queue, served by
# its own workers, so it never delays a single document or a notification on the default queue. Derived from
# CELERY_TASK_DEFAULT_QUEUE so that parallel runs (CI) keep apart; a worker serving both: -Q "default,default-bulk".
CELERY_BULK_QUEUE = env("CELERY_BULK_QUEUE", default=f"{CELERY_TASK_DEFAULT_QUEUE}-bulk")
# a worker started without -Q (README, `make`-style trials) serves both; production starts one kind per -Q
CELERY_TASK_QUEUES = {CELERY_TASK_DEFAULT_QUEUE: {}, CELERY_BULK_QUEUE: {}}
CELERY_TASK_ROUTES = {
    "documents.tasks.certificates_render": {"queue": CELERY_BULK_QUEUE},
    "documents.tasks.certificate_listing_render": {"queue": CELERY_BULK_QUEUE},
    "approvals.tasks.package_prepare": {"queue": CELERY_BULK_QUEUE},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING below (JSON when LOG_FORMAT=json)
CELERY_BEAT_SCHEDULE["ops-heartbeat"] = {"task": "ops.tasks.heartbeat", "schedule": 60.0}
# /metrics: scraped from these addresses, or by anyone sending "Authorization: Bearer <METRICS_TOKEN>"
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# doctor: the scheduler (beat) counts as running while its heartbeat is younger than this (seconds)
OPS_HEARTBEAT_MAX_AGE = env.int("OPS_HEARTBEAT_MAX_AGE", default=300)
# readiness: the working-day calendar must cover this many days ahead (chinese-calendar or Admin → Calendar years)
OPS_READY_CALENDAR_DAYS = env.int("OPS_READY_CALENDAR_DAYS", default=366)
INSTALLED_APPS.append("django_prometheus")
MIDDLEWARE.insert(0, "ops.middleware.RequestIdMiddleware")
MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")
# Logs: readable lines by default; one JSON object per line with LOG_FORMAT=json (request_id on every line,
# carried into the Celery tasks a request enqueues)
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING.setdefault("filters", {})["request_id"] = {"()": "ops.logs.RequestIdFilter"}
LOGGING.setdefault("formatters", {}).update({
    "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    "json": {"()": "pythonjsonlogger.json.JsonFormatter",
             "format": "%(levelname)s %(name)s %(request_id)s %(process)d %(message)s", "timestamp": True,
             "rename_fields": {"levelname": "level", "name": "logger"},
             "json_ensure_ascii": False},
})
LOGGING["handlers"]["console"].update(formatter="json" if LOG_FORMAT == "json" else "text", filters=["request_id"])
# Stored files (document PDFs, uploads): a local directory (MEDIA_ROOT) unless an S3-compatible bucket is named
# (django-storages; credentials AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment, as boto3 reads them)
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)  # e.g. https://minio.internal:9000
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_LOCATION = env("AWS_LOCATION", default="")  # a prefix inside the bucket
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    STORAGES = {"default": {"BACKEND": "storages.backends.s3.S3Storage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# probes and scrapes reach each node directly over plain HTTP (no TLS redirect for them)
SECURE_REDIRECT_EXEMPT = [*globals().get("SECURE_REDIRECT_EXEMPT", [r"^healthz/?$", r"^readyz/?$"]), r"^metrics/?$"]
