"""bench_export: the creators export (CONTRACT section 4) at size, against PostgreSQL's COPY of the same rows.

Each export runs in a process of its own, as a user meets it: ``manage.py export_creators PATH``, and a signed-in
GET of ``/creators/export.csv`` through Django's whole stack with the streamed body read to its end. Its peak memory
is its own (``ru_maxrss``); a streaming export's does not grow with the rows. The floor is ``COPY (SELECT …) TO
STDOUT`` of the same columns of the same creators in the same order, read by this process.
"""

import os
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from creators.models import Creator

from . import dataset, measure

EXPORT_USER = "bench-export"
# The export's columns from the stored values (niches sorted and joined as the export joins them).
_FLOOR_SQL = """
COPY (
    SELECT c.email, c.name, c.country,
           (SELECT string_agg(n.name, ';' ORDER BY n.name) FROM creators_creator_niches cn
            JOIN creators_niche n ON n.id = cn.niche_id WHERE cn.creator_id = c.id),
           c.status, a.platform, a.handle, c.followers, c.tier, round(c.engagement_rate::numeric, 2),
           CASE WHEN c.is_flagged THEN 'true' ELSE 'false' END, c.accounts_count, c.city, c.rate,
           round(c.cost_per_engagement::numeric, 4)
    FROM creators_creator c LEFT JOIN creators_socialaccount a ON a.id = c.primary_account_id
    {where} ORDER BY {order}
) TO STDOUT (FORMAT csv, HEADER true)
"""
# (label, how it runs, directory URL or None for the command, the floor's WHERE and ORDER BY)
RUNS = [
    ("export_creators PATH", None, "", "c.email"),
    (
        "/creators/export.csv?country=US (1 in 8)",
        "/creators/export.csv?country=US",
        "WHERE c.country = 'US'",
        "c.followers DESC NULLS LAST, c.id DESC",
    ),
    ("/creators/export.csv (every creator)", "/creators/export.csv", "", "c.followers DESC NULLS LAST, c.id DESC"),
]
# The child serves as production does (DEBUG off), without the limit on exports a user would meet.
_CHILD_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "testserver,localhost",
    "RATE_LIMIT_EXPORT": "100000000/60",
}


def download(url: str) -> int:
    """GET ``url`` as a signed-in marketer through the whole middleware stack, read the streamed body to its end and
    print the number of data rows (run in the measured child process)."""
    user, _ = get_user_model().objects.get_or_create(username=EXPORT_USER)
    client = Client()
    client.force_login(user)
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    print("ROWS", rows)
    return rows


def _floor(where: str, order: str) -> tuple[float, int]:
    """Seconds for PostgreSQL to produce the same rows as CSV (best of 2), and their number."""
    best, rows = float("inf"), 0
    for _ in range(2):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            with cursor.cursor.copy(_FLOOR_SQL.format(where=where, order=order)) as copy:
                rows = sum(bytes(block).count(b"\n") for block in copy) - 1
            best = min(best, time.perf_counter() - started)
    return best, rows


def _export(url: str | None, folder: Path) -> tuple[float, float, int]:
    """Seconds, peak memory (MB) and data rows of one export in a process of its own."""
    if url is None:
        path = folder / "creators.csv"
        seconds, peak, _ = measure.command("export_creators", str(path), env=_CHILD_ENV)
        with path.open("rb") as exported:
            rows = sum(block.count(b"\n") for block in iter(lambda: exported.read(1 << 20), b"")) - 1
        path.unlink()
        return seconds, peak, rows
    code = f"from bench.exports import download; download({url!r})"
    seconds, peak, output = measure.command("shell", "--no-imports", "-c", code, env=_CHILD_ENV)
    return seconds, peak, int(output.split("ROWS")[-1])


def run_benchmark(n: int, *, log: Callable = print) -> list[str]:
    dataset.ensure_creator_base(n, log=log)
    creators = Creator.objects.count()
    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    results = []
    try:
        for label, url, where, order in RUNS:
            log(f"{label}…")
            floor, floor_rows = _floor(where, order)
            seconds, peak, rows = _export(url, folder)
            if rows != floor_rows:
                raise RuntimeError(f"{label}: {rows:,} rows exported, the floor has {floor_rows:,}")
            results.append((label, rows, seconds, peak, floor))
            log(f"  {rows:,} rows in {seconds:.1f} s, peak {peak:.0f} MB (COPY {floor:.2f} s)")
    finally:
        folder.rmdir()
    lines = [
        f"bench_export: {creators:,} creators in the database (bench set: {n:,}), PostgreSQL; each export a process "
        "of its own (start-up included), its peak memory its own",
        "",
        "| run | rows | seconds | rows/s | peak MB | COPY floor s | ratio to floor |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, rows, seconds, peak, floor in results:
        lines.append(
            f"| {label} | {rows:,} | {seconds:.1f} | {rows / seconds:,.0f} | {peak:,.0f} | {floor:.2f} | "
            f"{seconds / floor:.1f} |"
        )
    return lines
