from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _reinstall_after_migrate(sender, using="default", **kwargs):
    """A later migration may rebuild an audited table (SQLite drops its triggers then) or add a column."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from . import triggers

    connection = connections[using]
    if not MigrationRecorder(connection).migration_qs.filter(app="audit", name="0002_triggers").exists():
        return
    triggers.install(connection, only_if_needed=True)


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("audit log")

    def ready(self):
        from . import actor, tasks  # noqa: F401  (registers the task)

        connection_created.connect(actor.connection_created, dispatch_uid="audit_connection_created")
        post_migrate.connect(_reinstall_after_migrate, sender=self, dispatch_uid="audit_reinstall_triggers")
        try:
            from celery.signals import task_postrun, task_prerun
        except ImportError:  # pragma: no cover
            return
        task_prerun.connect(actor.task_started, dispatch_uid="audit_task_prerun", weak=False)
        task_postrun.connect(actor.task_finished, dispatch_uid="audit_task_postrun", weak=False)
