"""Transactional outbox (issue 9): after-commit work written in the act's transaction, relayed to Celery.

    import outbox
    outbox.enqueue("documents.tasks.document_render", [document.pk], key=f"document-render:{document.pk}")
    outbox.enqueue_many("documents.tasks.certificates_render", [[ids] for ids in chunks])  # one INSERT, one UPDATE

Tasks that the outbox sends are declared with `@outbox.outbox_task` (outbox.decorators)."""


def enqueue(task, args=(), kwargs=None, *, key=None):
    from .services import enqueue as _enqueue

    return _enqueue(task, args, kwargs, key=key)


def enqueue_many(task, args_list, *, keys=None):
    from .services import enqueue_many as _enqueue_many

    return _enqueue_many(task, args_list, keys=keys)


def outbox_task(fn=None, **options):
    from .decorators import outbox_task as _outbox_task

    return _outbox_task(fn, **options)
