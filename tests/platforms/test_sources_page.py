"""The data-sources page, the admin's sync state and action, and the schedule."""

import pytest

from platforms.models import AccountSync, SyncRun
from tests.factories import SocialAccountFactory
from tests.platforms.fixtures import youtube_channel

pytestmark = pytest.mark.django_db


def test_it_says_which_platforms_are_configured_and_why_not(admin_client, settings):
    settings.YOUTUBE_API_KEY = ""
    settings.INSTAGRAM_USER_ID, settings.INSTAGRAM_ACCESS_TOKEN = "1784", ""
    text = admin_client.get("/sources/").content.decode()
    assert "YOUTUBE_API_KEY is not set" in text and "INSTAGRAM_ACCESS_TOKEN is not set" in text


def test_it_shows_quota_runs_and_failures_after_a_sync(admin_client, world):
    from django.core.management import call_command

    youtube_channel(world, "fine")
    SocialAccountFactory(platform="youtube", handle="fine")
    SocialAccountFactory(platform="youtube", handle="vanished")
    call_command("sync_accounts", "--platform", "youtube", stdout=open("/dev/null", "w"))  # noqa: SIM115
    response = admin_client.get("/sources/")
    text = response.content.decode()
    # forHandle for both, then the uploads and the videos of the one that exists
    assert "Quota used today: 4 of 10,000 units" in text, text
    assert "@vanished" in text and "not found" in text
    assert SyncRun.objects.count() == 1


def test_it_is_for_staff_only(marketer_client, client):
    assert marketer_client.get("/sources/").status_code == 403
    assert client.get("/sources/").status_code == 302


def test_sync_now_from_the_page_queues_the_platform(admin_client, world, celery_eager):
    youtube_channel(world, "now")
    account = SocialAccountFactory(platform="youtube", handle="now", followers=1)
    response = admin_client.post("/sources/sync/", {"platform": "youtube"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.followers == 10_000
    assert admin_client.post("/sources/sync/", {"platform": "tiktok"}).status_code == 302
    assert admin_client.get("/sources/sync/").status_code == 405


def test_the_admin_shows_the_sync_state_and_syncs_selected_accounts(admin_client, world, celery_eager):
    youtube_channel(world, "adm")
    account = SocialAccountFactory(platform="youtube", handle="adm", followers=1)
    other = SocialAccountFactory(platform="tiktok", handle="tt")
    response = admin_client.post(
        "/admin/creators/socialaccount/",
        {"action": "sync_now", "_selected_action": [account.pk, other.pk]},
        follow=True,
    )
    assert "Queued 1 account for a sync" in response.content.decode()
    assert "1 account on other platforms comes from CSV files only" in response.content.decode()
    account.refresh_from_db()
    assert account.followers == 10_000
    page = admin_client.get(f"/admin/creators/socialaccount/{account.pk}/change/")
    assert page.status_code == 200 and "sync with the platform" in page.content.decode().lower()
    assert AccountSync.objects.get(account=account).status == "synced"
    assert admin_client.get("/admin/creators/socialaccount/").status_code == 200


def test_the_daily_sync_is_a_periodic_task_in_the_admin(admin_client):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="platforms.tasks.sync_due")
    assert "sync" in task.name.lower() and task.enabled and task.interval.every == 900
    assert admin_client.get("/admin/django_celery_beat/periodictask/?q=sync").status_code == 200
