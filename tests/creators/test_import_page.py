"""The staff import page: the same rules as the commands, errors shown per row, the import run by a worker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from creators.models import Creator, ImportJob
from tests.creators.csvhelpers import HEADER

pytestmark = pytest.mark.django_db


def upload(client, text: str, kind: str = "creators", name: str = "c.csv"):
    return client.post("/creators/import/", {"kind": kind, "file": SimpleUploadedFile(name, text.encode())})


def test_a_valid_file_is_imported(admin_client, celery_eager):
    response = upload(admin_client, f"{HEADER}\nA,a@example.com,,Travel,instagram,a,5000,,\n")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/creators/import/{job.pk}/"
    assert Creator.objects.get().tier == "micro"
    page = admin_client.get(response["Location"]).content.decode()
    assert "Imported 1 row" in page and "creators created: 1" in page
    job.refresh_from_db()
    assert job.status == "done" and job.rows == 1 and job.user.username == "admin"
    assert not job.file  # the file is not kept once imported


def test_a_bad_file_lists_problems_per_row_and_writes_nothing(admin_client, celery_eager):
    response = upload(admin_client, f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\nB,bad,,,instagram,b,-1,,\n")
    page = admin_client.get(response["Location"]).content.decode()
    assert "Nothing was imported: 2 problems" in page
    assert "is not a valid email address" in page and "must not be negative" in page
    assert Creator.objects.count() == 0
    assert ImportJob.objects.get().problem_count == 2


def test_a_binary_upload_is_a_clear_message(admin_client, celery_eager):
    response = admin_client.post(
        "/creators/import/", {"kind": "posts", "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x01garbage")}
    )
    assert "is not UTF-8 text" in admin_client.get(response["Location"]).content.decode()


def test_a_form_without_a_file_is_a_clear_message(admin_client):
    response = admin_client.post("/creators/import/", {"kind": "creators"})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    assert not ImportJob.objects.exists()


def test_the_history_lists_each_import_with_its_outcome(admin_client, celery_eager):
    upload(admin_client, f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\n", name="june.csv")
    upload(admin_client, f"{HEADER}\nB,bad,,,instagram,b,5000,,\n", name="july.csv")
    page = admin_client.get("/creators/import/").content.decode()
    assert "june.csv" in page and "creators created: 1" in page
    assert "july.csv" in page and "Nothing imported: 1 problem" in page
    assert page.index("july.csv") < page.index("june.csv")  # newest first


def test_submitting_the_same_file_twice_changes_nothing_the_second_time(admin_client, celery_eager):
    text = f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\n"
    upload(admin_client, text)
    second = upload(admin_client, text)
    assert Creator.objects.count() == 1
    page = admin_client.get(second["Location"]).content.decode()
    assert "creators unchanged: 1" in page
    assert "nothing was written or recalculated" in page and "were recalculated" not in page
    first = admin_client.get(f"/creators/import/{ImportJob.objects.earliest('pk').pk}/").content.decode()
    assert "The affected creators were recalculated." in first


def test_a_queued_import_shows_its_progress_and_the_page_asks_again(admin_client, monkeypatch):
    # No worker has taken the job yet: it waits in the queue, and the page says so.
    monkeypatch.setattr("config.queue.enqueue", lambda name, **options: None)
    response = upload(admin_client, f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\n")
    page = admin_client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page and "<progress" in page and "import-progress.js" in page
    progress = admin_client.get(response["Location"] + "progress.json").json()
    assert progress["finished"] is False and progress["percent"] == 0 and progress["text"] == "Waiting for a worker"
    assert not Creator.objects.exists()


def test_without_a_broker_the_file_is_imported_in_the_request(admin_client, monkeypatch):
    def unreachable(name, **options):
        raise ConnectionRefusedError("no broker")

    monkeypatch.setattr("config.queue.enqueue", unreachable)
    response = upload(admin_client, f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\n")
    assert "creators created: 1" in admin_client.get(response["Location"]).content.decode()


def test_another_kind_of_import_is_not_found_for_staff_without_its_permissions(admin_client, celery_eager):
    from tests.factories import staff_with

    response = upload(admin_client, f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\n")
    poster = admin_client.__class__()
    poster.force_login(staff_with("add_post", "change_post"))
    assert poster.get(response["Location"]).status_code == 404
    assert poster.get(response["Location"] + "problems.txt").status_code == 404
    assert "c.csv" not in poster.get("/creators/import/").content.decode()


def test_the_progress_says_what_the_worker_is_doing(admin_client, monkeypatch):
    from django.core.cache import caches

    from creators import importjobs

    monkeypatch.setattr("config.queue.enqueue", lambda *args, **kwargs: None)  # no worker takes it: we play one
    response = upload(admin_client, f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\n")
    job = ImportJob.objects.get()
    url = response["Location"] + "progress.json"
    percents = []
    for phase, done, total, part, text in [
        ("checking", 5000, 20000, "", "Step 2 of 5: checking rows, 5,000 of 20,000 rows"),
        ("writing", 0, 3, "creators and their niches", "Step 4 of 5: writing creators and their niches (part 1 of 3)"),
        ("writing", 2, 3, "follower snapshots", "Step 4 of 5: writing follower snapshots (part 3 of 3)"),
        ("recalculating", 0, 1200, "", "Step 5 of 5: recalculating metrics of 1,200 creators"),
    ]:
        state = {"phase": phase, "done": done, "total": total, "part": part, "at": 0}
        caches["progress"].set(importjobs._key(job.pk), state)
        progress = admin_client.get(url).json()
        assert progress["text"] == text and 0 < progress["percent"] < 100
        percents.append(progress["percent"])
    assert percents == sorted(set(percents)), "the bar moves forward part by part"


def test_a_storage_that_cannot_take_the_file_is_a_clear_message(admin_client, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("django.core.files.storage.FileSystemStorage._save", full)
    response = upload(admin_client, f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\n")
    assert response.status_code == 400 and "could not be stored" in response.content.decode()
    assert not ImportJob.objects.exists() and not Creator.objects.exists()
