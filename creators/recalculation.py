"""How recalculations run: full runs in chunks under one lock, and coalesced incremental requests.

The metric definitions live in ``creators.metrics``; other apps add their own steps (rollups, scores) with
``register_step``, and every run applies each step to each chunk of creators in one transaction.
"""

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from config import queue
from config.words import counted

from . import metrics
from .models import Creator, RecalcChunk, RecalcLock, RecalcRequest, RecalcRun

log = logging.getLogger(__name__)
Step = Callable[[metrics.Scope], None]
_steps: list[Step] = []  # after the creator metrics, which every recalculation computes first
LOCK_NAME = "full-recalculation"
# The tables a full run may rewrite row by row (analyzed after it; vacuumed between the benchmark's runs).
REWRITTEN_TABLES = ("creators_socialaccount", "creators_creator", "campaigns_fitscore", "campaigns_campaign")


def register_step(step: Step) -> None:
    """Add a step that every recalculation applies after the creator metrics (e.g. campaign rollups)."""
    if step not in _steps:
        _steps.append(step)


_run_start_hooks: list[Callable[[], None]] = []


def register_run_start(hook: Callable[[], None]) -> None:
    """Add something every full run does once before its chunks (e.g. refresh tier benchmarks)."""
    if hook not in _run_start_hooks:
        _run_start_hooks.append(hook)


def run_start_hooks() -> None:
    for hook in _run_start_hooks:
        hook()


def recalculate_scope(scope: metrics.Scope, *, derived_only: bool | None = None) -> metrics.RecalcResult:
    """Apply every step to one scope of creators, in one transaction: all of it is written or none.

    Returns what the creator metrics step changed."""
    from config.fragments import bump_metrics_version

    if derived_only is None:
        derived_only = not connection.in_atomic_block  # not inside a transaction that also saves primary data
    with transaction.atomic():
        if derived_only and connection.vendor == "postgresql":
            # Everything written here is derived and recomputed by the next run, so the commit need not wait for
            # the disk: a crash loses at most the last moments of work, whole transactions, never half of one.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        result = metrics.recalculate_creator_metrics(scope=scope)
        for step in _steps:
            step(scope)
        transaction.on_commit(bump_metrics_version)
    return result


# --- The lock -------------------------------------------------------------------------------------


def lock_acquire(holder: str, *, ttl: timedelta | None = None) -> bool:
    """Take the full-recalculation lock unless a live holder has it; a crashed holder's lock expires."""
    now = timezone.now()
    RecalcLock.objects.get_or_create(name=LOCK_NAME)
    taken = RecalcLock.objects.filter(Q(holder="") | Q(expires_at__lt=now) | Q(holder=holder), name=LOCK_NAME).update(
        holder=holder, expires_at=now + (ttl or timedelta(seconds=settings.RECALC_LOCK_TTL))
    )
    return taken == 1


def lock_extend(holder: str) -> None:
    expires = timezone.now() + timedelta(seconds=settings.RECALC_LOCK_TTL)
    RecalcLock.objects.filter(name=LOCK_NAME, holder=holder).update(expires_at=expires)


def lock_release(holder: str) -> None:
    RecalcLock.objects.filter(name=LOCK_NAME, holder=holder).update(holder="", expires_at=None)


# --- Full runs ------------------------------------------------------------------------------------


def chunk_ranges(chunk_size: int | None = None) -> list[tuple[int, int]]:
    """Creator id ranges of at most ``chunk_size`` ids each, covering every creator."""
    size = chunk_size or settings.RECALC_CHUNK_SIZE
    bounds = Creator.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return []
    return [(low, min(low + size - 1, bounds["high"])) for low in range(bounds["low"], bounds["high"] + 1, size)]


