"""Browser imports at size, run by a real worker: a 20,000-row file with progress and its summary, a file that fails
on its last row, a worker killed mid-import, and two overlapping imports at the same time."""

import os
import signal
import subprocess
import threading
import time

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from config import worker_process
from config.celery_app import app
from creators import importjobs
from creators.models import Creator, ImportJob, SocialAccount
from tests.creators.csvhelpers import HEADER

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 20_000


def creators_file(rows: int = ROWS, *, last: str = "") -> str:
    """``rows`` account rows, two accounts per creator; ``last`` replaces the last row."""
    lines = [HEADER]
    for n in range(rows):
        lines.append(
            f"Creator {n // 2},c{n // 2}@example.com,US,Fitness,{'instagram' if n % 2 else 'tiktok'},h{n},"
            f"{1000 + n},{n % 300},"
        )
    if last:
        lines[-1] = last
    return "\n".join(lines) + "\n"


def expected_counts(rows: int = ROWS) -> dict:
    return {
        "niches created": 1,
        "creators created": rows // 2,
        "accounts created": rows,
        "follower snapshots recorded": rows,
    }


def wait_for(predicate, timeout: float = 120.0, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(step)
    return None


@pytest.fixture
def worker_env():
    """The environment of a worker on a queue of its own, which treats an import with no progress for a second as
    lost (so a restarted worker resumes it at once)."""
    queue = worker_process.private_queue("imports")
    env = {
        **os.environ,
        "DATABASE_URL": worker_process.database_url(),
        "CELERY_QUEUE": queue,
        "IMPORT_STALE_SECONDS": "1",
    }
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    yield env
    app.conf.task_default_queue = previous


def start_worker(env) -> subprocess.Popen:
    return worker_process.start(
        env["CELERY_QUEUE"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def upload(client, text: str, name: str = "big.csv") -> ImportJob:
    response = client.post("/creators/import/", {"kind": "creators", "file": SimpleUploadedFile(name, text.encode())})
    assert response.status_code == 302
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


@pytest.mark.worker
def test_a_20000_row_file_is_imported_by_the_worker_while_the_page_shows_its_progress(admin_client, worker_env):
    process = start_worker(worker_env)
    try:
        job = upload(admin_client, creators_file())
        seen = set()

        def finished():
            progress = admin_client.get(f"/creators/import/{job.pk}/progress.json").json()
            seen.add(progress["text"].split(":")[0] if progress["step"] else progress["text"]) if not progress[
                "finished"
            ] else None
            return progress["finished"]

        assert wait_for(finished), "the worker did not finish the import"
    finally:
        worker_process.stop(process)
    job.refresh_from_db()
    assert job.status == "done" and job.rows == ROWS and job.counts == expected_counts()
    assert Creator.objects.count() == ROWS // 2 and SocialAccount.objects.count() == ROWS
    assert any(text.startswith("Step") for text in seen), seen  # the bar moved through the import's steps
    page = admin_client.get(f"/creators/import/{job.pk}/").content.decode()
    assert "Imported 20,000 rows" in page and "creators created: 10,000" in page


def test_a_file_that_fails_on_its_last_row_writes_nothing(admin_client, celery_eager):
    job = upload(admin_client, creators_file(last="Last,last@example.com,,,instagram,last,-5,,"))
    job.refresh_from_db()
    assert job.status == "failed" and job.problem_count == 1
    assert job.first_problems == [[ROWS, "followers", "must not be negative (got '-5')"]]
    assert not Creator.objects.exists() and not SocialAccount.objects.exists()
    page = admin_client.get(f"/creators/import/{job.pk}/").content.decode()
    assert "Nothing was imported: 1 problem" in page and f'<td data-label="Row">{ROWS}</td>' in page


@pytest.mark.worker
def test_a_worker_killed_mid_import_leaves_nothing_and_the_next_worker_gives_the_same_result(admin_client, worker_env):
    first = start_worker(worker_env)
    job = upload(admin_client, creators_file())
    try:
        # Killed while it validates or writes: well inside the import's transaction.
        busy = wait_for(
            lambda: (caches["progress"].get(importjobs._key(job.pk)) or {}).get("phase") == "writing", 60, 0.05
        )
        assert busy, "the worker never got to the writes"
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1
    assert wait_for(lambda: not _import_backend_alive(), 30), "the killed worker's transaction is still open"
    assert not Creator.objects.exists() and not SocialAccount.objects.exists()

    time.sleep(1.5)  # no progress for longer than IMPORT_STALE_SECONDS: the job is lost
    second = start_worker(worker_env)  # a starting worker looks for lost imports at once
    try:
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).finished), "the lost import was not resumed"
    finally:
        worker_process.stop(second)
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and job.counts == expected_counts()
    assert Creator.objects.count() == ROWS // 2 and SocialAccount.objects.count() == ROWS


def _import_backend_alive() -> bool:
    """Whether another connection still holds a transaction open on this database (the killed worker's)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND xact_start IS NOT NULL"
        )
        return cursor.fetchone()[0] > 0


def test_two_imports_of_overlapping_files_at_once_are_both_all_or_nothing_with_no_lost_update(admin_user):
    # Both files name the same 2,000 creators; the first sets their city, the second adds accounts and a rate.
    rows = 2000
    first_text = "name,email,platform,handle,followers,city\n" + "".join(
        f"C{n},c{n}@example.com,instagram,ig{n},{1000 + n},Austin\n" for n in range(rows)
    )
    second_text = "name,email,platform,handle,followers,rate\n" + "".join(
        f"C{n},c{n}@example.com,tiktok,tt{n},{2000 + n},150.00\n" for n in range(rows)
    )
    jobs = [
        importjobs.job_create(user=admin_user, kind="creators", name=name, content=text.encode())
        for name, text in (("first.csv", first_text), ("second.csv", second_text))
    ]
    outcomes, barrier = {}, threading.Barrier(2)

    def run(job):
        try:
            barrier.wait(10)
            outcomes[job.pk] = importjobs.job_run(job.pk)
        except Exception as error:  # the test asserts on it
            outcomes[job.pk] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert outcomes == {jobs[0].pk: "done", jobs[1].pk: "done"}, outcomes
    assert Creator.objects.count() == rows and SocialAccount.objects.count() == 2 * rows
    assert Creator.objects.filter(city="Austin", rate=150).count() == rows  # neither file's values were lost
    created = [ImportJob.objects.get(pk=job.pk).counts.get("creators created", 0) for job in jobs]
    assert sorted(created) == [0, rows]  # one created them, the other found and updated them


def test_the_import_job_command_runs_an_uploaded_import_in_the_foreground(admin_user, capsys):
    from django.core.management import CommandError, call_command

    job = importjobs.job_create(user=admin_user, kind="creators", name="june.csv", content=creators_file(4).encode())
    call_command("import_job", str(job.pk))
    assert "Import" in capsys.readouterr().out and Creator.objects.count() == 2
    with pytest.raises(CommandError, match="is imported; nothing was done"):
        call_command("import_job", str(job.pk))  # run once only
    with pytest.raises(CommandError, match="there is no import 999999"):
        call_command("import_job", "999999")
    bad = importjobs.job_create(
        user=admin_user, kind="creators", name="bad.csv", content=creators_file(2, last="x").encode()
    )
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_job", str(bad.pk))
    assert "row 2: row: has 1 cells" in capsys.readouterr().err


def test_the_stored_list_of_a_file_wrong_on_every_row_is_capped_and_says_so(admin_client, celery_eager, monkeypatch):
    monkeypatch.setattr(importjobs, "PROBLEMS_STORED", 3)
    monkeypatch.setattr(importjobs, "PROBLEMS_SHOWN", 2)
    rows = "".join(f"Name {n},n{n}@example.com,,,instagram,h{n},-{n},,\n" for n in range(1, 7))
    job = upload(admin_client, f"{HEADER}\n{rows}")
    job.refresh_from_db()
    assert job.status == "failed" and job.problem_count == 6 and len(job.first_problems) == 2
    listed = admin_client.get(f"/creators/import/{job.pk}/problems.txt").content.decode().splitlines()
    assert listed == [
        "row 1: followers: must not be negative (got '-1')",
        "row 2: followers: must not be negative (got '-2')",
        "row 3: followers: must not be negative (got '-3')",
        "… and 3 more problems, not listed here (the command import_creators prints them all).",
    ]
    page = admin_client.get(f"/creators/import/{job.pk}/").content.decode()
    assert "Nothing was imported: 6 problems" in page
    assert "download the first 3 of 6 problems</a> (a text file; the command <code>import_creators</code>" in page
