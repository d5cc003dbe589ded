"""Profile pictures are served to signed-in users from the media storage, and nothing else is."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return default_storage.save("avatars/abc.jpg", ContentFile(b"\xff\xd8\xff picture"))


def test_a_picture_is_served_to_a_signed_in_user(marketer_client, picture):
    response = marketer_client.get(f"/media/{picture}")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    assert response["Content-Type"] == "image/jpeg"


def test_anonymous_users_are_sent_to_log_in(client, picture):
    assert client.get(f"/media/{picture}").status_code == 302


@pytest.mark.parametrize("path", ["avatars/../secret.txt", "other/abc.jpg", "avatars/missing.jpg", "avatars\\..\\x"])
def test_nothing_but_stored_pictures(marketer_client, picture, path, tmp_path):
    (tmp_path / "secret.txt").write_text("no")
    assert marketer_client.get(f"/media/{path}").status_code == 404
