"""A worker killed in the middle of a full recalculation: the run resumes within minutes, every chunk is counted
once whatever the redeliveries, and it closes (freeing its lock) only when every chunk is really done."""

import os
import signal
import subprocess
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from config import worker_process
from config.celery_app import app
from config.worker_process import database_url
from creators import recalculation, tasks
from creators.models import Creator, RecalcChunk, RecalcLock, RecalcRun
from tests.factories import PostFactory, SocialAccountFactory


def _creators(count: int) -> None:
    for n in range(count):
        account = SocialAccountFactory(followers=1000 + 37 * n)
        for k in range(3):
            PostFactory(account=account, likes=20 + n % 50, posted_at=timezone.now() - timedelta(days=k + 1))


def _stored() -> list[tuple]:
    return list(Creator.objects.order_by("pk").values_list("pk", "engagement_rate", "tier", "is_flagged"))


@pytest.mark.django_db
def test_a_chunk_delivered_twice_is_counted_once():
    _creators(6)
    run, ranges = recalculation.run_start(trigger="test", chunk_size=2)
    low, high = ranges[0]
    assert recalculation.run_chunk(run.pk, low, high) is True
    assert recalculation.run_chunk(run.pk, low, high) is False  # the redelivery does nothing
    run.refresh_from_db()
    assert (run.chunks_done, run.creators_updated, run.status) == (1, 2, "running")


@pytest.mark.django_db
def test_the_run_closes_only_when_every_chunk_is_done():
    _creators(6)
    run, ranges = recalculation.run_start(trigger="test", chunk_size=2)
    for low, high in ranges[:-1]:
        recalculation.run_chunk(run.pk, low, high)
        recalculation.run_chunk(run.pk, low, high)  # what once pushed a run to "32/31" and closed it early
    run.refresh_from_db()
    assert run.status == "running" and RecalcLock.objects.get().holder == run.lock_holder
    recalculation.run_chunk(run.pk, *ranges[-1])
    run.refresh_from_db()
    assert run.status == "succeeded" and run.chunks_done == run.chunks_total == 3
    assert run.creators_updated == run.creators_total == 6 and RecalcLock.objects.get().holder == ""


@pytest.mark.django_db
def test_stalled_chunks_are_reissued_and_a_run_left_open_is_closed():
    _creators(4)
    run, ranges = recalculation.run_start(trigger="test", chunk_size=2)
    RecalcChunk.objects.update(issued_at=timezone.now() - timedelta(minutes=10))
    issued = []
    assert recalculation.runs_resume(enqueue=lambda *chunk: issued.append(chunk)) == 2
    assert sorted(issued) == sorted((run.pk, low, high) for low, high in ranges)
    assert recalculation.runs_resume(enqueue=lambda *chunk: issued.append(chunk)) == 0  # just re-issued
    RecalcChunk.objects.update(done_at=timezone.now())  # done, but the closing never happened (a crash)
    recalculation.runs_resume(enqueue=lambda *chunk: None)
    run.refresh_from_db()
    assert run.status == "succeeded" and RecalcLock.objects.get().holder == ""


@pytest.mark.django_db
def test_a_new_run_after_an_expired_lock_closes_the_abandoned_one():
    _creators(2)
    old, _ = recalculation.run_start(trigger="test")
    RecalcLock.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    new, _ = recalculation.run_start(trigger="test")
    old.refresh_from_db()
    assert old.status == "failed" and "superseded" in old.error and new.status == "running"


@pytest.mark.django_db
def test_the_admin_shows_a_stalled_run_and_resumes_it(admin_client, celery_eager):
    _creators(4)
    run, _ = recalculation.run_start(trigger="test", chunk_size=2)
    RecalcChunk.objects.update(issued_at=timezone.now() - timedelta(minutes=10))
    assert "stalled" in admin_client.get("/admin/creators/recalcrun/").content.decode()
    admin_client.post("/admin/creators/recalcrun/", {"action": "resume", "_selected_action": [run.pk]})
    run.refresh_from_db()
    assert run.status == "succeeded" and run.chunks_done == 2


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_is_restarted_and_the_run_finishes_with_every_chunk_once(settings):
    _creators(120)
    # The values a clean run stores, to compare with.
    clean = recalculation.run_in_foreground(trigger="test")
    expected = _stored()
    Creator.objects.update(engagement_rate=None, tier="", is_flagged=False)
    assert clean.status == "succeeded"

    queue = worker_process.private_queue("kill")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "RECALC_CHUNK_SIZE": "1",
        "RECALC_CHUNK_STALE_SECONDS": "3",
    }
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:

        def start():
            return worker_process.start(
                queue,
                env=env,
                processes=2,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

        worker = start()
        settings.RECALC_CHUNK_SIZE = 1
        result = tasks.recalculate_all.delay(trigger="test").get(timeout=60)
        run = RecalcRun.objects.get(pk=result["run"])
        assert _wait(lambda: RecalcRun.objects.get(pk=run.pk).chunks_done >= 10, 60)
        os.killpg(worker.pid, signal.SIGKILL)  # the whole worker, parent and pool, mid-run
        worker.wait(10)
        killed_at = RecalcRun.objects.get(pk=run.pk)
        assert killed_at.status == "running" and killed_at.chunks_done < killed_at.chunks_total

        worker = start()
        started = time.monotonic()
        try:
            # The restarted worker resumes at once; beat's every-minute watch stands in here for the rest.
            def finished():
                if RecalcRun.objects.get(pk=run.pk).status != "running":
                    return True
                tasks.recalculate_watch.delay()
                time.sleep(1)
                return False

            assert _wait(finished, 180), "the run did not finish after the restart"
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(30)
    finally:
        app.conf.task_default_queue = previous

    run.refresh_from_db()
    assert run.status == "succeeded" and time.monotonic() - started < 180
    assert run.chunks_done == run.chunks_total == RecalcChunk.objects.filter(run=run, done_at__isnull=False).count()
    assert run.creators_updated == run.creators_total == 120
    assert RecalcLock.objects.get().holder == ""
    assert _stored() == expected
