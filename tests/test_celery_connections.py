"""Worker tasks keep their database connection between tasks, as Django keeps it between requests."""

from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from config.celery_app import app, reuse_database_connections

pytestmark = pytest.mark.django_db(transaction=True)


def worker_task(*, eager=False):
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


def around_a_task(fixup):
    task = worker_task()
    fixup.on_task_prerun(sender=task)
    reuse_database_connections(task=task)
    fixup.on_task_postrun(sender=task)
    reuse_database_connections(task=task)


def test_a_usable_young_connection_is_kept_between_tasks():
    connection.ensure_connection()
    before = connection.connection
    around_a_task(DjangoWorkerFixup(app))
    assert connection.connection is before


def test_an_obsolete_connection_is_closed_between_tasks():
    connection.ensure_connection()
    connection.close_at = 0  # older than CONN_MAX_AGE
    around_a_task(DjangoWorkerFixup(app))
    assert connection.connection is None


def test_an_eager_task_leaves_the_connection_alone():
    connection.ensure_connection()
    connection.close_at = 0
    reuse_database_connections(task=worker_task(eager=True))
    assert connection.connection is not None
