"""``bench_sync``: accounts synced per second against a local stand-in of the YouTube Data API, with 1 and 2 worker
processes, next to a floor measured in the same run: a bare loop that sends the same requests with the same HTTP
client and discards the answers. Also the quota units the sync spent per account.

The data set (N creators with a YouTube account whose channel id is known, as after its first sync) is made for
the run and removed after it; the stand-in runs in a process of its own (``python -m tests.platforms.standin``).
"""

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from django.conf import settings
from django.test.utils import override_settings

from config import worker_process
from config.celery_app import app
from creators.models import Creator, SocialAccount
from platforms import quota, tasks
from platforms.http import get_json, new_client
from platforms.models import AccountSync, QuotaDay, SyncRun

EMAIL_DOMAIN = "bench-sync.microreach.test"


def _dataset(accounts: int) -> list[int]:
    _cleanup()
    creators = Creator.objects.bulk_create(
        [Creator(name=f"Bench sync {n}", email=f"{n}@{EMAIL_DOMAIN}") for n in range(accounts)], batch_size=2000
    )
    rows = SocialAccount.objects.bulk_create(
        [SocialAccount(creator=c, platform="youtube", handle=f"benchsync{n}") for n, c in enumerate(creators)],
        batch_size=2000,
    )
    AccountSync.objects.bulk_create(
        [AccountSync(account=a, platform_id=f"UCbench{n}", uploads_playlist=f"UUbench{n}") for n, a in enumerate(rows)],
        batch_size=2000,
    )
    return [a.pk for a in rows]


def _cleanup() -> None:
    Creator.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()


def _floor(base: str, accounts: int, videos: int) -> float:
    """Seconds for the requests a daily sync of ``accounts`` known channels sends, answers discarded."""
    params = {"key": "test-key", "maxResults": 50}
    started = time.perf_counter()
    with new_client() as http:
        for start in range(0, accounts, 50):
            ids = range(start, min(start + 50, accounts))
            get_json(
                http,
                f"{base}/channels",
                {**params, "part": "snippet,statistics,contentDetails", "id": ",".join(f"UCbench{n}" for n in ids)},
            )
            for n in ids:
                get_json(
                    http, f"{base}/playlistItems", {**params, "part": "contentDetails", "playlistId": f"UUbench{n}"}
                )
            video_ids = [f"b{n}x{k}" for n in ids for k in range(videos)]
            for chunk in range(0, len(video_ids), 50):
                get_json(
                    http,
                    f"{base}/videos",
                    {**params, "part": "snippet,statistics", "id": ",".join(video_ids[chunk : chunk + 50])},
                )
    return time.perf_counter() - started


def _synced_by_workers(ids: list[int], processes: int, env: dict, log: Callable) -> tuple[float, int]:
    """Seconds for ``processes`` worker processes to sync ``ids``, and the quota units spent."""
    queue = worker_process.private_queue("bench-sync")
    workers = [
        worker_process.start(queue, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(processes)
    ]
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        time.sleep(3)  # the workers connect before the clock starts
        units = quota.units_today("youtube")
        started = time.perf_counter()
        run_id = tasks.enqueue("youtube", ids, trigger="bench")
        while True:
            run = SyncRun.objects.get(pk=run_id)
            if run.synced + run.failed + run.deferred >= len(ids):
                break
            if time.perf_counter() - started > 3600:
                raise RuntimeError("the workers did not finish within an hour")
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        if run.failed or run.deferred:
            log(f"  warning: {run.failed} failed, {run.deferred} deferred")
        return seconds, quota.units_today("youtube") - units
    finally:
        app.conf.task_default_queue = previous
        for worker in workers:
            worker_process.stop(worker)


def run_benchmark(accounts: int, *, videos: int = 20, latency_ms: float = 0.0, log: Callable = print) -> list[str]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.platforms.standin",
            "--accounts",
            str(accounts),
            "--videos",
            str(videos),
            "--latency-ms",
            str(latency_ms),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=settings.BASE_DIR,
    )
    base = server.stdout.readline().strip() + "/youtube/v3"
    media = tempfile.mkdtemp(prefix="bench-sync-media-")
    env = {
        **os.environ,
        "YOUTUBE_API_KEY": "test-key",
        "YOUTUBE_API_URL": base,
        "INSTAGRAM_USER_ID": "",
        "YOUTUBE_DAILY_QUOTA": str(10**9),
        "DATABASE_URL": worker_process.database_url(),
        "MEDIA_ROOT": media,
    }
    quota_row = QuotaDay.objects.filter(platform="youtube", day=quota.youtube_day()).first()
    try:
        with override_settings(YOUTUBE_API_KEY="test-key", YOUTUBE_API_URL=base, YOUTUBE_DAILY_QUOTA=10**9):
            log(f"Making {accounts:,} accounts…")
            ids = _dataset(accounts)
            log("Floor (the same requests, answers discarded)…")
            floor = min(_floor(base, accounts, videos) for _ in range(2))
            rows = [("floor: the same requests, bare loop, 1 process", floor, None)]
            log("First sync, 1 worker (every post and picture new)…")
            seconds, units = _synced_by_workers(ids, 1, env, log)
            rows.append(("sync, first (posts and pictures new), 1 worker", seconds, units))
            for processes in (1, 2):
                log(f"Daily sync, {processes} worker(s)…")
                seconds, units = _synced_by_workers(ids, processes, env, log)
                rows.append(
                    (
                        f"sync, daily (channel ids known), {processes} worker{'s' if processes > 1 else ''}",
                        seconds,
                        units,
                    )
                )
    finally:
        server.terminate()
        server.wait(10)
        _cleanup()
        if quota_row:  # the benchmark's units are not the deployment's
            QuotaDay.objects.filter(pk=quota_row.pk).update(units=quota_row.units)
        else:
            QuotaDay.objects.filter(platform="youtube", day=quota.youtube_day()).delete()
    lines = [
        f"bench_sync: {accounts:,} YouTube accounts, {videos} recent videos each, stand-in API on 127.0.0.1"
        f" answering after {latency_ms:g} ms",
        "",
        "| run | seconds | accounts/s | share of the floor's rate | quota units / account |",
        "|---|---|---|---|---|",
    ]
    for name, seconds, units in rows:
        rate = accounts / seconds
        share = f"{floor / seconds:.0%}"
        per_account = "—" if units is None else f"{units / accounts:.2f}"
        lines.append(f"| {name} | {seconds:.1f} | {rate:,.0f} | {share} | {per_account} |")
    return lines
