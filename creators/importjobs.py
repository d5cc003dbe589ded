"""Imports from the browser, run by a worker: the upload is stored, then validated and applied by a Celery task,
all or nothing, while the page shows how far it is; the outcome stays in the import history.

A job is applied in one transaction that also holds its row lock and records its outcome: a worker killed midway
leaves nothing written and the job "running"; the watch (every minute) queues it again, and the next delivery
imports the same file from the start, with the same result. A delivery that finds the job locked (another worker
has it) or finished does nothing, so duplicate deliveries are harmless.
"""

import itertools
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, transaction
from django.utils import timezone

from audit.context import acting
from config.words import counted

from . import csvfiles, imports, services
from .models import ImportJob

log = logging.getLogger(__name__)

WAIT_SECONDS = 600  # for an import already running: a worker can wait, as the commands do
PROBLEMS_SHOWN = 200  # on the page; the downloadable list has up to PROBLEMS_STORED
PROBLEMS_STORED = 100_000  # a file wrong on every row has millions: the first 100,000 tell what to fix
MAX_ATTEMPTS = 5
UNEXPECTED = "the import failed on an unexpected error (the administrators were told); nothing was imported"
PHASES = {
    "queued": "Waiting for a worker",
    "reading": "Reading the file",
    "checking": "Checking rows",
    "matching": "Matching with the creator base",
    "writing": "Writing",
    "recalculating": "Recalculating metrics",
}
READ_BYTES = 4 * 1024 * 1024
GONE = "is no longer in the storage (was it cleaned up?); nothing was imported. Upload it again."
NOT_STORED = "could not be stored (is the media storage full or unreachable?); nothing was imported. Try again later."
SERVICES = {ImportJob.Kind.CREATORS: services.creators_import, ImportJob.Kind.POSTS: services.posts_import}


def job_create(*, user, kind: str, name: str, content: File | bytes) -> ImportJob:
    """Store an uploaded file (copied to storage a chunk at a time) as a queued import."""
    content = ContentFile(content) if isinstance(content, bytes) else content
    job = ImportJob(user=user, kind=kind, file_name=name[:255], file_size=content.size)
    job.file.save("upload.csv", content, save=False)
    try:
        job.save()
    except BaseException:
        job.file.delete(save=False)  # no job, no file
        raise
    return job


def job_enqueue(job: ImportJob) -> None:
    """Hand the job to a worker; with no broker to reach, import it here and now (the page then shows the result)."""
    from config.queue import enqueue

    try:
        enqueue("creators.tasks.import_file", args=(job.pk,))
    except Exception:
        log.warning("task queue unavailable; importing %s in the request", job.file_name)
        job_run(job.pk)


def job_run(job_id: int) -> str | None:
    """Import the job's file unless it is finished or another worker has it; return its status, None if skipped."""
    if not _claim(job_id):
        return None
    beat = _reporter(job_id)
    beat("reading", 0, 0)
    with transaction.atomic():
        job = _locked(job_id)
        if job is None or job.finished:
            return None
        try:
            with transaction.atomic(), acting(job.user, "web", bulk=True):
                summary = SERVICES[job.kind](text=_text(job), wait=WAIT_SECONDS, name=job.file_name, progress=beat)
                beat("recalculating", 0, len(summary.creator_ids))
                services.recalculate(creator_ids=summary.creator_ids)
        except csvfiles.InvalidFile as invalid:
            _finish(job, ImportJob.Status.FAILED, problems=invalid.problems)
        except DatabaseError:
            raise  # the task retries (the database restarted, a deadlock): nothing was written
        except Exception:
            log.exception("import %s failed unexpectedly", job_id)
            _finish(job, ImportJob.Status.FAILED, problems=[csvfiles.Problem(0, "file", UNEXPECTED)])
        else:
            _finish(job, ImportJob.Status.DONE, rows=summary.rows, counts=summary.counts)
    _forget_progress(job_id)
    return job.status


