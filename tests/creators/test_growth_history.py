"""The kept growth figures (``FollowerGrowth``) against the spike definition computed from the full snapshot history.

Each check records snapshots the way the app does (``snapshots_record``, the daily ``growth_expire``), then compares
the stored figures and the recalculated signal with the definition applied in Python to every snapshot of the account.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest
from django.conf import settings
from django.db import connection

from creators import metrics, services
from creators.models import FollowerGrowth, FollowerSnapshot, SocialAccount
from tests.factories import FollowerSnapshotFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

START = date(2026, 1, 1)


def record(account, day: date, followers: int) -> None:
    SocialAccount.objects.filter(pk=account.pk).update(followers=followers)
    services.snapshots_record(account_ids=[account.pk], day=day)


def window(account, today: date) -> list[tuple[date, int]]:
    """The definition's window, read from every snapshot the account has."""
    since = today - timedelta(days=settings.ER_WINDOW_DAYS)
    history = FollowerSnapshot.objects.filter(account=account).order_by("date").values_list("date", "followers")
    return [(day, followers) for day, followers in history if since <= day <= today]


def defined(points: list[tuple[date, int]]) -> tuple[int, float, float | None]:
    steps = [(after - before) / before for (_, before), (_, after) in pairwise(points) if before > 0]
    return len(steps), sum(steps), max(steps, default=None)


def stored(account, today: date) -> tuple[int, float, float | None]:
    growth = FollowerGrowth.objects.get(account=account)
    since = today - timedelta(days=settings.ER_WINDOW_DAYS)
    # Kept for this day's window: the recalculation reads these figures and no snapshot.
    assert growth.since <= since and (growth.oldest is None or growth.oldest >= since)
    return growth.steps, growth.total, growth.top


def assert_same(account, today: date) -> None:
    steps, total, top = stored(account, today)
    expected_steps, expected_total, expected_top = defined(window(account, today))
    assert steps == expected_steps
    assert total == pytest.approx(expected_total, abs=1e-12)
    assert top == expected_top


def spiked(account, today: date) -> bool:
    """The stored signal after a recalculation on ``today``."""
    metrics.recalculate_creator_metrics(now=datetime.combine(today, time(12), tzinfo=UTC))
    account.refresh_from_db()
    return account.suspicion.startswith("follower spike")


def spike_defined(account, today: date) -> bool:
    return bool(metrics.spike_days(window(account, today)))


def test_a_year_of_daily_snapshots_with_gaps_a_spike_and_a_zero_day_keeps_the_definition():
    rng = random.Random(14)
    account = SocialAccountFactory(followers=10_000)
    followers, seen = 10_000, set()
    for n in range(140):
        today = START + timedelta(days=n)
        followers = int(followers * (1 + rng.uniform(0, 0.004)))
        if n == 15:
            followers = int(followers * 1.3)  # the spike, which leaves the window 91 days later
        if n == 40:
            followers = 0  # a step from 0 has no growth
        if n == 41:
            followers = 9_000
        if rng.random() > 0.2:  # about one day in five without a snapshot
            record(account, today, followers)
        if n % 9 == 4:
            # The daily move of the windows did not run: the recalculation is still exact (from the snapshots).
            assert spiked(account, today) == spike_defined(account, today)
            continue
        metrics.growth_expire(today=today)
        assert_same(account, today)
        spike = spiked(account, today)
        assert spike == spike_defined(account, today)
        seen.add(spike)
    assert seen == {True, False}


def test_a_spike_on_the_first_day_of_the_window_counts_on_day_90_and_not_on_day_91():
    account = SocialAccountFactory(followers=10_000)
    followers = 10_000
    for n in range(8):
        followers = followers * 2 if n == 1 else followers + 10
        record(account, START + timedelta(days=n), followers)
    day_90 = START + timedelta(days=settings.ER_WINDOW_DAYS)  # the first snapshot is the window's first day
    metrics.growth_expire(today=day_90)
    assert_same(account, day_90)
    assert spiked(account, day_90) and spike_defined(account, day_90)

    day_91 = day_90 + timedelta(days=1)
    # Before the daily move the kept figures still hold the spike; the recalculation sees they are out of date.
    assert FollowerGrowth.objects.get(account=account).steps == 7
    assert not spiked(account, day_91)
    metrics.growth_expire(today=day_91)
    assert_same(account, day_91)
    assert stored(account, day_91)[0] == 6
    assert not spiked(account, day_91) and not spike_defined(account, day_91)