def run_start(*, trigger: str, chunk_size: int | None = None) -> tuple[RecalcRun, list[tuple[int, int]]] | None:
    """Start a full run if none is running: take the lock and record the run; None when locked."""
    holder = uuid.uuid4().hex
    if not lock_acquire(holder):
        return None
    run_start_hooks()
    ranges = chunk_ranges(chunk_size)
    now = timezone.now()
    with transaction.atomic():
        # A run left running by a crash whose lock expired is closed now: this one redoes all of its work.
        for stale in RecalcRun.objects.filter(status=RecalcRun.Status.RUNNING).exclude(lock_holder=holder):
            _close(stale, RecalcRun.Status.FAILED, f"abandoned: superseded by a new run at {now:%Y-%m-%d %H:%M}")
        run = RecalcRun.objects.create(
            trigger=trigger, chunks_total=len(ranges), creators_total=Creator.objects.count(), lock_holder=holder
        )
        RecalcChunk.objects.bulk_create(
            [RecalcChunk(run=run, low=low, high=high, issued_at=now) for low, high in ranges], batch_size=1000
        )
    if not ranges:
        run_finish(run.pk)
    return run, ranges


def run_chunk(run_id: int, low: int, high: int) -> bool:
    """Recalculate one chunk of a run and count it, once: a redelivered or re-issued copy of a chunk already done
    (or being done by another worker, whose commit it waits for) does nothing. The chunk's metrics, its mark and
    the run's counts commit together. The run is finished after its last chunk. Returns whether it did the work."""
    with transaction.atomic():
        # Only the chunk's row is locked (``of``): a plain FOR UPDATE would lock the joined run's row too, for the
        # whole chunk, and two workers would take turns instead of working side by side.
        chunk = (
            RecalcChunk.objects.select_for_update(of=("self",))
            .filter(run_id=run_id, low=low, high=high, done_at__isnull=True, run__finished_at__isnull=True)
            .first()
        )
        if chunk is None:
            return False
        changed = recalculate_scope(metrics.Scope(id_min=low, id_max=high), derived_only=True).creators_changed
        creators = Creator.objects.filter(pk__gte=low, pk__lte=high).count()
        RecalcChunk.objects.filter(pk=chunk.pk).update(done_at=timezone.now())
        RecalcRun.objects.filter(pk=run_id).update(
            chunks_done=F("chunks_done") + 1,
            creators_updated=F("creators_updated") + creators,
            creators_changed=F("creators_changed") + changed,
        )
    run = RecalcRun.objects.get(pk=run_id)
    lock_extend(run.lock_holder)
    if not RecalcChunk.objects.filter(run_id=run_id, done_at__isnull=True).exists():
        run_finish(run_id)
    return True


def chunks_stalled(run: RecalcRun, *, older_than: timedelta | None = None) -> list[RecalcChunk]:
    """The run's chunks not done although issued at least ``older_than`` ago (RECALC_CHUNK_STALE_SECONDS)."""
    age = older_than if older_than is not None else timedelta(seconds=settings.RECALC_CHUNK_STALE_SECONDS)
    pending = RecalcChunk.objects.filter(run=run, done_at__isnull=True, issued_at__lte=timezone.now() - age)
    return list(pending.order_by("low"))


def runs_resume(
    *, older_than: timedelta | None = None, enqueue: Callable[[int, int, int], None], run_ids: list[int] | None = None
) -> int:
    """Re-issue the stalled chunks of every running run (a worker died holding them); close a run whose chunks are
    all done but which was never closed. Returns how many chunks were re-issued."""
    issued = 0
    running = RecalcRun.objects.filter(status=RecalcRun.Status.RUNNING)
    for run in running.filter(pk__in=run_ids) if run_ids is not None else running:
        if not RecalcChunk.objects.filter(run=run, done_at__isnull=True).exists():
            run_finish(run.pk)
            continue
        stalled = chunks_stalled(run, older_than=older_than)
        RecalcChunk.objects.filter(pk__in=[c.pk for c in stalled]).update(issued_at=timezone.now())
        for chunk in stalled:
            enqueue(run.pk, chunk.low, chunk.high)
        if stalled:
            lock_extend(run.lock_holder)
            log.warning("Recalculation %s: re-issued %s", run.pk, counted(len(stalled), "stalled chunk"))
        issued += len(stalled)
    return issued


def run_finish(run_id: int, *, error: str = "") -> None:
    """Close a run (once) and release the lock."""
    run = RecalcRun.objects.get(pk=run_id)
    closed = _close(run, RecalcRun.Status.FAILED if error else RecalcRun.Status.SUCCEEDED, error)
    if closed and not error and run.creators_changed * 10 >= run.creators_total:
        refresh_planner_statistics()


