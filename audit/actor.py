"""Who made a change, for the triggers: the database cannot know the Django user, so it is handed over.

The actor is a context variable (the user's pk as text, or a label such as "task:…"; empty: the system). The
middleware sets it for each request (the user as authenticated by the session or, later, by DRF), a Celery task
for its run unless someone acts already. On PostgreSQL a query wrapper copies it to the session setting
`audit.actor` before any statement when it differs from what the session holds (one extra query when the actor
changes, none otherwise); the triggers read `current_setting('audit.actor', true)`. On SQLite the triggers call
`audit_actor()`, a function registered on each connection that reads the variable directly."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

from .chain import entry_hash

_actor: ContextVar = ContextVar("audit_actor", default="")
_syncing: ContextVar[bool] = ContextVar("audit_actor_syncing", default=False)


def current_actor() -> str:
    value = _actor.get()
    if callable(value):
        value = value()
    return str(value or "")


def _label(who) -> str | object:
    if who is None:
        return ""
    if callable(who) or isinstance(who, str):
        return who
    if getattr(who, "is_authenticated", False):
        return str(who.pk)
    return ""


@contextmanager
def acting_as(who):
    """Changes made inside are recorded as made by `who` (a user, a label, or a callable returning one)."""
    token = _actor.set(_label(who))
    try:
        yield
    finally:
        _actor.reset(token)


def request_actor(request):
    def actor():
        user = getattr(request, "user", None)  # DRF replaces it with the user it authenticated
        return str(user.pk) if getattr(user, "is_authenticated", False) else ""
    return actor


# ---- PostgreSQL: copy the actor into the session before statements ----------------------------------------------

class _SessionState:
    __slots__ = ("value", "dirty")

    def __init__(self):
        self.value = ""       # a fresh session has no setting: the triggers read it as ''
        self.dirty = False    # set inside a transaction: a rollback may undo it


def _reads_only(sql) -> bool:
    """A plain SELECT writes no audited row, so the actor need not be in the session before it. (Not synced
    before one: the first queries of a request load its session and user, and working out the actor then meant
    evaluating request.user inside its own evaluation: the session and user were each read twice.)"""
    return isinstance(sql, str) and sql.lstrip()[:6].upper() == "SELECT"


def _pg_sync(execute, sql, params, many, context):
    if not _syncing.get() and not _reads_only(sql):
        token = _syncing.set(True)
        try:
            _pg_sync_now(context["connection"])
        finally:
            _syncing.reset(token)
    return execute(sql, params, many, context)


def _pg_sync_now(connection):
    from psycopg.pq import TransactionStatus

    state = connection.__dict__.setdefault("_audit_session", _SessionState())
    raw = connection.connection
    status = raw.info.transaction_status
    if status == TransactionStatus.IDLE and state.dirty:
        state.value, state.dirty = None, False  # committed or rolled back: not known which
    want = current_actor()
    if want == state.value or status == TransactionStatus.INERROR:
        return
    with raw.cursor() as cursor:
        cursor.execute("SELECT set_config('audit.actor', %s, false)", [want])
    state.value = want
    state.dirty = raw.info.transaction_status != TransactionStatus.IDLE


# ---- SQLite: functions the triggers call ------------------------------------------------------------------------

def _now_text() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_functions(connection):
    raw = connection.connection

    def purge_allowed():
        return 1 if getattr(connection, "_audit_purging", False) else 0

    raw.create_function("audit_now", 0, _now_text)
    raw.create_function("audit_actor", 0, current_actor)
    raw.create_function("audit_link", 7, entry_hash, deterministic=True)
    raw.create_function("audit_purge_allowed", 0, purge_allowed)
    _allow_flush(connection)


def _allow_flush(connection):
    """Django's flush (tests; SQLite has no TRUNCATE) may empty the log and does not log what it empties."""
    ops = connection.ops
    if getattr(ops, "_audit_flush_wrapped", False):
        return
    original = ops.execute_sql_flush

    def execute_sql_flush(sql_list):
        connection._audit_purging = True
        try:
            return original(sql_list)
        finally:
            connection._audit_purging = False

    ops.execute_sql_flush = execute_sql_flush
    ops._audit_flush_wrapped = True


def connection_created(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        connection.__dict__["_audit_session"] = _SessionState()
        if _pg_sync not in connection.execute_wrappers:
            # first, so that a caller's `with connection.execute_wrapper(...)` pops its own
            connection.execute_wrappers.insert(0, _pg_sync)
    elif connection.vendor == "sqlite":
        _sqlite_functions(connection)


# ---- Celery: a task acts as itself unless it runs for someone (eagerly, inside a request) -----------------------

_task_tokens: dict = {}


def task_started(task_id=None, task=None, **kwargs):
    if task_id and not current_actor():
        _task_tokens[task_id] = _actor.set(f"task:{getattr(task, 'name', '')}")


def task_finished(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            _actor.reset(token)
        except ValueError:  # set in another context
            _actor.set("")
