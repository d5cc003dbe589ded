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