def _close(run: RecalcRun, status: str, error: str) -> bool:
    closed = RecalcRun.objects.filter(pk=run.pk, finished_at__isnull=True).update(
        status=status, finished_at=timezone.now(), error=error
    )
    if closed:
        lock_release(run.lock_holder)
    return bool(closed)


def refresh_planner_statistics() -> None:
    """After a run that changed a large share of the rows (a first run, a new definition), refresh PostgreSQL's
    statistics at once so plans stay right; smaller changes are left to autovacuum's own analyze."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in REWRITTEN_TABLES:
            cursor.execute(f"ANALYZE {table}")


def run_in_foreground(
    *, trigger: str = "command", on_progress: Callable[[RecalcRun], None] | None = None
) -> RecalcRun | None:
    """A whole full run in this process, chunk by chunk; None when another run holds the lock."""
    started = run_start(trigger=trigger)
    if started is None:
        return None
    run, ranges = started
    try:
        for low, high in ranges:
            run_chunk(run.pk, low, high)
            if on_progress:
                on_progress(RecalcRun.objects.get(pk=run.pk))
    except BaseException as exc:
        run_finish(run.pk, error=f"{type(exc).__name__}: {exc}")
        raise
    return RecalcRun.objects.get(pk=run.pk)


def latest_runs() -> dict:
    """The last finished run and the one in progress, for the dashboard footer and the admin."""
    runs = list(RecalcRun.objects.order_by("-started_at", "-id")[:5])
    return {
        "running": next((r for r in runs if r.status == RecalcRun.Status.RUNNING), None),
        "last": next((r for r in runs if r.status != RecalcRun.Status.RUNNING), None),
    }


# --- Incremental requests -------------------------------------------------------------------------


def request_recalculation(creator_ids: Iterable[int]) -> None:
    """Mark creators for recalculation and, once the transaction commits, make sure a drain is queued.

    Requests coalesce: one row per creator, and at most one queued drain at a time, so a burst of
    10,000 changes queues a handful of tasks. If the broker is down the rows wait for the periodic drain.
    """
    ids = sorted({int(i) for i in creator_ids if i is not None})
    if not ids:
        return
    now = timezone.now()
    for chunk in _chunks(ids, 1000):
        RecalcRequest.objects.bulk_create(
            [RecalcRequest(creator_id=i, requested_at=now) for i in chunk],
            update_conflicts=True,
            unique_fields=["creator_id"],
            update_fields=["requested_at"],
        )
    transaction.on_commit(_enqueue_drain)


def _enqueue_drain() -> None:
    from django.core.cache import cache

    try:
        if cache.add("recalc:drain-queued", 1, timeout=settings.RECALC_COALESCE_SECONDS * 10):
            queue.enqueue("creators.tasks.recalculate_requested", countdown=settings.RECALC_COALESCE_SECONDS)
    except Exception:  # the broker or cache is down: the periodic drain picks the requests up
        log.exception("Could not queue the incremental recalculation; the periodic drain will catch up")


def drain_requests(*, batch: int = 5000) -> int:
    """Recalculate every requested creator, batch by batch; return how many were recalculated."""
    from django.core.cache import cache

    try:
        cache.delete("recalc:drain-queued")  # new requests from now on queue a new drain
    except Exception:
        log.warning("Cache unavailable while draining recalculation requests")
    done = 0
    while True:
        with transaction.atomic():
            claimed_at = timezone.now()
            pending = RecalcRequest.objects.order_by("creator_id")
            if connection.vendor == "postgresql":
                # Concurrent drains take disjoint rows; a new request for a claimed creator waits for this commit.
                pending = pending.select_for_update(skip_locked=True)
            ids = list(pending.values_list("creator_id", flat=True)[:batch])
            if not ids:
                return done
            recalculate_scope(metrics.Scope(ids=ids))
            RecalcRequest.objects.filter(creator_id__in=ids, requested_at__lte=claimed_at).delete()
        done += len(ids)


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