def test_a_first_snapshot_and_fewer_than_five_steps_are_no_spike():
    account = SocialAccountFactory(followers=1_000)
    record(account, START, 1_000)
    assert FollowerGrowth.objects.filter(account=account, steps=0, oldest=START, latest=START).exists()
    assert not spiked(account, START)

    values = [1_000, 1_001, 1_002, 3_000]  # four steps, one of them huge
    for n, followers in enumerate(values[1:], start=1):
        record(account, START + timedelta(days=n), followers)
    today = START + timedelta(days=3)
    assert_same(account, today)
    assert stored(account, today)[0] == 3
    assert not spiked(account, today) and not spike_defined(account, today)

    for n in (4, 5):
        record(account, START + timedelta(days=n), 3_001 + n)
    today = START + timedelta(days=5)
    assert_same(account, today)
    assert stored(account, today)[0] == 5
    assert spiked(account, today) and spike_defined(account, today)


def test_a_changed_snapshot_of_the_day_and_one_recorded_late_are_recomputed():
    account = SocialAccountFactory()
    for n, followers in enumerate([5_000, 5_010, 5_020, 5_030, 5_040, 5_050]):
        record(account, START + timedelta(days=n), followers)
    today = START + timedelta(days=5)
    record(account, today, 9_000)  # today's followers changed after today's snapshot: the last step changes
    assert_same(account, today)
    assert spiked(account, today)

    record(account, START + timedelta(days=2), 20_000)  # a day of the past corrected: two steps change
    assert_same(account, today)
    assert spiked(account, today) == spike_defined(account, today)


def test_a_snapshot_dated_ahead_is_left_out_of_the_window_until_its_day():
    account = SocialAccountFactory(followers=10_000)
    for n, followers in enumerate([10_000, 10_010, 10_020, 10_030, 10_040, 10_050]):
        record(account, START + timedelta(days=n), followers)
    ahead = START + timedelta(days=120)
    record(account, ahead, 50_000)  # written ahead (an import's date, say): a spike once its day has come
    for today in (START + timedelta(days=91), ahead - timedelta(days=1), ahead):
        metrics.growth_expire(today=today)
        assert spiked(account, today) == spike_defined(account, today)
    assert spiked(account, ahead) is False  # only one step left in the window
    record(account, ahead + timedelta(days=1), 50_001)
    assert_same(account, ahead + timedelta(days=1))


def test_snapshots_written_without_the_service_are_read_from_the_history_until_refreshed():
    account = SocialAccountFactory(followers=10_000)
    today = START + timedelta(days=9)
    for n, followers in enumerate([10_000, 10_010, 10_020, 10_030, 10_040, 10_050, 20_000, 20_010, 20_020, 20_030]):
        FollowerSnapshotFactory(account=account, date=START + timedelta(days=n), followers=followers)
    assert not FollowerGrowth.objects.filter(account=account).exists()
    assert spiked(account, today)

    metrics.growth_refresh(account_ids=[account.pk], today=today)
    assert_same(account, today)
    assert spiked(account, today)


def test_the_daily_snapshot_keeps_every_account_and_moves_the_windows(celery_eager):
    from creators import tasks

    accounts = [SocialAccountFactory(followers=1_000 + n) for n in range(3)]
    tasks.snapshot_followers.apply()
    assert FollowerGrowth.objects.filter(account__in=accounts).count() == 3
    for account in accounts:
        assert_same(account, datetime.now(UTC).date())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a row's page is PostgreSQL's ctid")
@pytest.mark.django_db(transaction=True)
def test_the_daily_update_of_every_account_keeps_each_growth_row_on_its_page():
    """Each day updates every account's row; on full pages each new version would go to another page, and a
    recalculation's chunk would read its rows from pages spread over the whole table (migration 0022)."""
    accounts = SocialAccountFactory.create_batch(300, followers=1_000)
    ids = [account.pk for account in accounts]

    def pages() -> dict[int, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT account_id, (ctid::text::point)[0] FROM creators_followergrowth")
            return dict(cursor.fetchall())

    services.snapshots_record(account_ids=ids, day=START)
    first = pages()
    assert len(first) == 300
    for day in range(1, 8):
        SocialAccount.objects.filter(pk__in=ids).update(followers=1_000 + day * 7)
        services.snapshots_record(account_ids=ids, day=START + timedelta(days=day))
    later = pages()
    assert FollowerGrowth.objects.get(pk=ids[0]).steps == 7
    stayed = sum(later[account_id] == page for account_id, page in first.items())
    assert stayed >= 0.95 * len(first), f"only {stayed} of {len(first)} rows stayed on their page"
