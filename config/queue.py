"""The one way product code queues background work: a task named by its dotted name, so the code that queues it never
imports the tasks module (tasks call services, never the reverse)."""

from importlib import import_module

from celery.result import AsyncResult

from .celery_app import app


def enqueue(name: str, *, args: tuple = (), kwargs: dict | None = None, **options) -> AsyncResult:
    """Queue the task ``name`` (e.g. ``"creators.tasks.import_file"``) with Celery's ``apply_async`` options
    (``countdown``, ``queue`` …); raise as ``apply_async`` does when the broker cannot be reached.

    When tasks are eager (``CELERY_TASK_ALWAYS_EAGER``, the tests) it runs here and now, as ``delay`` would: a message
    sent by name does not honour that setting, so the task itself is looked up and applied."""
    if app.conf.task_always_eager:
        if name not in app.tasks:
            import_module(name.rpartition(".")[0])  # registers it, as a worker's start does
        return app.tasks[name].apply_async(args, kwargs, **options)
    return app.send_task(name, args, kwargs, **options)
