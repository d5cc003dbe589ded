"""End to end: ``sync_accounts --async`` done by a real Celery worker process against the stand-in APIs."""

import subprocess
import sys

import pytest

from creators.models import SocialAccount
from platforms.models import AccountSync, SyncRun
from tests.creators.test_worker_e2e import wait_for
from tests.factories import SocialAccountFactory
from tests.platforms.fixtures import instagram_account, youtube_channel

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_queued_sync_is_done_by_a_real_worker(world, sync_worker):
    for n in range(3):
        youtube_channel(world, f"w{n}", videos=4, subscribers=2000 + n)
    instagram_account(world, "wig", media=4, followers=5000)
    accounts = [SocialAccountFactory(platform="youtube", handle=f"w{n}", followers=1) for n in range(3)]
    accounts.append(SocialAccountFactory(platform="instagram", handle="wig", followers=1))
    result = subprocess.run(
        [sys.executable, "manage.py", "sync_accounts", "--async"],
        capture_output=True,
        text=True,
        timeout=120,
        env=sync_worker,
    )
    assert result.returncode == 0, result.stderr
    assert "youtube: queued the sync as task" in result.stdout and "instagram: queued" in result.stdout
    assert wait_for(lambda: AccountSync.objects.filter(status="synced").count() == 4), "the worker did not sync"
    assert sorted(SocialAccount.objects.values_list("followers", flat=True)) == [2000, 2001, 2002, 5000]
    # The engagement rates follow in the recalculation the sync queues (a task of its own, maybe a moment later).
    assert wait_for(lambda: all(a.engagement_rate is not None for a in SocialAccount.objects.all()))
    assert wait_for(lambda: sum(SyncRun.objects.values_list("synced", flat=True)) == 4)
