"""Operations: structured request logs without personal data, error mails to ADMINS, Sentry when configured, and a
backup that restores to a copy exporting the same CSVs."""

import gzip
import http.server
import json
import logging
import os
import subprocess
import sys
import threading

import pytest
from django.core import mail
from django.test import Client

from config.worker_process import database_url
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory, SocialAccountFactory


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="microreach.requests")
    logger = logging.getLogger("microreach.requests")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.mark.django_db
def test_each_request_is_one_line_with_ids_and_no_personal_data(marketer_client, marketer, request_lines):
    marketer.email = "private@example.com"
    marketer.save()
    response = marketer_client.get("/creators/?q=secret-search-term")
    assert response.status_code == 200
    record = next(r for r in request_lines.records if r.name == "microreach.requests")
    from config.requestlog import JsonFormatter

    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/creators/" and line["status"] == 200 and line["user_id"] == marketer.pk
    assert line["brand_id"] == marketer.memberships.get().brand_id
    assert line["request_id"] == response["X-Request-ID"]
    text = json.dumps(line)
    assert "secret-search-term" not in text and "private@example.com" not in text and "marketer" not in text
    assert "127.0.0.1" not in text


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_a_forged_one_replaced(marketer_client):
    assert marketer_client.get("/", HTTP_X_REQUEST_ID="abcdef12-3456")["X-Request-ID"] == "abcdef12-3456"
    forged = marketer_client.get("/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert forged != "<script>alert(1)</script>" and len(forged) == 32


@pytest.mark.django_db
def test_a_server_error_is_mailed_to_the_admins(marketer, settings, monkeypatch):
    settings.ADMINS = [("Ops", "ops@example.com")]
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("creators.selectors.creator_profile", broken)
    client = Client(raise_request_exception=False)
    client.force_login(marketer)
    response = client.get(f"/creators/{CreatorFactory().pk}/")
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()
    assert any(m.to == ["ops@example.com"] and "RuntimeError" in m.body for m in mail.outbox)


def test_admins_come_from_the_environment():
    env = {**os.environ, "ADMINS": "Ops Team <ops@example.com>,oncall@example.com"}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
            "django.setup(); from django.conf import settings; print(settings.ADMINS)",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.stdout.strip() == "[('Ops Team', 'ops@example.com'), ('oncall@example.com', 'oncall@example.com')]"


def test_sentry_reports_errors_when_a_dsn_is_set_and_sends_no_personal_data():
    received = []

    class Intake(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"] or 0))
            received.append((self.path, gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Intake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {**os.environ, "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/42"}
        script = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); "
            "import sentry_sdk; from sentry_sdk import get_client; "
            "print(get_client().options['send_default_pii']); "
            "sentry_sdk.capture_exception(RuntimeError('reported')); sentry_sdk.flush(5)"
        )
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    finally:
        server.shutdown()
    assert out.stdout.strip() == "False", out.stderr
    assert any(path.startswith("/api/42/") and b"reported" in body for path, body in received), received


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_to_a_copy_that_exports_the_same_csvs(tmp_path, marketer):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("backups are tested on PostgreSQL")
    for n in range(5):
        SocialAccountFactory(creator=CreatorFactory(name=f'=Creator {n}, "quoted"'), followers=1000 * (n + 1))
    campaign = CampaignFactory(brand=marketer.memberships.get().brand)
    CollaborationFactory(campaign=campaign)
    source = database_url()
    copy_name = f"{connection.settings_dict['NAME']}_restored"
    copy = source.rsplit("/", 1)[0] + f"/{copy_name}"
    dump = tmp_path / "microreach.dump"
    host = ["-h", connection.settings_dict["HOST"] or "127.0.0.1", "-U", connection.settings_dict["USER"]]
    subprocess.run(["pg_dump", *host, "-Fc", "-f", str(dump), connection.settings_dict["NAME"]], check=True)
    subprocess.run(["dropdb", *host, "--if-exists", copy_name], check=True)
    subprocess.run(["createdb", *host, copy_name], check=True)
    try:
        subprocess.run(["pg_restore", *host, "--no-owner", "-d", copy_name, str(dump)], check=True)

        def export(url: str) -> str:
            env = {**os.environ, "DATABASE_URL": url}
            run = subprocess.run(
                [sys.executable, "manage.py", "export_creators"], capture_output=True, text=True, env=env, timeout=120
            )
            assert run.returncode == 0, run.stderr
            return run.stdout

        original, restored = export(source), export(copy)
        assert original == restored and original.count("\n") == 1 + 6  # five creators and the collaboration's
        assert '"=Creator 4, ""quoted"""' in restored
    finally:
        subprocess.run(["dropdb", *host, "--if-exists", copy_name], check=True)
