"""The follower history by month on PostgreSQL: partitions created ahead, rows moved out of the default partition,
retention by whole months, table sizes in the admin, and EXPLAIN proving the growth chart and the recalculation
read only the months they need (the kept growth figures mean no snapshot at all)."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from creators import metrics, partitions, selectors, services, tasks
from creators.models import FollowerSnapshot, SocialAccount
from creators.schedules import DEFAULT_SCHEDULES
from tests.factories import SocialAccountFactory
from tests.test_settings import manage

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")


def history(account, days: int, today: date) -> None:
    """Daily snapshots from ``days`` days ago to today, written as a bulk load would (straight into the table)."""
    FollowerSnapshot.objects.bulk_create(
        FollowerSnapshot(account=account, date=today - timedelta(days=n), followers=10_000 + days - n)
        for n in range(days + 1)
    )


def months_between(first: date, last: date) -> set[str]:
    names, month = set(), partitions.month_start(first)
    while month <= last:
        names.add(partitions.month_name(month))
        month = partitions.next_month(month)
    return names


def read_partitions(plan: str) -> set[str]:
    return set(re.findall(r" on (creators_followersnapshot_(?:p\d{4}_\d{2}|default))(?!\w)", plan))


def explain(sql: str, *options: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({', '.join(('COSTS OFF', *options))}) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def leaving_before(today: date) -> date:
    """The last day of the month before the one the window of ``today`` starts in."""
    return partitions.month_start(today - timedelta(days=settings.ER_WINDOW_DAYS)) - timedelta(days=1)


def statements(run, table: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [query["sql"] for query in captured.captured_queries if table in query["sql"]]


@postgresql
def test_the_table_is_partitioned_by_month_with_months_ahead():
    assert partitions.is_partitioned()
    today = timezone.localdate()
    ahead = today + timedelta(days=31 * settings.SNAPSHOT_PARTITIONS_AHEAD)
    assert months_between(today, ahead) <= {partitions.month_name(m) for m in partitions.months()}
    account = SocialAccountFactory(followers=500)
    services.snapshots_record(account_ids=[account.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tableoid::regclass::text FROM {partitions.SNAPSHOTS} WHERE account_id = %s", [account.pk]
        )
        assert cursor.fetchone()[0] == partitions.month_name(today)


@postgresql
def test_rows_of_a_month_without_partition_land_in_the_default_and_move_to_their_month():
    account = SocialAccountFactory()
    old = date(2019, 5, 17)
    FollowerSnapshot.objects.create(account=account, date=old, followers=1)
    created = partitions.partitions_ensure()
    assert date(2019, 5, 1) in created
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {partitions.DEFAULT}")
        assert cursor.fetchone()[0] == 0
        cursor.execute(f"SELECT COUNT(*) FROM {partitions.month_name(old)}")
        assert cursor.fetchone()[0] == 1
    snapshot = FollowerSnapshot.objects.get(account=account)
    assert snapshot.date == old
    assert partitions.partitions_ensure() == []  # idempotent


@postgresql
def test_the_growth_chart_reads_only_the_months_of_its_90_days():
    today = timezone.localdate()
    account = SocialAccountFactory()
    history(account, 200, today)
    partitions.partitions_ensure()  # the bulk-loaded past months get their partitions
    plan = selectors.account_snapshots_query(account).explain()
    assert read_partitions(plan) == months_between(today - timedelta(days=90), today)
    assert partitions.DEFAULT not in plan


@postgresql
def test_the_recalculation_and_the_daily_snapshot_read_only_the_months_they_need():
    today = timezone.localdate()
    kept, unkept = SocialAccountFactory(followers=10_200), SocialAccountFactory(followers=10_200)
    history(kept, 200, today)
    history(unkept, 200, today)
    partitions.partitions_ensure()
    metrics.growth_refresh(account_ids=[kept.pk])

    # The daily snapshot adds a step read from the day's month only (the accounts it cannot add a step to are
    # recomputed from their window's months on); the move of the windows reads the months around the day that left.
    SocialAccount.objects.update(followers=10_300)
    recorded = statements(lambda: services.snapshots_record(account_ids=[kept.pk]), "creators_followersnapshot")
    [append] = [sql for sql in recorded if "SET steps = g.steps +" in sql]
    assert read_partitions(explain(append)) == {partitions.month_name(today)}
    [refresh] = [sql for sql in recorded if "INSERT INTO creators_followergrowth" in sql]
    assert not read_partitions(explain(refresh)) & months_between(today - timedelta(days=400), leaving_before(today))
    tomorrow = today + timedelta(days=1)
    leaving = today - timedelta(days=settings.ER_WINDOW_DAYS)
    expire = statements(lambda: metrics.growth_expire(today=tomorrow), "creators_followersnapshot")
    [moved] = [sql for sql in expire if "SET steps = g.steps - d.steps" in sql]
    assert read_partitions(explain(moved)) == months_between(leaving, tomorrow)  # no default, no month ahead
    [recomputed] = [sql for sql in expire if "INSERT INTO creators_followergrowth" in sql]
    assert not read_partitions(explain(recomputed)) & months_between(today - timedelta(days=400), leaving_before(today))

    now = datetime.combine(tomorrow, time(12), tzinfo=UTC)
    window = months_between(tomorrow - timedelta(days=settings.ER_WINDOW_DAYS), tomorrow)
    for account, reads in ((kept, set()), (unkept, window)):
        scope = metrics.Scope(ids=[account.creator_id])
        recalculate = lambda scope=scope: metrics.recalculate_creator_metrics(scope=scope, now=now)  # noqa: E731
        [update] = statements(recalculate, "creators_followergrowth")
        assert read_partitions(explain(update)) == window  # planned for an account without kept figures
        # Run: an account whose figures are kept reads no snapshot; another reads the months of its window.
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT explained")
            analyzed = explain(update, "ANALYZE", "TIMING OFF", "SUMMARY OFF")
            cursor.execute("ROLLBACK TO SAVEPOINT explained")
        scans = [line for line in analyzed.splitlines() if " on creators_followersnapshot_" in line]
        assert read_partitions("\n".join(line for line in scans if "never executed" not in line)) == reads, analyzed


@postgresql
def test_retention_drops_whole_old_months_and_deletes_older_days(settings):
    settings.SNAPSHOT_RETENTION_DAYS = 120
    today = timezone.localdate()
    account = SocialAccountFactory()
    history(account, 400, today)
    partitions.partitions_ensure()
    cutoff = today - timedelta(days=120)
    assert partitions.month_name(today - timedelta(days=300)) in {partitions.month_name(m) for m in partitions.months()}

    tasks.snapshot_partitions.apply()

    names = {partitions.month_name(m) for m in partitions.months()}
    assert partitions.month_name(today - timedelta(days=300)) not in names
    assert partitions.month_name(cutoff) in names  # the month of the cutoff keeps its later days
    dates = FollowerSnapshot.objects.filter(account=account).values_list("date", flat=True)
    assert min(dates) == cutoff and max(dates) == today and len(dates) == 121


def test_retention_deletes_snapshots_older_than_the_setting_on_any_database(settings):
    settings.SNAPSHOT_RETENTION_DAYS = 100
    today = timezone.localdate()
    account = SocialAccountFactory()
    history(account, 150, today)
    partitions.snapshots_retain()
    dates = FollowerSnapshot.objects.filter(account=account).values_list("date", flat=True)
    assert min(dates) == today - timedelta(days=100) and len(dates) == 101


def test_without_a_retention_setting_everything_is_kept():
    account = SocialAccountFactory()
    history(account, 400, timezone.localdate())
    assert partitions.snapshots_retain() == 0
    assert FollowerSnapshot.objects.filter(account=account).count() == 401


def test_a_retention_shorter_than_the_metrics_window_is_a_clear_error():
    result = manage("check", SNAPSHOT_RETENTION_DAYS="30", DEBUG="true")
    assert result.returncode != 0
    assert "SNAPSHOT_RETENTION_DAYS=30" in result.stderr and "ER_WINDOW_DAYS=90" in result.stderr
    assert "Traceback" not in result.stderr
    assert manage("check", SNAPSHOT_RETENTION_DAYS="90", DEBUG="true").returncode == 0


def test_the_partitions_task_is_scheduled_daily():
    task, when = DEFAULT_SCHEDULES["Follower history partitions and retention"]
    assert task == "creators.tasks.snapshot_partitions" and when["hour"] == "0"


def test_the_admin_shows_the_table_sizes(admin_client):
    account = SocialAccountFactory()
    history(account, 3, timezone.localdate())
    for url in ("/admin/creators/followersnapshot/", "/admin/creators/post/"):
        page = admin_client.get(url).content.decode()
        assert "Table sizes" in page and "creators_followersnapshot" in page and "creators_post" in page
    if connection.vendor == "postgresql":
        assert "(by month)" in page


@postgresql
def test_the_demo_history_lands_in_months_of_its_own():
    from creators import demo

    demo.seed(creators=5)
    assert FollowerSnapshot.objects.count() >= 5 * 60
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {partitions.DEFAULT}")
        assert cursor.fetchone()[0] == 0
