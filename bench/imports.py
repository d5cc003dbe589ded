"""bench_import: the CSV imports of CONTRACT section 4 at size, against PostgreSQL's COPY of the same file.

Each import runs in a process of its own (``manage.py import_creators`` / ``import_posts``, as a user runs them), so
its peak memory is its own, and the re-imports again through the import page's path (the file in storage, run as a
worker runs it); the floor is ``COPY`` of the same file into an unindexed table of text columns, and for context the
time Python's csv module takes only to read the file. The creators and posts it makes carry their own e-mail domain
and are deleted afterwards, with the import history it made.
"""

import csv
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core.files import File
from django.db import connection

from audit.context import acting
from creators import importjobs
from creators.models import Creator, ImportJob, Niche

from . import measure

EMAIL_DOMAIN = "bench-import.microreach.test"
CREATOR_HEADER = "name,email,country,niches,platform,handle,followers,following,profile_url,city,rate"
POST_HEADER = "platform,handle,posted_at,likes,comments,shares,saves,views,url"


def _creators_file(path: Path, rows: int) -> None:
    """``rows`` account rows: two accounts per creator, a few niches, every optional column."""
    with path.open("w") as out:
        out.write(CREATOR_HEADER + "\n")
        for n in range(rows):
            creator = n // 2
            platform = "instagram" if n % 2 else "tiktok"
            out.write(
                f"Bench creator {creator},{creator}@{EMAIL_DOMAIN},US,Fitness;Budget tech,{platform},benchimp{n},"
                f"{1000 + n},{n % 500},https://example.com/{n},Austin,{100 + creator % 900}.00\n"
            )


def _posts_file(path: Path, account_rows: int, per_account: int = 10) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with path.open("w") as out:
        out.write(POST_HEADER + "\n")
        for n in range(account_rows):
            platform = "instagram" if n % 2 else "tiktok"
            for k in range(per_account):
                posted = (start + timedelta(hours=n % 2000 + 24 * k)).isoformat()
                out.write(
                    f"{platform},benchimp{n},{posted},{100 + k},{k},0,0,{1000 + k},https://example.com/p/{n}/{k}\n"
                )


def _invalid_posts_file(path: Path, rows: int) -> None:
    """``rows`` post rows, every one refused twice: a negative count, and an account that does not exist."""
    with path.open("w") as out:
        out.write(POST_HEADER + "\n")
        for n in range(rows):
            out.write(f"instagram,benchnobody{n},2026-01-01T10:00:00,-{n + 1},0,0,0,0,https://example.com/bad/{n}\n")


def _floor(path: Path) -> float:
    """Seconds to COPY the file into an unindexed table of text columns (best of 2)."""
    with path.open() as source:
        columns = source.readline().strip().split(",")
    best = float("inf")
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_import_floor")
            cursor.execute(f"CREATE UNLOGGED TABLE bench_import_floor ({', '.join(f'{c} text' for c in columns)})")
            started = time.perf_counter()
            copy_sql = "COPY bench_import_floor FROM STDIN (FORMAT csv, HEADER true)"
            with cursor.cursor.copy(copy_sql) as copy, path.open("rb") as data:
                while block := data.read(1 << 20):
                    copy.write(block)
            best = min(best, time.perf_counter() - started)
            cursor.execute("DROP TABLE bench_import_floor")
    return best


def _import(command: str, path: Path, fails: bool = False) -> tuple[float, float]:
    """Seconds and peak memory (MB) of the import command run as its own process."""
    seconds, peak, _ = measure.command(command, str(path), fails=fails)
    return seconds, peak


def _from_the_page(kind: str, path: Path, fails: bool = False) -> tuple[float, float]:
    """Seconds and peak memory (MB) of the same file uploaded on the import page and run as a worker runs it (the
    ``import_job`` command, a process of its own); the upload's copy into storage is not counted."""
    with path.open("rb") as upload:
        job = importjobs.job_create(user=None, kind=kind, name=path.name, content=File(upload))
    seconds, peak, _ = measure.command("import_job", str(job.pk), fails=fails)
    return seconds, peak


def _csv_read(path: Path) -> float:
    """Seconds for Python's csv module only to read the file: what any import written in Python costs at least."""
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as source:
        for _ in csv.reader(source):
            pass
    return time.perf_counter() - started


def _cleanup() -> None:
    with acting(None, "bench", bulk=True):  # the benchmark's own rows: no audit event per row
        Creator.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
        ImportJob.objects.filter(file_name__startswith="bench-import-").delete()


def run_benchmark(rows: int, *, log: Callable = print) -> list[str]:
    if connection.vendor != "postgresql":
        raise RuntimeError("bench_import measures PostgreSQL (its floor is COPY); set DATABASE_URL")
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    creators, posts = folder / "bench-import-creators.csv", folder / "bench-import-posts.csv"
    invalid = folder / "bench-import-invalid-posts.csv"
    log(f"Writing {rows:,} account rows and {10 * rows:,} post rows…")
    _creators_file(creators, rows)
    _posts_file(posts, rows)
    _invalid_posts_file(invalid, 10 * rows)
    niches_before = set(Niche.objects.values_list("pk", flat=True))
    results = []
    try:
        _cleanup()
        for label, run, path, count in (
            ("creators, first import", lambda: _import("import_creators", creators), creators, rows),
            ("creators, re-import (unchanged)", lambda: _import("import_creators", creators), creators, rows),
            ("creators, re-import from the import page", lambda: _from_the_page("creators", creators), creators, rows),
            ("posts, first import", lambda: _import("import_posts", posts), posts, 10 * rows),
            ("posts, re-import (unchanged)", lambda: _import("import_posts", posts), posts, 10 * rows),
            ("posts, re-import from the import page", lambda: _from_the_page("posts", posts), posts, 10 * rows),
            ("posts, every row refused twice", lambda: _import("import_posts", invalid, True), invalid, 10 * rows),
            (
                "posts, every row refused twice, from the import page",
                lambda: _from_the_page("posts", invalid, True),
                invalid,
                10 * rows,
            ),
        ):
            log(f"{label}…")
            floor, csv_read = _floor(path), _csv_read(path)
            seconds, peak = run()
            results.append((label, count, path.stat().st_size, seconds, peak, floor, csv_read))
    finally:
        _cleanup()
        Niche.objects.exclude(pk__in=niches_before).filter(creators__isnull=True).delete()
        for path in (creators, posts, invalid):
            path.unlink(missing_ok=True)
        folder.rmdir()
    lines = [
        f"bench_import: {rows:,} creator account rows, {10 * rows:,} post rows, PostgreSQL, "
        "each import a process of its own (the command, recalculation included)",
        "",
        "| run | rows | file MB | seconds | rows/s | peak MB | COPY floor s | ratio to floor | csv read s | "
        "ratio to csv read |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, count, size, seconds, peak, floor, csv_read in results:
        lines.append(
            f"| {label} | {count:,} | {size / 1e6:.1f} | {seconds:.1f} | {count / seconds:,.0f} | {peak:,.0f} | "
            f"{floor:.2f} | {seconds / floor:.1f} | {csv_read:.2f} | {seconds / csv_read:.1f} |"
        )
    return lines
