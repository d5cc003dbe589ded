"""Staff import a 20,000-row file in Chromium: a real worker imports it while the page shows its progress, then the
summary; on a phone the history and a failed import's problems read as cards, without sideways scrolling."""

import subprocess

import pytest

from config import worker_process
from config.celery_app import app
from creators.models import Creator, ImportJob
from tests.browser.conftest import log_in, screenshot
from tests.creators.test_import_jobs import ROWS, creators_file
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def worker_later():
    """Tasks go to a private queue; calling the fixture's value starts a worker on it."""
    queue = worker_process.private_queue("imports")
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    processes = []

    def start():
        env = {"DATABASE_URL": worker_process.database_url()}
        processes.append(worker_process.start(queue, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    yield start
    app.conf.task_default_queue = previous
    for process in processes:
        worker_process.stop(process, timeout=20)


@pytest.fixture
def import_worker(worker_later):
    worker_later()


def choose_and_import(page, path) -> None:
    page.goto("/creators/import/")
    page.get_by_label("What the file holds").select_option("creators")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/creators/import/*/")


def test_staff_import_20000_rows_and_watch_the_progress(page, worker_later, tmp_path):
    UserFactory(username="curator", is_staff=True, is_superuser=True)
    log_in(page, "curator")
    path = tmp_path / "june-creators.csv"
    path.write_text(creators_file())
    polled = []
    page.on("response", lambda r: polled.append(r.status) if r.url.endswith("/progress.json") else None)

    choose_and_import(page, path)
    page.get_by_role("heading", name="Waiting for a worker…").wait_for()
    worker_later()
    # The heading follows the job, not the moment the page was drawn.
    page.get_by_role("heading", name="Importing…").wait_for(timeout=60_000)
    page.get_by_role("heading", name="Imported 20,000 rows").wait_for(timeout=120_000)
    assert polled and set(polled) == {200}  # the bar asked the server how far the import was, until it was done
    outcome = page.locator("main").inner_text()
    assert "creators created: 10,000" in outcome and "accounts created: 20,000" in outcome
    assert Creator.objects.count() == ROWS // 2
    screenshot(page, "import-done-1440")

    page.get_by_role("link", name="Import another file").click()
    history = page.locator("table").inner_text()
    assert "june-creators.csv" in history and "creators created: 10,000" in history


def test_on_a_phone_a_failed_import_lists_its_problems_as_cards(page, import_worker, tmp_path):
    UserFactory(username="curator", is_staff=True, is_superuser=True)
    log_in(page, "curator")
    page.set_viewport_size({"width": 390, "height": 844})
    path = tmp_path / "bad.csv"
    path.write_text(creators_file(200, last="Last,not-an-email,,,instagram,last,-5,,"))

    choose_and_import(page, path)
    page.get_by_role("heading", name="Nothing was imported: 2 problems").wait_for(timeout=60_000)
    assert "is not a valid email address" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not Creator.objects.exists() and ImportJob.objects.get().status == "failed"
    screenshot(page, "import-failed-390")
    page.goto("/creators/import/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "import-history-390")
