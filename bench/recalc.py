"""The recalculation benchmark (``bench_recalc``): full runs with 1 and 2 workers against a SQL floor."""

import contextlib
import random
import subprocess
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from config import worker_process
from config.celery_app import app
from config.queue import enqueue
from creators import metrics, recalculation, services
from creators.models import Creator, FollowerSnapshot, RecalcLock, RecalcRun, SocialAccount

from . import dataset

# The floor: one hand-written statement computing and storing the same account ERs, nothing else. Each account's
# latest posts are read from the (account, posted_at) index by a LATERAL subquery: 14–17 s at a million creators
# against 27–34 s for the same statement with a window function over every post in the window (the floor used
# until the fourth session); the faster form is the floor, so every ratio is to the best single statement we know.
FLOOR_SQL = """
UPDATE creators_socialaccount AS t SET engagement_rate = c.er
FROM (
    SELECT a.id, CASE WHEN r.n >= %(min_posts)s AND a.followers > 0
                      THEN r.total * 100.0 / (r.n * a.followers) END AS er
    FROM creators_socialaccount a
    CROSS JOIN LATERAL (
        SELECT count(*) AS n, sum(interactions) AS total FROM (
            SELECT p.interactions FROM creators_post p
            WHERE p.account_id = a.id
              AND p.posted_at >= now() - make_interval(days => %(days)s) AND p.posted_at <= now()
            ORDER BY p.posted_at DESC, p.id DESC LIMIT %(post_count)s
        ) latest
    ) r
) c WHERE t.id = c.id
"""
# The worst case: every account, creator and fit row must be written again. Creators keep their tier and cost per
# engagement, from which each run starts by taking the tier medians (as a nightly run finds them), so the scores
# come back to the same values whichever run comes first.
RESET_SQL = [
    "UPDATE creators_socialaccount SET engagement_rate = NULL, tier = '', is_high_engagement = false, er_posts = 0",
    "UPDATE creators_creator SET engagement_rate = NULL, is_flagged = false, followers = NULL, "
    "primary_account_id = NULL, accounts_count = 0",
    "UPDATE campaigns_fitscore SET score = -1",
]


@dataclass
class Row:
    label: str
    n: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.n / self.seconds if self.seconds else 0.0


def close_interrupted() -> None:
    """The benchmark owns its database: a run left "running" by an interrupted benchmark is closed, its lock freed."""
    RecalcRun.objects.filter(status=RecalcRun.Status.RUNNING).update(
        status=RecalcRun.Status.FAILED, error="interrupted benchmark"
    )
    RecalcLock.objects.update(holder="", expires_at=None)


def reset_metrics() -> None:
    """Clear the stored metrics so that every timed run does the full work of writing them."""
    close_interrupted()
    with connection.cursor() as cursor:
        for sql in RESET_SQL:
            cursor.execute(sql)


FLOOR_RUNS = 2


def floor_parameters() -> dict:
    return {"min_posts": settings.ER_MIN_POSTS, "days": settings.ER_WINDOW_DAYS, "post_count": settings.ER_POST_COUNT}


def time_floor() -> float:
    """The floor's best time of ``FLOOR_RUNS``, each from settled tables and rolled back after: it writes every
    account's ER (PostgreSQL writes a new row version whether or not the value changed, so the work is the same as
    from cleared ERs), and the scenes after it find the values the previous run left (a nothing-changed scene can
    come first). The lower the floor, the stricter every ratio to it."""
    params = floor_parameters()
    timings = []
    for _ in range(FLOOR_RUNS):
        settle()
        with transaction.atomic(), connection.cursor() as cursor:
            start = time.perf_counter()
            cursor.execute(FLOOR_SQL, params)
            timings.append(time.perf_counter() - start)
            transaction.set_rollback(True)
    return min(timings)


TOUCH_SQL = """
UPDATE creators_socialaccount SET followers = followers + 1 + followers / 50, updated_at = now()
WHERE mod(id, 20) = %(k)s
"""


def touch_accounts(k: int = 0) -> None:
    """A typical night: 5 % of the accounts (a different 5 % for each ``k``) gained followers since the last run,
    so their ERs, tiers, flags and fit scores move."""
    with connection.cursor() as cursor:
        cursor.execute(TOUCH_SQL, {"k": k})


