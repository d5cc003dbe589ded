"""The Celery app: ``celery -A config worker`` / ``celery -A config beat``."""

import contextlib
import os

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("microreach")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def configure_logging(*args, **kwargs) -> None:
    """Log through Django's LOGGING rather than Celery's own configuration."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@task_prerun.connect
@task_postrun.connect
def reuse_database_connections(task=None, **kwargs) -> None:
    """Between tasks, treat database connections as Django treats them between requests: keep one that is usable
    and younger than ``CONN_MAX_AGE``, close the others. (Celery's own Django fixup would close every connection
    around every task, so that each chunk of a full run paid for a new PostgreSQL backend and its cold caches, about
    100 ms a chunk; ``CELERY_DB_REUSE_MAX`` leaves the connections to this handler.) Eager tasks run inside the
    caller's transaction and are left alone."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


@worker_ready.connect
def resume_stalled_work(sender=None, **kwargs) -> None:
    """A worker that starts (after a crash, say) looks at once for full runs whose chunks stalled and imports whose
    worker was lost."""
    with contextlib.suppress(Exception):  # the broker is down: beat's every-minute watches catch up
        for watch in ("creators.tasks.recalculate_watch", "creators.tasks.import_watch"):
            app.send_task(watch, queue=app.conf.task_default_queue)
