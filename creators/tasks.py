"""Celery tasks: thin interfaces that look up their input and call the services.

Every task here is safe to run twice (it recomputes stored values from their sources), so it is
acknowledged late and re-queued when a worker dies; database errors retry with backoff.
"""

import logging

from celery import group, shared_task
from django.db import DatabaseError

from . import importjobs, partitions, recalculation, services

log = logging.getLogger(__name__)
RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "max_retries": 8,
}


@shared_task(**RETRY)
def recalculate_all(trigger: str = "beat") -> dict:
    """Start a full recalculation fanned out in chunks over the workers; nothing when one is running."""
    started = recalculation.run_start(trigger=trigger)
    if started is None:
        log.info("A full recalculation is already running; this one was skipped.")
        return {"started": False}
    run, ranges = started
    if ranges:
        group(recalculate_chunk.si(run.pk, low, high) for low, high in ranges).apply_async()
    return {"started": True, "run": run.pk, "chunks": len(ranges)}


@shared_task(**RETRY)
def recalculate_chunk(run_id: int, low: int, high: int) -> None:
    """One chunk of a full run, in its own transaction."""
    recalculation.run_chunk(run_id, low, high)


@shared_task(**RETRY)
def recalculate_watch() -> int:
    """Resume full runs whose chunks stalled (a worker was killed holding them): re-issue those chunks."""
    return recalculation.runs_resume(enqueue=lambda run, low, high: recalculate_chunk.delay(run, low, high))


@shared_task(**RETRY)
def recalculate_requested() -> int:
    """Drain the coalesced incremental requests (also run every minute by beat, to catch up)."""
    return recalculation.drain_requests()


@shared_task(**RETRY)
def snapshot_followers() -> int:
    """Record today's follower count of every account, so growth history accrues between imports, and move the
    accounts' growth windows on to today."""
    return services.snapshots_daily()


@shared_task(**RETRY)
def snapshot_partitions() -> dict:
    """Create the follower history's monthly partitions ahead, and delete what ``SNAPSHOT_RETENTION_DAYS`` no
    longer keeps."""
    return {"created": len(partitions.partitions_ensure()), "removed": partitions.snapshots_retain()}


@shared_task(**RETRY)
def import_file(job_id: int) -> str | None:
    """Import a file uploaded in the browser (all or nothing); nothing when it is finished or being imported."""
    return importjobs.job_run(job_id)


@shared_task(**RETRY)
def import_watch() -> int:
    """Queue again the imports whose worker was lost."""
    return importjobs.jobs_resume(enqueue=import_file.delay)
