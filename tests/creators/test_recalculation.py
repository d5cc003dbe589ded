"""Recalculation runs: chunks, the lock, coalesced requests, the on-commit rule, a broker that is down."""

from datetime import timedelta
from importlib import import_module
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from creators import recalculation, services, tasks
from creators.metrics import Scope
from creators.models import Creator, FollowerSnapshot, RecalcLock, RecalcRequest, RecalcRun, SocialAccount
from tests.factories import PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def flaggable(n: int) -> list[SocialAccount]:
    accounts = []
    for _ in range(n):
        account = SocialAccountFactory(followers=1000)
        for k in range(3):
            PostFactory(account=account, likes=50, posted_at=timezone.now() - timedelta(days=k + 1))
        accounts.append(account)
    return accounts


def metrics_rows():
    return list(Creator.objects.order_by("pk").values_list("pk", "tier", "engagement_rate", "is_flagged", "followers"))


def test_a_full_run_goes_in_chunks_and_records_its_progress(celery_eager, settings):
    settings.RECALC_CHUNK_SIZE = 2
    flaggable(5)
    result = tasks.recalculate_all.delay(trigger="test").get()
    run = RecalcRun.objects.get(pk=result["run"])
    assert result["chunks"] == 3
    assert (run.status, run.chunks_done, run.creators_updated, run.percent) == ("succeeded", 3, 5, 100)
    assert run.creators_changed == 5  # every creator got its first metrics
    again = RecalcRun.objects.get(pk=tasks.recalculate_all.delay(trigger="test").get()["run"])
    assert (again.creators_updated, again.creators_changed) == (5, 0)
    assert run.finished_at and run.duration.total_seconds() >= 0
    assert Creator.objects.filter(is_flagged=True).count() == 5
    assert RecalcLock.objects.get().holder == ""


def test_a_second_full_run_while_one_holds_the_lock_does_nothing_and_says_so(celery_eager, capsys):
    flaggable(1)
    assert recalculation.lock_acquire("someone-else")
    assert tasks.recalculate_all.delay().get() == {"started": False}
    with pytest.raises(CommandError, match="already running"):
        call_command("recalculate")
    assert not Creator.objects.filter(is_flagged=True).exists()
    assert not RecalcRun.objects.exists()


def test_a_crashed_runs_lock_expires():
    flaggable(1)
    assert recalculation.lock_acquire("crashed", ttl=timedelta(seconds=-1))
    run = recalculation.run_in_foreground()
    assert run.status == "succeeded"
    assert Creator.objects.get().is_flagged


def test_running_a_chunk_twice_gives_the_same_rows():
    flaggable(3)
    low, high = Creator.objects.order_by("pk").first().pk, Creator.objects.order_by("pk").last().pk
    recalculation.recalculate_scope(Scope(id_min=low, id_max=high))
    once = metrics_rows()
    recalculation.recalculate_scope(Scope(id_min=low, id_max=high))
    assert metrics_rows() == once


def test_statistics_are_refreshed_after_a_run_that_changed_a_large_share(monkeypatch):
    analyzed = mock.Mock()
    monkeypatch.setattr(recalculation, "refresh_planner_statistics", analyzed)
    flaggable(3)
    recalculation.run_in_foreground()  # first metrics for every creator
    assert analyzed.call_count == 1
    recalculation.run_in_foreground()  # nothing changed: left to autovacuum
    assert analyzed.call_count == 1


def test_a_chunk_that_dies_midway_leaves_the_data_as_it_was():
    flaggable(2)
    before = metrics_rows()

    def explode(scope):
        raise RuntimeError("worker killed")

    recalculation.register_step(explode)
    try:
        with pytest.raises(RuntimeError):
            recalculation.recalculate_scope(Scope())
    finally:
        recalculation._steps.remove(explode)
    assert metrics_rows() == before


