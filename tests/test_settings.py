"""Production settings: check --deploy is clean, and a missing SECRET_KEY is a clear message."""

import os
import subprocess
import sys


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests only; a deployment never has it.
    dropped = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args], capture_output=True, text=True, timeout=60, env={**environment, **env}
    )


def test_check_deploy_is_clean_in_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 30 + "-a-long-random-production-secret-key",
        ALLOWED_HOSTS="microreach.example",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_missing_secret_key_is_a_clear_message_not_a_traceback(tmp_path):
    result = manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is false" in result.stderr
    assert "Traceback" not in result.stderr


def test_media_go_to_an_s3_compatible_bucket_by_setting():
    show = "from django.core.files.storage import default_storage as s; s._setup(); "
    show += "print(type(s._wrapped).__name__, s._wrapped.bucket_name)"
    result = manage(
        "shell",
        "-c",
        show,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="microreach-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["S3Storage", "microreach-media"]


def test_email_url_sets_the_backend_and_the_server():
    show = "from django.conf import settings as s; "
    show += "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER)"
    smtp = manage("shell", "-c", show, EMAIL_URL="smtp+tls://mailer:secret@mail.example.com:587", EMAIL_BACKEND="")
    assert smtp.returncode == 0, smtp.stderr
    assert smtp.stdout.splitlines()[-1].split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.com",
        "587",
        "True",
        "mailer",
    ]
    console = manage("shell", "-c", show, EMAIL_URL="", EMAIL_BACKEND="")
    assert console.stdout.splitlines()[-1].split()[0] == "django.core.mail.backends.console.EmailBackend"
    wrong = manage("check", EMAIL_URL="pigeon://coop", EMAIL_BACKEND="")
    assert wrong.returncode != 0 and "EMAIL_URL is not an e-mail URL" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_a_wrong_inbound_imap_url_stops_the_app_at_start_up_with_a_clear_message():
    for url in ("http://mail.example.com/INBOX", "imaps://", "imaps://user@host:notaport/"):
        wrong = manage("check", INBOUND_IMAP_URL=url)
        assert wrong.returncode != 0 and "INBOUND_IMAP_URL must look like imaps://" in wrong.stderr, url
        assert "Traceback" not in wrong.stderr
    assert manage("check", INBOUND_IMAP_URL="imaps://u:p@imap.example.com/INBOX").returncode == 0
