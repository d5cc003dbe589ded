import pytest
from django.test import Client

from tests.factories import UserFactory

pytest_plugins = ["tests.platforms.fixtures"]


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def marketer(db):
    """A marketer in a brand of their own."""
    from tests.factories import MembershipFactory

    user = UserFactory(username="marketer")
    MembershipFactory(user=user, brand__name="Marketer's brand")
    return user


@pytest.fixture
def marketer_client(marketer) -> Client:
    client = Client()
    client.force_login(marketer)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the coalescing flags live there)."""
    from django.core.cache import cache

    from config import fragments

    fragments._local.update(version=0, read_at=0.0)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def celery_eager():
    """Run tasks in-process, at once, as a worker would."""
    from config.celery_app import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


@pytest.fixture(scope="session")
def _media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_of_the_test_run(settings, monkeypatch, _media_dir):
    """Uploads (import files, pictures) go to a folder of the test run, for the workers the tests start too."""
    settings.MEDIA_ROOT = _media_dir
    monkeypatch.setenv("MEDIA_ROOT", str(_media_dir))


class _Inbox:
    """What a real SMTP server (aiosmtpd, on a free local port) received: parsed messages and their envelopes."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait(self, count: int, seconds: float = 10.0) -> list:
        import time

        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server for the test; the app's e-mail goes to it over the network (Django's SMTP backend)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()
