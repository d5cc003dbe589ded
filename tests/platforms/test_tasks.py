"""The Celery side of the sync: the daily schedule's slices, claims, retries when a platform is down."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from platforms import tasks
from platforms.models import AccountSync, SyncRun
from tests.factories import SocialAccountFactory
from tests.platforms.fixtures import youtube_channel

pytestmark = pytest.mark.django_db


def test_a_scheduled_slice_takes_a_share_of_the_due_accounts_and_claims_them(world, settings, monkeypatch):
    settings.INSTAGRAM_USER_ID = ""  # only YouTube
    queued = []
    monkeypatch.setattr(tasks.sync_batch, "delay", lambda *args: queued.append(args))
    accounts = [SocialAccountFactory(platform="youtube", handle=f"due{n}") for n in range(200)]
    assert tasks.sync_due() == {"youtube": 5}  # 200 accounts over 96 slices a day, twice the even share
    claimed = AccountSync.objects.filter(next_attempt_at__gt=timezone.now() + timedelta(hours=1))
    assert claimed.count() == 5
    assert tasks.sync_due() == {"youtube": 5}  # the next slice takes five others
    assert len({pk for _, ids, _ in queued for pk in ids}) == 10 and len(accounts) == 200
    assert SyncRun.objects.filter(trigger="schedule").count() == 2


def test_a_slice_stays_within_the_remaining_youtube_quota(world, settings, monkeypatch):
    settings.INSTAGRAM_USER_ID = ""
    settings.YOUTUBE_DAILY_QUOTA = 6
    monkeypatch.setattr(tasks.sync_batch, "delay", lambda *args: None)
    for n in range(1000):
        SocialAccountFactory(platform="youtube", handle=f"many{n}")
    assert tasks.sync_due() == {"youtube": 3}


def test_no_credentials_no_slice(settings):
    settings.YOUTUBE_API_KEY = settings.INSTAGRAM_USER_ID = ""
    SocialAccountFactory(platform="youtube")
    assert tasks.sync_due() == {}


def test_a_platform_that_is_down_is_retried_with_backoff_for_the_accounts_not_asked(world, monkeypatch, celery_eager):
    youtube_channel(world, "later")
    account = SocialAccountFactory(platform="youtube", handle="later", followers=1)
    world.down = True
    retried = []

    def retry(*, args, countdown):
        retried.append((args, countdown))
        world.down = False  # back up for the retry
        tasks.sync_batch.apply(args=args)
        return Retry()

    monkeypatch.setattr(tasks.sync_batch, "retry", retry)
    with pytest.raises(Retry):
        tasks.sync_batch.apply(args=("youtube", [account.pk], None))
    assert retried == [(("youtube", [account.pk], None), 30)]
    account.refresh_from_db()
    assert account.followers == 10_000


def test_a_platform_down_for_good_marks_the_accounts_and_keeps_their_data(world, celery_eager):
    account = SocialAccountFactory(platform="youtube", handle="stuck", followers=12)
    world.down = True
    result = tasks.sync_batch.apply(args=("youtube", [account.pk], None), retries=tasks.MAX_RETRIES).get()
    assert result == {"synced": 0, "failed": 1, "deferred": 0}
    state = AccountSync.objects.get(account=account)
    assert state.error_reason == "platform_down" and state.status == "failed"
    account.refresh_from_db()
    assert account.followers == 12
