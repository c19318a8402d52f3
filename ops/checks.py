"""What /readyz and `manage.py doctor` check. Each check says what it found and, when it fails, what an operator
does about it. /readyz runs only the readiness checks (a load balancer takes a node out when one fails); doctor
adds advisories about the installation as a whole (the scheduler's heartbeat, unsafe settings, stored files)."""

import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    advice: str = ""
    required: bool = True  # False: an advisory, shown by doctor, not failing readiness

    def as_dict(self) -> dict:
        return asdict(self)


def _error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def check_database() -> Check:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Check("database", True, _("Connected to %(vendor)s database “%(name)s”.")
                     % {"vendor": connection.vendor, "name": connection.settings_dict["NAME"]})
    except Exception as error:  # noqa: BLE001
        return Check("database", False, _error(error),
                     _("Check that the database server runs and that DATABASE_URL (host, port, name, user, "
                       "password) is right; from this machine try: psql \"$DATABASE_URL\" -c 'select 1'."))


# What cannot turn bad again while this process runs is remembered: once every migration of this code is applied
# (this code does not change until the process restarts), and the calendar's coverage for the day. A load balancer
# probing every few seconds then costs one query.
_remembered: dict[str, object] = {}


def check_migrations() -> Check:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if _remembered.get("migrations") == connection.settings_dict["NAME"]:
        return Check("migrations", True, _("All migrations are applied."))
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:  # noqa: BLE001
        return Check("migrations", False, _error(error),
                     _("The database could not be read; fix the database check first."))
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5]) + ("…" if len(plan) > 5 else "")
        return Check("migrations", False, _("%(n)d migrations not applied: %(names)s.") % {"n": len(plan),
                                                                                         "names": names},
                     _("Run “python manage.py migrate” once (from one node) before starting the new version."))
    _remembered["migrations"] = connection.settings_dict["NAME"]
    return Check("migrations", True, _("All migrations are applied."))


def check_broker() -> Check:
    if not settings.CELERY_BROKER_URL:
        return Check("broker", True, _("No broker configured: tasks run inside the web process (embedded mode)."))
    from config.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL,
                                      transport_options={"socket_connect_timeout": 3, "socket_timeout": 3}) as conn:
            conn.ensure_connection(max_retries=1)
        return Check("broker", True, _("Connected to the task broker."))
    except Exception as error:  # noqa: BLE001
        return Check("broker", False, _error(error),
                     _("Check that Redis runs and that CELERY_BROKER_URL is right; from this machine try: "
                       "redis-cli -u \"$CELERY_BROKER_URL\" ping."))


def check_font() -> Check:
    from documents.rendering import cjk_font_path

    try:
        return Check("cjk_font", True, _("Chinese font for documents: %(path)s.") % {"path": cjk_font_path()})
    except Exception as error:  # noqa: BLE001
        return Check("cjk_font", False, _error(error),
                     _("Install a Chinese font (apt-get install fonts-wqy-microhei) or set DOCUMENTS_CJK_FONT to "
                       "a .ttf/.ttc/.otf file; documents cannot be rendered without it."))


def check_calendar() -> Check:
    from approvals.services.calendar import CalendarNotCovered, working_days_between

    today = timezone.localdate()
    until = today + timedelta(days=settings.OPS_READY_CALENDAR_DAYS)
    if _remembered.get("calendar") == until:
        return Check("calendar", True, _("The working-day calendar covers today to %(date)s.")
                     % {"date": until.isoformat()})
    try:
        working_days_between(today, until)
    except CalendarNotCovered as error:
        return Check("calendar", False, _("The working-day calendar does not cover %(date)s.")
                     % {"date": error.day.isoformat()},
                     _("Enter the State Council's holiday schedule for %(year)d in Admin → Calendar years (or "
                       "upgrade chinese-calendar); deadlines after that date cannot be computed.")
                     % {"year": error.day.year})
    except Exception as error:  # noqa: BLE001
        return Check("calendar", False, _error(error), _("The database could not be read; fix the database "
                                                         "check first."))
    _remembered["calendar"] = until
    return Check("calendar", True, _("The working-day calendar covers today to %(date)s.")
                 % {"date": until.isoformat()})


READINESS = (check_database, check_migrations, check_broker, check_font, check_calendar)


def readiness() -> list[Check]:
    return [check() for check in READINESS]


def check_scheduler() -> Check:
    if not settings.CELERY_BROKER_URL:
        return Check("scheduler", True, _("Embedded mode: no scheduler needed."), required=False)
    from .models import Heartbeat

    try:
        beat = Heartbeat.objects.filter(name="scheduler").first()
    except Exception as error:  # noqa: BLE001
        return Check("scheduler", False, _error(error), _("Fix the database checks first."), required=False)
    advice = _("Start exactly one scheduler (celery -A config beat --scheduler "
               "django_celery_beat.schedulers:DatabaseScheduler) and at least one worker on the default queue.")
    if beat is None:
        return Check("scheduler", False, _("No heartbeat from the scheduler has ever arrived."), advice,
                     required=False)
    age = (timezone.now() - beat.at).total_seconds()
    if age > settings.OPS_HEARTBEAT_MAX_AGE:
        return Check("scheduler", False, _("The last heartbeat arrived %(s)d seconds ago (from %(host)s).")
                     % {"s": age, "host": beat.hostname}, advice, required=False)
    return Check("scheduler", True, _("Heartbeat %(s)d seconds ago (from %(host)s).") % {"s": age,
                                                                                       "host": beat.hostname},
                 required=False)


def check_storage() -> Check:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = f"ops-doctor/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"doctor"))
        default_storage.delete(saved)
        return Check("storage", True, _("Stored files can be written (%(backend)s).")
                     % {"backend": type(default_storage).__name__}, required=False)
    except Exception as error:  # noqa: BLE001
        return Check("storage", False, _error(error),
                     _("Check MEDIA_ROOT (a directory this user may write, shared by all nodes) or the S3 settings "
                       "(AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, credentials)."), required=False)


def check_settings() -> Check:
    problems = []
    if settings.DEBUG:
        problems.append(_("DJANGO_DEBUG is on"))
    if settings.SECRET_KEY.startswith("embedded-default"):
        problems.append(_("DJANGO_SECRET_KEY is the embedded default"))
    if problems:
        # the separator and the full stop are the language's (Chinese: ；and 。)
        return Check("settings", False, _("%(problems)s.") % {"problems": _("; ").join(problems)},
                     _("In production set DJANGO_DEBUG=false and a long random DJANGO_SECRET_KEY (the same on "
                       "every node)."), required=False)
    return Check("settings", True, _("Production settings: debug off, own secret key."), required=False)


def check_documents() -> Check:
    from documents.models import Document, RenderStatus

    try:
        failed = Document.objects.filter(status=RenderStatus.FAILED).count()
    except Exception as error:  # noqa: BLE001
        return Check("documents", False, _error(error), _("Fix the database checks first."), required=False)
    if failed:
        return Check("documents", False, _("%(n)d documents failed to render.") % {"n": failed},
                     _("Open Admin → Documents, filter by rendering “failed”, read the error and use “render "
                       "again” once the cause is fixed."), required=False)
    return Check("documents", True, _("No document failed to render."), required=False)


ADVISORIES = (check_scheduler, check_storage, check_settings, check_documents)


def everything() -> list[Check]:
    return readiness() + [check() for check in ADVISORIES]