def _delete(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        log.warning("could not delete the import file %s", name)


def _claim(job_id: int) -> bool:
    with transaction.atomic():
        job = _locked(job_id)
        if job is None or job.finished:
            return False
        if job.attempts >= MAX_ATTEMPTS:
            message = f"the import stopped {job.attempts} times before it finished (was a worker killed?)"
            _finish(job, ImportJob.Status.FAILED, problems=[csvfiles.Problem(0, "file", message)])
            return False
        job.status, job.started_at, job.attempts = ImportJob.Status.RUNNING, timezone.now(), job.attempts + 1
        job.save(update_fields=["status", "started_at", "attempts"])
    return True


def _locked(job_id: int) -> ImportJob | None:
    """The job, row-locked for this transaction; None when it is gone or another transaction holds it."""
    return ImportJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()


def _text(job: ImportJob) -> str:
    """The job's file as text, read and decoded a chunk at a time (one copy of the file in memory)."""
    try:
        with job.file.open("rb") as upload:
            return csvfiles.decode_chunks(upload.chunks(READ_BYTES))
    except (OSError, ValueError):  # gone from storage (ValueError: no file at all)
        raise csvfiles.InvalidFile([csvfiles.Problem(0, "file", GONE)]) from None


def _finish(job: ImportJob, status: str, *, rows=None, counts=None, problems=()) -> None:
    if job.file:  # the file is not needed any more, once this outcome is committed
        storage, name = job.file.storage, job.file.name
        transaction.on_commit(lambda: _delete(storage, name))
    job.status, job.finished_at, job.file = status, timezone.now(), ""
    job.rows = rows if rows is not None else job.rows
    job.counts = counts or {}
    job.problem_count = len(problems)
    job.problems = _problems_text(problems, len(problems), job.kind)
    job.first_problems = [[p.row, p.column, p.message] for p in itertools.islice(problems, PROBLEMS_SHOWN)]
    job.save()


def _problems_text(problems, count: int, kind: str) -> str:
    """The stored list: every problem, or the first PROBLEMS_STORED and a line saying how many more there are."""
    lines = [f"{problem}\n" for problem in itertools.islice(problems, PROBLEMS_STORED)]
    if count > PROBLEMS_STORED:
        more = counted(count - PROBLEMS_STORED, "more problem")
        lines.append(f"… and {more}, not listed here (the command import_{kind} prints them all).\n")
    return "".join(lines)


# --- Progress: in the "progress" cache, seen by web and workers while the import's transaction is still open ---


def _key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"


def _reporter(job_id: int) -> imports.Progress:
    def report(phase: str, done: int, total: int, part: str = "") -> None:
        state = {"phase": phase, "done": done, "total": total, "part": part, "at": time.time()}
        try:
            caches["progress"].set(_key(job_id), state, 24 * 3600)
        except Exception:  # no cache: the import goes on, the page shows less
            log.warning("could not record the progress of import %s", job_id)

    return report


def _forget_progress(job_id: int) -> None:
    try:
        caches["progress"].delete(_key(job_id))
    except Exception:
        log.warning("could not clear the progress of import %s", job_id)


def job_progress(job: ImportJob) -> dict:
    """What the page shows: the status, the phase, rows done of rows in all, and a percentage for the bar."""
    state = {"status": job.status, "label": job.get_status_display(), "finished": job.finished}
    if job.finished:
        return state | {"phase": job.status, "done": job.rows or 0, "total": job.rows or 0, "percent": 100}
    try:
        progress = caches["progress"].get(_key(job.pk)) or {}
    except Exception:
        progress = {}
    phase = progress.get("phase", "queued")
    done, total = progress.get("done", 0), progress.get("total", 0)
    order = list(PHASES)
    # Each phase its share of the bar; checking rows, the longest, moves it along row by row, writing part by part.
    base = {"queued": 0, "reading": 2, "checking": 5, "matching": 55, "writing": 65, "recalculating": 85}[phase]
    share = {"checking": 50, "writing": 20, "recalculating": 15}.get(phase, 0)
    percent = base + (share * done // total if total else 0)
    return state | {
        "phase": PHASES[phase],
        "step": order.index(phase),
        "steps": len(order) - 1,
        "done": done,
        "total": total,
        "part": progress.get("part", ""),
        "counts": "creators" if phase == "recalculating" else "rows",
        "percent": min(percent, 99),
    }


# --- The watch: jobs whose worker was lost are queued again -------------------------------------------------


def jobs_resume(*, enqueue: Callable[[int], None]) -> int:
    """Queue again every unfinished job nobody is working on (no progress for IMPORT_STALE_SECONDS); return how
    many. A job still held by a live worker is skipped by that worker's row lock when the duplicate arrives."""
    stale = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS)
    pending = ImportJob.objects.filter(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])
    resumed = 0
    for job in pending.filter(created_at__lt=stale).only("pk", "status"):
        progress = caches["progress"].get(_key(job.pk)) or {}
        if progress.get("at", 0) > stale.timestamp():
            continue
        enqueue(job.pk)
        resumed += 1
    return resumed


def history(*, kinds: list[str], limit: int = 20):
    """The latest imports of these kinds, newest first, without their files."""
    jobs = ImportJob.objects.filter(kind__in=kinds).select_related("user")
    return jobs.defer("problems", "first_problems")[:limit]
