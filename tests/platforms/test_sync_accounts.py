"""``sync_accounts`` against the stand-in APIs: CONTRACT section 8's mapping, idempotence, deferral, refusals."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from creators.models import Creator, FollowerSnapshot, Post, SocialAccount
from platforms import sync
from platforms.models import AccountSync, SyncRun
from tests.factories import PostFactory, SocialAccountFactory
from tests.platforms.fixtures import instagram_account, youtube_channel
from tests.platforms.standin import Item, recent_items

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("sync_accounts", *args, stdout=out)
    return out.getvalue()


def state_of(account) -> tuple:
    """Everything a sync could change, to compare before and after."""
    account = SocialAccount.objects.get(pk=account.pk)
    posts = sorted(Post.objects.filter(account=account).values_list("url", "likes", "comments", "views", "posted_at"))
    snapshots = list(FollowerSnapshot.objects.filter(account=account).values_list("date", "followers"))
    return (account.followers, account.following, account.engagement_rate, account.display_name, posts, snapshots)


def test_it_fills_followers_and_posts_from_youtube_as_the_contract_maps_them(world):
    channel = youtube_channel(world, "cooks", videos=0, subscribers=5000, title="Cooks at home")
    channel.videos = [
        Item("abc", datetime.now(UTC) - timedelta(days=2), likes=150, comments=30, views=4000),
        Item("def", datetime.now(UTC) - timedelta(days=5), likes=100, comments=20, views=3000),
        Item("ghi", datetime.now(UTC) - timedelta(days=9), likes=50, comments=10, views=2000),
    ]
    account = SocialAccountFactory(platform="youtube", handle="Cooks", followers=0)

    out = run("--platform", "youtube")

    assert "youtube: 1 synced, 0 failed, 0 deferred" in out
    account.refresh_from_db()
    assert account.followers == 5000 and account.display_name == "Cooks at home" and account.synced_at
    post = Post.objects.get(url="https://www.youtube.com/watch?v=abc")
    assert (post.likes, post.comments, post.views, post.shares, post.saves) == (150, 30, 4000, 0, 0)
    assert Post.objects.filter(account=account).count() == 3
    # ER = mean(180, 120, 60) / 5000 × 100 = 2.4 %, recalculated by the sync itself.
    assert account.engagement_rate == pytest.approx(2.4)
    assert FollowerSnapshot.objects.get(account=account).followers == 5000
    assert AccountSync.objects.get(account=account).platform_id == "UCcooks"


def test_a_known_channel_costs_at_most_two_units_a_day(world):
    accounts = []
    for n in range(10):
        youtube_channel(world, f"chan{n}", videos=12)
        accounts.append(SocialAccountFactory(platform="youtube", handle=f"chan{n}"))
    run("--platform", "youtube")  # learns the channel ids (1 unit each for forHandle)
    world.requests.clear()
    from platforms import quota

    before = quota.units_today("youtube")
    run("--platform", "youtube")
    spent = quota.units_today("youtube") - before
    assert world.requests["youtube.channels"] == 1  # ten channels in one request
    assert spent <= 2 * len(accounts)
    assert spent == 1 + 10 + 3  # channels, one uploads page each, 120 videos in 3 requests of 50


def test_instagram_accounts_sync_followers_following_and_media(world):
    ig = instagram_account(world, "bakes", media=0, followers=3000, follows=120, name="Bakes Daily")
    ig.media = recent_items("m", 4, likes=80, comments=10)
    account = SocialAccountFactory(platform="instagram", handle="bakes", followers=1)
    out = run("--platform", "instagram")
    assert "instagram: 1 synced" in out
    account.refresh_from_db()
    assert (account.followers, account.following, account.display_name) == (3000, 120, "Bakes Daily")
    assert set(Post.objects.filter(account=account).values_list("url", flat=True)) == {
        f"https://www.instagram.com/p/m{n}/" for n in range(4)
    }
    assert account.engagement_rate == pytest.approx(3.0)


def test_a_second_sync_changes_nothing(world):
    youtube_channel(world, "same", videos=6)
    instagram_account(world, "same.ig", media=6)
    yt = SocialAccountFactory(platform="youtube", handle="same")
    ig = SocialAccountFactory(platform="instagram", handle="same.ig")
    run()
    before = (state_of(yt), state_of(ig), Post.objects.count(), FollowerSnapshot.objects.count())
    updated = dict(Post.objects.values_list("url", "updated_at"))
    run()
    assert (state_of(yt), state_of(ig), Post.objects.count(), FollowerSnapshot.objects.count()) == before
    assert dict(Post.objects.values_list("url", "updated_at")) == updated  # not even rewritten


def test_a_hidden_subscriber_count_keeps_the_stored_followers(world):
    youtube_channel(world, "shy", hidden_subscribers=True)
    account = SocialAccountFactory(platform="youtube", handle="shy", followers=7777)
    run("--platform", "youtube")
    account.refresh_from_db()
    assert account.followers == 7777 and account.synced_at


def test_hidden_like_counts_are_stored_unknown_and_leave_the_er(world):
    channel = youtube_channel(world, "hides", videos=0, subscribers=1000)
    now = datetime.now(UTC)
    channel.videos = [Item(f"h{n}", now - timedelta(days=n + 1), likes=None, comments=5) for n in range(3)]
    channel.videos += [Item(f"o{n}", now - timedelta(days=n + 10), likes=25, comments=5) for n in range(2)]
    account = SocialAccountFactory(platform="youtube", handle="hides")
    run("--platform", "youtube")
    account.refresh_from_db()
    assert Post.objects.filter(account=account, likes__isnull=True).count() == 3
    assert Post.objects.get(url="https://www.youtube.com/watch?v=h0").interactions is None
    # Only two posts with known likes: fewer than the minimum of 3, so the ER is unknown, never from hidden ones.
    assert account.engagement_rate is None and account.er_posts == 2
    channel.videos.append(Item("o9", now - timedelta(days=20), likes=25, comments=5))
    run("--platform", "youtube")
    account.refresh_from_db()
    assert account.er_posts == 3 and account.engagement_rate == pytest.approx(3.0)


def test_failures_are_reported_per_account_and_the_others_sync(world):
    youtube_channel(world, "good")
    good = SocialAccountFactory(platform="youtube", handle="good")
    gone = SocialAccountFactory(platform="youtube", handle="gone", followers=4242)
    PostFactory(account=gone, url="https://www.youtube.com/watch?v=kept", likes=5)
    instagram_account(world, "personal", business=False)
    SocialAccountFactory(platform="instagram", handle="personal")
    out = run()
    assert "youtube: 1 synced, 1 failed, 0 deferred" in out
    assert "youtube gone: not found" in out
    assert "instagram personal: not a business or creator account" in out
    gone.refresh_from_db()
    assert gone.followers == 4242 and Post.objects.filter(account=gone).count() == 1  # nothing stored is lost
    state = AccountSync.objects.get(account=gone)
    assert state.status == "failed" and state.error_reason == "not_found" and state.next_attempt_at
    assert AccountSync.objects.get(account=good).status == "synced"


def test_quota_defers_the_rest_and_changes_nothing_stored_for_them(world, settings):
    for n in range(4):
        youtube_channel(world, f"q{n}", videos=3)
    accounts = [SocialAccountFactory(platform="youtube", handle=f"q{n}", followers=11) for n in range(4)]
    settings.YOUTUBE_DAILY_QUOTA = 6  # forHandle + uploads for two accounts, then nothing left for their videos
    before = [state_of(a) for a in accounts]
    out = run("--platform", "youtube")
    assert "youtube: 0 synced, 0 failed, 4 deferred" in out
    assert "youtube q3: quota exhausted" in out
    assert [state_of(a) for a in accounts] == before
    assert set(AccountSync.objects.values_list("status", flat=True)) == {"deferred"}
    assert all(s.next_attempt_at > s.last_attempt_at + timedelta(minutes=1) for s in AccountSync.objects.all())


def test_the_platform_saying_quota_exceeded_also_defers(world):
    youtube_channel(world, "x")
    account = SocialAccountFactory(platform="youtube", handle="x", followers=5)
    world.quota_exhausted = True
    before = state_of(account)
    assert "0 synced, 0 failed, 1 deferred" in run("--platform", "youtube")
    assert state_of(account) == before
    from platforms import quota, tasks

    assert quota.units_today("youtube") == 10_000  # the day counts as used up: no slice asks again before the reset
    assert tasks.sync_due().get("youtube") is None


def test_instagram_rate_limits_defer(world):
    instagram_account(world, "a1")
    instagram_account(world, "a2")
    for handle in ("a1", "a2"):
        SocialAccountFactory(platform="instagram", handle=handle, followers=9)
    world.ig_error = {
        "error": {"message": "(#4) Application request limit reached", "code": 4, "type": "OAuthException"}
    }
    out = run("--platform", "instagram")
    assert "instagram: 0 synced, 0 failed, 2 deferred" in out
    assert world.requests["instagram"] == 1  # the second account is deferred without asking


def test_usage_near_the_limit_stops_instagram_before_it_refuses(world, settings):
    for handle in ("u1", "u2", "u3"):
        instagram_account(world, handle)
        SocialAccountFactory(platform="instagram", handle=handle)
    world.usage = {"call_count": 97, "total_cputime": 10, "total_time": 10}
    out = run("--platform", "instagram")
    assert "instagram: 1 synced, 0 failed, 2 deferred" in out
    assert world.requests["instagram"] == 1


def test_refused_credentials_exit_1_with_one_line(world, settings):
    youtube_channel(world, "x")
    account = SocialAccountFactory(platform="youtube", handle="x", followers=3)
    settings.YOUTUBE_API_KEY = "revoked"
    with pytest.raises(CommandError, match=r"refused the credentials.*keyInvalid"):
        run("--platform", "youtube")
    account.refresh_from_db()
    assert account.followers == 3
    assert AccountSync.objects.get(account=account).error_reason == "credentials"


def test_a_platform_without_credentials_exits_1(settings):
    settings.YOUTUBE_API_KEY = ""
    with pytest.raises(CommandError, match=r"youtube: no credentials.*YOUTUBE_API_KEY"):
        run("--platform", "youtube")


def test_no_platform_configured_says_so(settings):
    settings.YOUTUBE_API_KEY = settings.INSTAGRAM_USER_ID = settings.INSTAGRAM_ACCESS_TOKEN = ""
    with pytest.raises(CommandError, match="No platform has credentials"):
        run()


def test_named_handles_only_and_an_unknown_one_is_reported(world):
    youtube_channel(world, "one")
    youtube_channel(world, "two")
    one = SocialAccountFactory(platform="youtube", handle="One", followers=1)
    two = SocialAccountFactory(platform="youtube", handle="two", followers=1)
    out = run("--platform", "youtube", "--handle", "@one", "--handle", "nobody")
    assert "youtube: 1 synced" in out and "youtube nobody: not in Microreach" in out
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.followers == 10_000 and two.followers == 1


def test_archived_creators_are_not_synced(world):
    youtube_channel(world, "old")
    account = SocialAccountFactory(platform="youtube", handle="old", followers=1, creator__status="archived")
    assert "0 synced" in run("--platform", "youtube")
    account.refresh_from_db()
    assert account.followers == 1


def test_a_batch_stopped_midway_then_run_again_gives_the_same_result(world, monkeypatch):
    for n in range(4):
        youtube_channel(world, f"k{n}", videos=4)
    accounts = [SocialAccountFactory(platform="youtube", handle=f"k{n}") for n in range(4)]
    stored = []
    real_store = sync._store

    def dies_after_two(account, *args):
        if len(stored) == 2:
            raise SystemExit("worker killed")
        real_store(account, *args)
        stored.append(account.pk)

    monkeypatch.setattr(sync, "_store", dies_after_two)
    with pytest.raises(SystemExit):
        sync.sync_now(platform="youtube", account_ids=[a.pk for a in accounts])
    assert Post.objects.count() == 8  # two whole accounts, nothing of the third
    monkeypatch.setattr(sync, "_store", real_store)
    run("--platform", "youtube")
    first = [state_of(a) for a in accounts]
    run("--platform", "youtube")
    assert [state_of(a) for a in accounts] == first
    assert Post.objects.count() == 16 and all(a[0] == 10_000 for a in first)


def test_profile_pictures_are_downloaded_into_media_storage(world, settings):
    youtube_channel(world, "pic", title="Pictured")
    account = SocialAccountFactory(platform="youtube", handle="pic", creator__name="@pic")
    run("--platform", "youtube")
    account.refresh_from_db()
    creator = Creator.objects.get(pk=account.creator_id)
    assert account.avatar.name.startswith("avatars/") and creator.avatar.name == account.avatar.name
    assert (settings.MEDIA_ROOT / account.avatar.name).read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG we made
    assert creator.name == "Pictured"  # named after the channel once it arrived
    assert world.requests["picture"] == 1
    run("--platform", "youtube")
    assert world.requests["picture"] == 1  # fresh enough: not fetched again


def test_a_broken_picture_is_no_reason_to_fail(world):
    youtube_channel(world, "broken")
    world.picture = b"<html>not an image</html>"
    account = SocialAccountFactory(platform="youtube", handle="broken")
    assert "1 synced" in run("--platform", "youtube")
    account.refresh_from_db()
    assert not account.avatar


def test_runs_are_recorded(world):
    youtube_channel(world, "r")
    SocialAccountFactory(platform="youtube", handle="r")
    SocialAccountFactory(platform="youtube", handle="missing")
    run("--platform", "youtube")
    run_row = SyncRun.objects.get()
    assert (run_row.platform, run_row.accounts, run_row.synced, run_row.failed, run_row.deferred) == (
        "youtube",
        2,
        1,
        1,
        0,
    )
    assert run_row.finished_at
