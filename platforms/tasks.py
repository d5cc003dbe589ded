"""Celery tasks of the platform sync: thin interfaces over ``platforms.sync``.

A batch task is safe to run twice (a second sync of an account changes nothing), so it is acknowledged late and
re-queued when its worker dies; a platform that stops answering is retried with backoff for the accounts it was not
asked about; quota and rate limits defer accounts (their next attempt is set), they never fail the task.
"""

import logging
import math
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from . import quota, sync

log = logging.getLogger(__name__)
TASK = {"acks_late": True, "reject_on_worker_lost": True}
MAX_RETRIES = 6


@shared_task(bind=True, autoretry_for=(DatabaseError,), retry_backoff=2, max_retries=MAX_RETRIES, **TASK)
def sync_batch(self, platform: str, account_ids: list[int], run_id: int | None = None) -> dict:
    outcome = sync.sync_batch(platform=platform, account_ids=account_ids)
    if outcome.down and outcome.remaining:
        if self.request.retries < MAX_RETRIES:
            if run_id:
                sync.run_record(run_id, outcome)
            countdown = min(30 * 2**self.request.retries, 3600)
            raise self.retry(args=(platform, outcome.remaining, run_id), countdown=countdown)
        sync.mark_all(outcome.failed, sync.accounts_by_id(outcome.remaining), outcome.down)
    if run_id:
        sync.run_record(run_id, outcome)
    return {"synced": len(outcome.synced), "failed": len(outcome.failed), "deferred": len(outcome.deferred)}


def enqueue(platform: str, account_ids: list[int], *, trigger: str) -> int:
    """Queue the accounts' sync in batches under one recorded run; return the run's id."""
    run = sync.run_start(platform=platform, accounts=len(account_ids), trigger=trigger)
    for batch in sync.batches(account_ids):
        sync_batch.delay(platform, batch, run.pk)
    return run.pk


@shared_task(**TASK)
def sync_platform(platform: str, handles: list[str] | None = None, trigger: str = "command") -> int:
    """Queue the sync of every active creator's account on ``platform`` (or of the named handles)."""
    ids = list(sync.accounts_to_sync(platform, handles=handles or ()).values_list("pk", flat=True))
    return enqueue(platform, ids, trigger=trigger)


@shared_task(**TASK)
def sync_due() -> dict:
    """Beat, every quarter of an hour: queue a slice of each configured platform's due accounts.

    A slice is what keeps a day's syncs spread over the day (twice the even share, to catch up after a pause),
    and for YouTube what today's remaining quota allows at about 2 units an account."""
    queued = {}
    ticks_per_day = 24 * 60 // 15
    for platform in sync.configured_platforms():
        everyone = sync.accounts_to_sync(platform).count()
        if not everyone:
            continue
        share = max(math.ceil(everyone / ticks_per_day * 2 * 24 / settings.SYNC_INTERVAL_HOURS), 1)
        if platform == "youtube":
            share = min(share, max(settings.YOUTUBE_DAILY_QUOTA - quota.units_today("youtube"), 0) // 2)
        ids = list(sync.accounts_to_sync(platform, due_only=True).values_list("pk", flat=True)[:share])
        if not ids:
            continue
        # Claimed until a batch has run (or for two hours, should its worker vanish), so no later tick takes them.
        sync.ensure_states(ids)
        sync.AccountSync.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now() + timedelta(hours=2))
        enqueue(platform, ids, trigger="schedule")
        queued[platform] = len(ids)
    return queued