def test_a_failed_foreground_run_is_recorded_and_releases_the_lock(monkeypatch):
    flaggable(1)
    monkeypatch.setattr(recalculation, "recalculate_scope", mock.Mock(side_effect=RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        recalculation.run_in_foreground()
    run = RecalcRun.objects.get()
    assert run.status == "failed" and "boom" in run.error
    assert RecalcLock.objects.get().holder == ""


def test_a_burst_of_requests_queues_a_handful_of_tasks(django_capture_on_commit_callbacks):
    accounts = flaggable(3)
    with mock.patch("config.queue.enqueue") as enqueue:
        for _ in range(100):
            with django_capture_on_commit_callbacks(execute=True):
                services.recalculate_soon(creator_ids=[a.creator_id for a in accounts])
        # 10,000 creators in all, the 3 among them whatever ids earlier tests left the sequence at.
        burst = [a.creator_id for a in accounts] + list(range(10**9, 10**9 + 10_000 - 3))
        with django_capture_on_commit_callbacks(execute=True):
            services.recalculate_soon(creator_ids=burst)
    assert enqueue.call_count == 1
    assert RecalcRequest.objects.count() == 10_000
    assert recalculation.drain_requests() == 10_000
    assert RecalcRequest.objects.count() == 0
    assert Creator.objects.filter(is_flagged=True).count() == 3


def test_a_rolled_back_transaction_enqueues_nothing(django_capture_on_commit_callbacks):
    account = flaggable(1)[0]
    with (
        mock.patch("config.queue.enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        try:
            with transaction.atomic():
                services.recalculate_soon(creator_ids=[account.creator_id])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and enqueue.call_count == 0
    assert RecalcRequest.objects.count() == 0


def test_when_the_broker_is_down_the_change_is_saved_and_caught_up_later(
    admin_client, django_capture_on_commit_callbacks
):
    account = flaggable(1)[0]
    post = account.posts.first()
    data = {
        "account": account.pk,
        "posted_at_0": post.posted_at.date().isoformat(),
        "posted_at_1": "10:00:00",
        "url": post.url,
        "likes": 1,
        "comments": 0,
        "shares": 0,
        "saves": 0,
        "views": 0,
    }
    with mock.patch("config.queue.enqueue", side_effect=OperationalError("redis down")):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(f"/admin/creators/post/{post.pk}/change/", data)
        assert response.status_code == 302
        assert admin_client.get("/").status_code == 200
        assert admin_client.get("/creators/").status_code == 200
    post.refresh_from_db()
    assert post.likes == 1
    assert RecalcRequest.objects.filter(creator_id=account.creator_id).exists()
    tasks.recalculate_requested.apply()  # the periodic catch-up
    account.refresh_from_db()
    assert account.engagement_rate == pytest.approx((1 + 50 + 50) / 3 / 10)


def test_the_daily_snapshot_records_every_account_once_a_day():
    accounts = [SocialAccountFactory(followers=100 * (n + 1)) for n in range(3)]
    tasks.snapshot_followers.apply()
    SocialAccount.objects.filter(pk=accounts[0].pk).update(followers=999)
    tasks.snapshot_followers.apply()
    assert FollowerSnapshot.objects.count() == 3
    assert FollowerSnapshot.objects.get(account=accounts[0]).followers == 999


def test_the_default_schedules_exist_and_are_in_the_admin(admin_client):
    from django_celery_beat.models import PeriodicTask

    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {"Nightly full recalculation", "Incremental recalculation catch-up", "Daily follower snapshot"} <= names
    nightly = PeriodicTask.objects.get(name="Nightly full recalculation")
    assert (nightly.crontab.hour, nightly.crontab.minute) == ("3", "0")
    assert b"Nightly full recalculation" in admin_client.get("/admin/django_celery_beat/periodictask/").content


def test_recalculate_async_prints_the_task_id(capsys):
    with mock.patch("config.queue.enqueue", return_value=mock.Mock(id="abc-123")) as enqueue:
        call_command("recalculate", "--async")
    assert "abc-123" in capsys.readouterr().out
    enqueue.assert_called_once_with("creators.tasks.recalculate_all", kwargs={"trigger": "command"})


def test_the_dashboard_footer_and_the_admin_show_the_last_run(admin_client, admin_user):
    from tests.factories import MembershipFactory

    MembershipFactory(user=admin_user)
    flaggable(2)
    recalculation.run_in_foreground(trigger="command")
    page = admin_client.get("/").content.decode()
    assert "Last full recalculation: succeeded" in page and "2 creators updated, 2 of them with new values" in page
    started = recalculation.run_start(trigger="beat", chunk_size=1)
    assert "Recalculation in progress: <strong>0 %</strong> (0/2 chunks" in admin_client.get("/").content.decode()
    run, (first, _) = started
    recalculation.run_chunk(run.pk, *first)
    assert "50 % (1/2 chunks)" in admin_client.get("/admin/creators/recalcrun/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_chunk_commits_without_waiting_for_the_disk_but_an_import_does_not(settings):
    """Derived values (a chunk on its own) commit asynchronously; inside a transaction that also saves primary data
    (an import recalculating at once) the caller's durability is left as it is."""
    seen = []

    def record(scope):
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit" if connection.vendor == "postgresql" else "SELECT 'n/a'")
            seen.append(cursor.fetchone()[0])

    recalculation.register_step(record)
    try:
        recalculation.recalculate_scope(Scope(ids=[1]))
        with transaction.atomic():
            recalculation.recalculate_scope(Scope(ids=[1]))
    finally:
        recalculation._steps.remove(record)
    assert seen == (["off", "on"] if connection.vendor == "postgresql" else ["n/a", "n/a"])


def test_the_indexes_a_recalculation_rewrites_are_built_with_room():
    creators_room = import_module("creators.migrations.0013_index_room_for_rewrites")
    fit_room = import_module("campaigns.migrations.0007_index_room_for_rewrites")
    names = creators_room.INDEXES + fit_room.INDEXES
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":  # a PostgreSQL storage setting: elsewhere the schema is left alone
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE sql LIKE '%%fillfactor%%'")
            assert cursor.fetchone()[0] == 0
            return
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [names])
        found = dict(cursor.fetchall())
    assert found == {name: ["fillfactor=70"] for name in names}


@pytest.mark.django_db(transaction=True)
def test_two_workers_recalculate_two_chunks_of_a_run_side_by_side():
    """Each chunk locks its own row only: two chunks of one run are inside their transactions at the same moment
    (a lock on the run's row, taken by a plain FOR UPDATE over the join, made the workers take turns)."""
    import threading

    from django.db import connections

    SocialAccountFactory.create_batch(4)
    run, ranges = recalculation.run_start(trigger="test", chunk_size=2)
    assert len(ranges) == 2
    together = threading.Barrier(2, timeout=10)

    def meet(scope):
        together.wait()  # both chunks must get here before either commits

    outcomes = []

    def work(low, high):
        try:
            outcomes.append(recalculation.run_chunk(run.pk, low, high))
        except threading.BrokenBarrierError:
            outcomes.append("took turns")
        finally:
            connections.close_all()

    recalculation.register_step(meet)
    try:
        threads = [threading.Thread(target=work, args=chunk) for chunk in ranges]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        recalculation._steps.remove(meet)
    assert outcomes == [True, True]
    run.refresh_from_db()
    assert run.chunks_done == 2 and run.finished_at is not None
