"""Staff pages and admin actions check Django's model permissions: without them, 403 and nothing changes."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from creators.models import Creator
from tests.creators.csvhelpers import HEADER
from tests.factories import CreatorFactory, SocialAccountFactory, staff_with

pytestmark = pytest.mark.django_db

FILE = f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\n"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, kind="creators", text=FILE):
    return client.post("/creators/import/", {"kind": kind, "file": SimpleUploadedFile("c.csv", text.encode())})


def test_staff_without_permissions_cannot_import():
    client = login(staff_with())
    assert client.get("/creators/import/").status_code == 403
    assert upload(client).status_code == 403
    assert not Creator.objects.exists()


def test_the_import_offers_only_the_kinds_the_permissions_allow():
    client = login(staff_with("add_post", "change_post"))
    page = client.get("/creators/import/").content.decode()
    assert 'value="posts"' in page and 'value="creators"' not in page
    refused = upload(client, kind="creators")
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    assert not Creator.objects.exists()


def test_staff_with_the_permissions_imports(celery_eager):
    client = login(staff_with("add_creator", "change_creator", "add_socialaccount", "change_socialaccount"))
    assert upload(client).status_code == 302
    assert Creator.objects.get().email == "a@example.com"


def test_the_data_sources_page_needs_its_permissions(celery_eager):
    viewer = login(staff_with("view_accountsync"))
    nobody = login(staff_with())
    assert nobody.get("/sources/").status_code == 403
    assert viewer.get("/sources/").status_code == 200
    assert viewer.post("/sources/sync/", {"platform": "youtube"}).status_code == 403
    assert nobody.post("/sources/sync/", {"platform": "youtube"}).status_code == 403


def test_admin_actions_need_the_change_permission():
    creator = CreatorFactory()
    SocialAccountFactory(creator=creator)
    viewer = login(staff_with("view_creator", "view_socialaccount"))
    listing = viewer.get("/admin/creators/creator/")
    assert listing.status_code == 200
    actions = listing.context["action_form"].fields["action"].choices
    names = [name for name, _ in actions]
    assert "export_selected" in names and "archive" not in names and "recalculate_selected" not in names
    response = viewer.post("/admin/creators/creator/", {"action": "archive", "_selected_action": [creator.pk]})
    assert response.status_code in (200, 302)
    creator.refresh_from_db()
    assert creator.status == "active"


@pytest.mark.parametrize("codenames", [("view_socialaccount", "view_creator"), ("change_socialaccount",)])
def test_the_sync_now_action_needs_the_change_permission(settings, codenames):
    settings.YOUTUBE_API_KEY = "key"
    account = SocialAccountFactory(platform="youtube")
    user = login(staff_with(*codenames))
    allowed = "change_socialaccount" in codenames
    form = user.get("/admin/creators/socialaccount/").context["action_form"]
    offered = form is not None and "sync_now" in [name for name, _ in form.fields["action"].choices]
    with mock.patch("platforms.tasks.enqueue") as queued:
        user.post("/admin/creators/socialaccount/", {"action": "sync_now", "_selected_action": [account.pk]})
    assert offered == allowed and queued.called == allowed


def test_staff_without_permissions_get_403_in_the_admin():
    client = login(staff_with())
    for url in ["/admin/creators/creator/", "/admin/creators/socialaccount/", "/admin/campaigns/campaign/"]:
        assert client.get(url).status_code == 403, url