def rebuild_indexes() -> None:
    """Build the rewritten tables' indexes anew (≈ 25 s at a million creators), so that no timed run inherits the
    page splits of the one before: a worst-case run moves every index entry of the metric columns, and ten such runs
    in a row grew the fit score index from 103 to 468 MB and doubled the time of a chunk. Fresh indexes are the state
    a data set has after its import, and the one nightly runs keep (they move few entries)."""
    with connection.cursor() as cursor:
        for table in recalculation.REWRITTEN_TABLES:
            cursor.execute(f"REINDEX TABLE {table}")


def settle() -> None:
    """Start every timed run from the same state: tables vacuumed and analyzed (as autovacuum leaves them between
    nightly runs, so no run pays for the dead rows of the one before) and the previous writes flushed. The growth
    figures too: every chunk reads them, and the daily snapshot rewrites them (this machine's PostgreSQL runs without
    autovacuum, and a figures table left with a third of its rows dead cost ≈ 15 ms a chunk)."""
    with connection.cursor() as cursor:
        for table in (*recalculation.REWRITTEN_TABLES, "creators_followergrowth"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        with contextlib.suppress(DatabaseError):  # needs a superuser; without it the run starts without the flush
            cursor.execute("CHECKPOINT")


# The scenes a full run is timed in: every stored value cleared first (the worst case: every row is written);
# a typical night (5 % of the accounts changed); nothing changed since the previous run.
DAILY_SQL = "UPDATE creators_socialaccount SET followers = followers + 1 + followers / 500, updated_at = now()"


def every_account_changed(workers: int = 0) -> None:
    """The night after a daily sync: every account gained followers (0.2 %), so nearly every stored value moves."""
    with connection.cursor() as cursor:
        cursor.execute(DAILY_SQL)


# name → (label suffix, how the scene is set)
SCENARIOS = {
    "worst": ("", lambda workers: reset_metrics()),
    "daily": (", every account changed (daily sync)", every_account_changed),
    "typical": (", typical night (5 % changed)", touch_accounts),
    "nothing": (", nothing changed", None),
}
DEFAULT_SCENES = ("worst", "typical", "nothing")


def time_workers(workers: int, *, prepare=None) -> float:
    """A full recalculation through Celery, fanned out over ``workers`` worker processes.

    ``prepare(workers)`` sets the scene first (see ``SCENARIOS``); without it the run finds the values of the
    previous run and has nothing to write.
    """
    if prepare:
        prepare(workers)
    RecalcLock.objects.update(holder="", expires_at=None)
    rebuild_indexes()
    settle()
    queue = worker_process.private_queue("bench")
    processes = [
        worker_process.start(queue, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)
    ]
    try:
        time.sleep(4)  # let the workers connect before the clock starts
        app.conf.task_default_queue = queue
        before = RecalcRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        start = time.perf_counter()
        started = enqueue("creators.tasks.recalculate_all", kwargs={"trigger": "bench"}, queue=queue).get(timeout=600)
        if not started.get("started"):
            raise RuntimeError("the full recalculation did not start (locked)")
        while True:
            run = RecalcRun.objects.filter(pk__gt=before).order_by("-pk").first()
            if run and run.finished_at:
                if run.status != RecalcRun.Status.SUCCEEDED:
                    raise RuntimeError(f"the run failed: {run.error}")
                return time.perf_counter() - start
            time.sleep(0.05)
    finally:
        for process in processes:
            worker_process.stop(process)


def time_incremental(samples: int = 20) -> float:
    """Median seconds to recalculate one creator (every step), as an incremental request does."""
    ids = list(Creator.objects.order_by("?").values_list("pk", flat=True)[:samples])
    timings = []
    for creator_id in ids:
        start = time.perf_counter()
        recalculation.recalculate_scope(metrics.Scope(ids=[creator_id]))
        timings.append(time.perf_counter() - start)
    timings.sort()
    return timings[len(timings) // 2] if timings else 0.0


def run_benchmark(n: int, log=print, *, scenes=DEFAULT_SCENES, worker_counts=(1, 2)) -> list[str]:
    random.seed(1)
    close_interrupted()
    creators = Creator.objects.count()
    snapshots = FollowerSnapshot.objects.count()
    floor = time_floor()
    rows = [Row(f"floor: one SQL statement (account ERs only), best of {FLOOR_RUNS}", creators, floor)]
    for scene in scenes:
        suffix, prepare = SCENARIOS[scene]
        for workers in worker_counts:
            label = f"full recalculation, {workers} worker{'s' if workers > 1 else ''}{suffix}"
            rows.append(Row(label, creators, time_workers(workers, prepare=prepare)))
            log(f"  {rows[-1].label}: {rows[-1].seconds:.1f} s")
    incremental = time_incremental()
    width = max(len(row.label) for row in rows)
    lines = [
        f"bench_recalc: {creators:,} creators in the database (bench set: {n:,}), "
        f"{f'{snapshots:,} follower snapshots, ' if snapshots else ''}chunk size {settings.RECALC_CHUNK_SIZE:,}",
        "",
        f"| {'run':<{width}} | {'N':>10} | {'seconds':>8} | {'creators/s':>10} | {'ratio to floor':>14} |",
        f"|{'-' * (width + 2)}|{'-' * 12}|{'-' * 10}|{'-' * 12}|{'-' * 16}|",
    ]
    for row in rows:
        ratio = row.seconds / floor
        lines.append(
            f"| {row.label:<{width}} | {row.n:>10,} | {row.seconds:>8.2f} | {row.per_second:>10,.0f} | {ratio:>14.2f} |"
        )
    lines.append(
        f"| {'incremental, one creator (median of 20)':<{width}} | {1:>10} | {incremental:>8.4f} "
        f"| {'':>10} | {'':>14} |"
    )
    return lines


def time_daily_snapshot() -> float:
    """The daily snapshot of every account on the next day (each account's step added to its figures, the windows
    moved on a day), as the beat task runs it; the next day's rows are removed after."""
    tomorrow = timezone.now().date() + timedelta(days=1)
    settle()
    start = time.perf_counter()
    with transaction.atomic():
        services.snapshots_record(day=tomorrow)
        metrics.growth_expire(today=tomorrow)
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM creators_followersnapshot WHERE date = %s", [tomorrow])
    metrics.growth_refresh()
    return seconds


HISTORY_REPEATS = 3


def run_history_benchmark(n: int, log=print) -> list[str]:
    """A nothing-changed full recalculation with 90 days of daily snapshots for every account (2 % with a spike) and
    the growth figures kept; the same with the figures dropped (every snapshot of the window read, as before they were
    kept); and without any follower history. Each the best of ``HISTORY_REPEATS`` runs (this machine's runs move by
    10–20 %); the history is generated again on the next run (it is removed for the last scene)."""
    creators = Creator.objects.count()
    rows: list[Row] = []

    def measure(scene: str, repeats: int = HISTORY_REPEATS) -> None:
        recalculation.run_in_foreground(trigger="bench")  # the scene's values stored: the timed runs find nothing new
        for workers in (1, 2):
            label = f"{scene}, {workers} worker{'s' if workers > 1 else ''}"
            timings = [time_workers(workers) for _ in range(repeats)]
            rows.append(Row(label, creators, min(timings)))
            log(f"  {label}: {', '.join(f'{t:.1f}' for t in timings)} s")

    built = dataset.history_ensure(log=log)
    snapshots = FollowerSnapshot.objects.count()
    measure("90 days of snapshots, growth figures kept")
    spiked = SocialAccount.objects.filter(suspicion__startswith="follower spike").count()
    daily = time_daily_snapshot()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE creators_followergrowth")
    measure("90 days of snapshots, no figures (every snapshot read)", repeats=1)
    dataset.history_clear()
    measure("no follower history")

    base = {row.label.rsplit(", ", 1)[1]: row.seconds for row in rows[-2:]}
    lines = [
        f"bench_recalc --snapshots: {creators:,} creators (bench set: {n:,}), {snapshots:,} follower snapshots "
        f"(a full window per account: {dataset.HISTORY_DAYS} days), {spiked:,} accounts with a follower spike "
        f"(id divisible by 50: 2 %), chunk size {settings.RECALC_CHUNK_SIZE:,}; best of {HISTORY_REPEATS} runs",
        "",
        f"| {'nothing-changed full recalculation':<66} | {'seconds':>8} | {'ratio to no history':>19} |",
        f"|{'-' * 68}|{'-' * 10}|{'-' * 21}|",
    ]
    for row in sorted(rows, key=lambda row: "no follower" not in row.label):
        ratio = row.seconds / base[row.label.rsplit(", ", 1)[1]]
        lines.append(f"| {row.label:<66} | {row.seconds:>8.2f} | {ratio:>19.2f} |")
    lines += [
        "",
        f"Building the history: snapshots {built.get('snapshots', 0):.1f} s, growth figures from them once "
        f"{built.get('figures', 0):.1f} s. The daily snapshot of every account the next day (its step added to "
        f"the running figures, the windows moved on a day): {daily:.1f} s.",
    ]
    return lines
