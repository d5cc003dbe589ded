"""The follower history by month: PostgreSQL range partitions of ``creators_followersnapshot`` on ``date``.

Migration 0019 makes the table partitioned on PostgreSQL (other databases keep one plain table). A daily task
creates the months ahead (``SNAPSHOT_PARTITIONS_AHEAD``), moves rows that landed in the default partition (a date no
month existed for) into months of their own, and applies ``SNAPSHOT_RETENTION_DAYS`` by dropping whole months.
Queries bounded by date (the growth chart, the recalculation's window) then read only the months they cover.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

SNAPSHOTS = "creators_followersnapshot"
DEFAULT = f"{SNAPSHOTS}_default"
COLUMNS = "id, date, followers, account_id, engagement_rate"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def month_name(month: date) -> str:
    return f"{SNAPSHOTS}_p{month:%Y_%m}"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [SNAPSHOTS])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def months() -> list[date]:
    """The first days of the months that have a partition, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = to_regclass(%s)""",
            [SNAPSHOTS],
        )
        names = [name for (name,) in cursor.fetchall() if name != DEFAULT]
    return sorted(date(int(name[-7:-3]), int(name[-2:]), 1) for name in names)


def create_month(cursor, month: date) -> None:
    """The partition of ``month``, with the rows of that month the default partition holds moved into it."""
    low, high = month_start(month), next_month(month)
    cursor.execute(f"CREATE TEMPORARY TABLE moving (LIKE {SNAPSHOTS}) ON COMMIT DROP")
    cursor.execute(
        f"""WITH moved AS (DELETE FROM {DEFAULT} WHERE date >= %s AND date < %s RETURNING {COLUMNS})
            INSERT INTO moving ({COLUMNS}) SELECT {COLUMNS} FROM moved""",
        [low, high],
    )
    # Dates are safe to write into the statement (DDL takes no parameters).
    cursor.execute(f"CREATE TABLE {month_name(low)} PARTITION OF {SNAPSHOTS} FOR VALUES FROM ('{low}') TO ('{high}')")
    cursor.execute(f"INSERT INTO {SNAPSHOTS} ({COLUMNS}) SELECT {COLUMNS} FROM moving")
    cursor.execute("DROP TABLE moving")


@transaction.atomic
def partitions_ensure(*, today: date | None = None, ahead: int | None = None, since: date | None = None) -> list[date]:
    """Create the partitions from this month (or the month of ``since``, for a load of past days) to ``ahead``
    months on (``SNAPSHOT_PARTITIONS_AHEAD``), and one for every month the default partition holds rows of; return
    the months created. Nothing on other databases."""
    if not is_partitioned():
        return []
    today = today or timezone.localdate()
    ahead = settings.SNAPSHOT_PARTITIONS_AHEAD if ahead is None else ahead
    last = month_start(today)
    for _ in range(ahead):
        last = next_month(last)
    month, wanted = month_start(min(since or today, today)), []
    while month <= last:
        wanted.append(month)
        month = next_month(month)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {SNAPSHOTS} IN SHARE ROW EXCLUSIVE MODE")  # one creator of partitions at a time
        cursor.execute(f"SELECT DISTINCT CAST(date_trunc('month', date) AS date) FROM {DEFAULT}")
        wanted += [month for (month,) in cursor.fetchall()]
        created = sorted(set(wanted) - set(months()))
        for month in created:
            create_month(cursor, month)
    return created


@transaction.atomic
def snapshots_retain(*, today: date | None = None) -> int:
    """Delete the snapshots older than ``SNAPSHOT_RETENTION_DAYS`` (whole months dropped where a partition holds
    only such days); return how many months were dropped plus rows deleted. Nothing when the setting is unset."""
    days = settings.SNAPSHOT_RETENTION_DAYS
    if days is None:
        return 0
    cutoff = (today or timezone.localdate()) - timedelta(days=max(days, settings.ER_WINDOW_DAYS))
    removed = 0
    with connection.cursor() as cursor:
        if is_partitioned():
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a month with checks pending cannot be dropped
            for month in months():
                if next_month(month) <= cutoff:
                    cursor.execute(f"DROP TABLE {month_name(month)}")
                    removed += 1
        cursor.execute(f"DELETE FROM {SNAPSHOTS} WHERE date < %s", [cutoff])
        removed += max(cursor.rowcount, 0)
    return removed


@dataclass(frozen=True)
class TableSize:
    name: str
    rows: int  # PostgreSQL's estimate (exact on SQLite)
    bytes: int | None  # with its indexes; None when the database does not say
    partitions: int


def table_sizes() -> list[TableSize]:
    """The sizes of the tables that grow for years: the follower history and the posts."""
    tables = [SNAPSHOTS, "creators_post"]
    sizes = []
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(
                    """WITH parts AS (
                           SELECT to_regclass(%(table)s) AS oid, 0 AS level
                           UNION ALL SELECT i.inhrelid, 1 FROM pg_inherits i WHERE i.inhparent = to_regclass(%(table)s)
                       )
                       SELECT COALESCE(SUM(GREATEST(c.reltuples, 0)) FILTER (WHERE c.relkind <> 'p'), 0),
                              COALESCE(SUM(pg_total_relation_size(c.oid)), 0),
                              COUNT(*) FILTER (WHERE p.level > 0)
                       FROM parts p JOIN pg_class c ON c.oid = p.oid""",
                    {"table": table},
                )
                rows, size, parts = cursor.fetchone()
                sizes.append(TableSize(table, int(rows), int(size), int(parts)))
            else:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                sizes.append(TableSize(table, cursor.fetchone()[0], _sqlite_bytes(cursor, table), 0))
    return sizes


def _sqlite_bytes(cursor, table: str) -> int | None:
    try:  # the dbstat table exists only when SQLite was built with it
        cursor.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = %s)",
            [table],
        )
    except Exception:
        return None
    return cursor.fetchone()[0]
