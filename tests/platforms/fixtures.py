"""The stand-in platforms and a worker that syncs against them, for the platform and browser tests."""

import os
import subprocess

import pytest

from config import worker_process
from config.celery_app import app
from tests.platforms.standin import StandIn, recent_items


@pytest.fixture
def standin(settings, tmp_path):
    """The stand-in YouTube and Instagram APIs on 127.0.0.1, configured as the deployment's platforms."""
    with StandIn() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.INSTAGRAM_MAX_PAUSE = 0.01
        yield server


@pytest.fixture
def world(standin):
    return standin.world


def youtube_channel(world, handle: str, videos: int = 5, **values):
    return world.add_channel(handle, videos=recent_items(f"v{handle}", videos), **values)


def instagram_account(world, username: str, media: int = 5, **values):
    return world.add_ig(username, media=recent_items(f"m{username}", media), **values)


@pytest.fixture
def sync_worker(standin, tmp_path):
    """A real worker process on a queue of its own, configured for the stand-in platforms."""
    from config.worker_process import database_url

    queue = worker_process.private_queue("sync")
    env = {
        **os.environ,
        **standin.settings(),
        "DATABASE_URL": database_url(),
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    process = worker_process.start(queue, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    yield env
    app.conf.task_default_queue = previous
    worker_process.stop(process, timeout=20)
