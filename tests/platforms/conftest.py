import pytest

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
