"""The staff import page: the same rules as the commands, errors shown per row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from creators.models import Creator
from tests.creators.csvhelpers import HEADER

pytestmark = pytest.mark.django_db


def upload(client, text: str, kind: str = "creators"):
    return client.post("/creators/import/", {"kind": kind, "file": SimpleUploadedFile("c.csv", text.encode())})


def test_a_valid_file_is_imported(admin_client):
    response = upload(admin_client, f"{HEADER}\nA,a@example.com,,Travel,instagram,a,5000,,\n")
    assert response.status_code == 302
    assert Creator.objects.get().tier == "micro"
    assert b"creators created: 1" in admin_client.get(response["Location"]).content


def test_a_bad_file_lists_problems_per_row_and_writes_nothing(admin_client):
    response = upload(admin_client, f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\nB,bad,,,instagram,b,-1,,\n")
    assert response.status_code == 400
    assert b"Nothing was imported: 2 problems" in response.content
    assert b"is not a valid email address" in response.content and b"must not be negative" in response.content
    assert Creator.objects.count() == 0


def test_a_binary_upload_is_a_clear_message(admin_client):
    response = admin_client.post(
        "/creators/import/", {"kind": "posts", "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x01garbage")}
    )
    assert response.status_code == 400
    assert b"is not UTF-8 text" in response.content


def test_a_form_without_a_file_is_a_clear_message(admin_client):
    response = admin_client.post("/creators/import/", {"kind": "creators"})
    assert response.status_code == 200
    assert b"This field is required" in response.content
