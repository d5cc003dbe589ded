"""End to end with a real Celery worker process on the configured broker (Redis in CI)."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from config import worker_process
from config.celery_app import app
from config.worker_process import database_url
from creators.models import Creator, RecalcRun
from tests.factories import PostFactory, SocialAccountFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def worker():
    """A worker process on a queue of its own, so no other worker takes these tasks."""
    queue = worker_process.private_queue("test")
    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_QUEUE": queue}
    process = worker_process.start(queue, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    yield {"queue": queue, "env": env}
    app.conf.task_default_queue = previous
    worker_process.stop(process, timeout=20)


def wait_for(predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def test_recalculate_async_is_done_by_a_real_worker(worker):
    for n in range(4):
        account = SocialAccountFactory(followers=1000 + n)
        for k in range(3):
            PostFactory(account=account, likes=60, posted_at=timezone.now() - timedelta(days=k + 1))
    assert not Creator.objects.filter(is_flagged=True).exists()

    result = run_with_env(worker["env"], "recalculate", "--async")
    assert result.returncode == 0, result.stderr
    assert "Queued the full recalculation as task" in result.stdout

    assert wait_for(lambda: RecalcRun.objects.filter(status="succeeded").exists()), "the worker did not finish"
    assert Creator.objects.filter(is_flagged=True, tier="micro").count() == 4
    assert Creator.objects.filter(engagement_rate__isnull=False).count() == 4


def run_with_env(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], capture_output=True, text=True, timeout=120, env=env)


def test_an_edit_reaches_the_metrics_through_the_worker_without_a_manual_step(worker):
    from creators import services

    account = SocialAccountFactory(followers=1000)
    posts = [PostFactory(account=account, likes=10, posted_at=timezone.now() - timedelta(days=k + 1)) for k in range(3)]
    services.recalculate()
    assert Creator.objects.get().is_flagged is False
    posts[0].likes = 100
    posts[0].save()
    services.recalculate_soon(creator_ids=[account.creator_id])  # what the admin does after a save
    assert wait_for(lambda: Creator.objects.get().is_flagged), "the incremental recalculation did not arrive"
    assert Creator.objects.get().engagement_rate == pytest.approx(4.0)
