"""The two clients against the stand-in APIs, over the network: typed results, paging, the errors in our words."""

from datetime import UTC, datetime, timedelta

import pytest

from platforms import errors, quota
from platforms.http import new_client
from platforms.instagram import Instagram
from platforms.youtube import YouTube
from tests.platforms.fixtures import instagram_account, youtube_channel
from tests.platforms.standin import Item, recent_items

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.now(UTC) - timedelta(days=90)


def youtube(standin, key="test-key", spent=None):
    return YouTube(
        key=key,
        base_url=standin.youtube_url,
        http=new_client(),
        spend=spent.append if spent is not None else (lambda n: None),
    )


def instagram(standin, token="test-token", usage=None):
    return Instagram(
        user_id=standin.world.ig_user_id,
        token=token,
        base_url=standin.graph_url,
        http=new_client(),
        on_usage=(usage if usage is not None else []).append,
    )


def test_it_finds_a_channel_by_handle_with_its_counts(standin, world):
    youtube_channel(world, "Cooks", subscribers=4321, title="Cooks at home")
    channel = youtube(standin).channel_for_handle("cooks")
    assert (channel.id, channel.title, channel.subscribers, channel.handle) == (
        "UCCooks",
        "Cooks at home",
        4321,
        "cooks",
    )
    assert channel.uploads_playlist == "UUCooks"
    assert channel.picture_url.endswith("/pictures/UCCooks.jpg")


def test_a_hidden_subscriber_count_is_none_not_zero(standin, world):
    youtube_channel(world, "shy", hidden_subscribers=True)
    assert youtube(standin).channel_for_handle("shy").subscribers is None


def test_an_unknown_handle_is_not_found(standin):
    with pytest.raises(errors.NotFound):
        youtube(standin).channel_for_handle("nobody")


def test_uploads_page_until_the_window_and_the_post_count_are_covered(standin, world):
    channel = world.add_channel("busy", videos=recent_items("b", 140, days_apart=1))
    spent = []
    uploads = youtube(standin, spent=spent).uploads(
        f"UU{channel.id[2:]}", since=datetime.now(UTC) - timedelta(days=90), at_least=12
    )
    # 50 a page: the second page reaches past 90 days, so no third is asked for.
    assert len(uploads) == 100
    assert len(spent) == 2
    assert uploads[0].video_id == "b0"


def test_videos_carry_their_statistics_and_a_hidden_like_count_is_none(standin, world):
    world.add_channel("c", videos=[Item("open", LONG_AGO, likes=7, comments=2, views=99), Item("hid", LONG_AGO, None)])
    videos = {v.id: v for v in youtube(standin).videos(["open", "hid"])}
    assert (videos["open"].likes, videos["open"].comments, videos["open"].views) == (7, 2, 99)
    assert videos["hid"].likes is None


def test_a_quota_exceeded_answer_is_quota_exhausted(standin, world):
    world.quota_exhausted = True
    with pytest.raises(errors.QuotaExhausted):
        youtube(standin).channel_for_handle("x")


def test_an_invalid_key_is_credentials_refused(standin):
    with pytest.raises(errors.CredentialsRefused, match="keyInvalid"):
        youtube(standin, key="wrong").channel_for_handle("x")


def test_an_invalid_key_in_todays_answer_form_is_refused_too(standin, world):
    world.modern_key_error = True
    with pytest.raises(errors.CredentialsRefused, match="API key not valid"):
        youtube(standin, key="wrong").channel_for_handle("x")


def test_the_daily_quota_stops_before_the_platform_refuses(standin, world, settings):
    youtube_channel(world, "q")
    settings.YOUTUBE_DAILY_QUOTA = 2
    client = YouTube(key="test-key", base_url=standin.youtube_url, http=new_client(), spend=quota.youtube_spend)
    client.channel_for_handle("q")
    client.channel_for_handle("q")
    before = world.requests["youtube.channels"]
    with pytest.raises(errors.QuotaExhausted) as refused:
        client.channel_for_handle("q")
    assert world.requests["youtube.channels"] == before  # not even asked
    assert refused.value.retry_after > 0
    assert quota.units_today("youtube") == 2


def test_instagram_business_discovery_pages_media_by_cursor(standin, world):
    instagram_account(world, "bakes", media=0, followers=2500, follows=80, name="Bakes")
    world.ig["bakes"].media = recent_items("m", 70, days_apart=1)
    usage = []
    profile = instagram(standin, usage=usage).profile(
        "bakes", since=datetime.now(UTC) - timedelta(days=90), at_least=12
    )
    assert (profile.followers, profile.follows, profile.name) == (2500, 80, "Bakes")
    assert len(profile.media) == 70  # 50 + 20: all 70 are within the window
    assert world.requests["instagram"] == 2
    assert profile.media[0].permalink == "https://www.instagram.com/p/m0/"
    assert usage and "x-app-usage" in usage[-1]


def test_a_hidden_like_count_on_instagram_is_none(standin, world):
    instagram_account(world, "quiet", media=0)
    world.ig["quiet"].media = [Item("h", datetime.now(UTC), likes=None, comments=3)]
    profile = instagram(standin).profile("quiet", since=LONG_AGO, at_least=12)
    assert profile.media[0].likes is None and profile.media[0].comments == 3


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"message": "(#4) Application request limit reached", "code": 4}, errors.RateLimited),
        ({"message": "(#17) User request limit reached", "code": 17}, errors.RateLimited),
        ({"message": "(#32) Page request limit reached", "code": 32}, errors.RateLimited),
        ({"message": "(#613) Calls to this api have exceeded the rate limit.", "code": 613}, errors.RateLimited),
        ({"message": "(#100) Invalid parameter", "code": 100}, errors.NotFound),
        ({"message": "Invalid user id", "code": 110, "error_subcode": 2207013}, errors.NotBusiness),
        ({"message": "Error validating access token", "code": 190, "error_subcode": 463}, errors.CredentialsRefused),
        ({"message": "An unknown error occurred", "code": 1}, errors.PlatformDown),
    ],
)
def test_graph_api_errors_become_our_words(standin, world, body, expected):
    world.ig_error = {"error": {"type": "OAuthException", "fbtrace_id": "X", **body}}
    with pytest.raises(expected):
        instagram(standin).profile("anyone", since=LONG_AGO, at_least=12)


def test_a_personal_account_is_not_a_business_account(standin, world):
    instagram_account(world, "personal", business=False)
    with pytest.raises(errors.NotBusiness):
        instagram(standin).profile("personal", since=LONG_AGO, at_least=12)


def test_an_expired_token_is_refused(standin):
    with pytest.raises(errors.CredentialsRefused, match="190"):
        instagram(standin, token="expired").profile("x", since=LONG_AGO, at_least=12)


def test_a_username_that_could_inject_fields_is_never_sent(standin, world):
    with pytest.raises(errors.NotFound):
        instagram(standin).profile("x){followers_count}", since=LONG_AGO, at_least=12)
    assert world.requests["instagram"] == 0


def test_a_platform_that_answers_503_or_nothing_is_down(standin, world, settings):
    world.down = True
    with pytest.raises(errors.PlatformDown):
        youtube(standin).channel_for_handle("x")
    closed = YouTube(key="k", base_url="http://127.0.0.1:9/youtube/v3", http=new_client())
    with pytest.raises(errors.PlatformDown, match="network error"):
        closed.channel_for_handle("x")


def test_malformed_answers_are_refused_with_a_message(standin, world):
    youtube_channel(world, "odd", subscribers=5)
    world.channels["UCodd"].subscribers = -5  # the stand-in sends "-5"
    with pytest.raises(errors.BadAnswer, match="subscriberCount"):
        youtube(standin).channel_for_handle("odd")


def test_usage_headers_slow_the_sync_and_stop_it_before_the_limit(settings):
    settings.INSTAGRAM_SLOW_AT, settings.INSTAGRAM_STOP_AT, settings.INSTAGRAM_MAX_PAUSE = 75, 95, 10
    pauses = []
    quota.instagram_pace(
        {"x-app-usage": '{"call_count": 50, "total_time": 10, "total_cputime": 5}'}, sleep=pauses.append
    )
    assert pauses == []
    quota.instagram_pace(
        {"x-app-usage": '{"call_count": 85, "total_time": 10, "total_cputime": 5}'}, sleep=pauses.append
    )
    assert pauses == [pytest.approx(5.0)]
    buc = (
        '{"1784": [{"type": "instagram", "call_count": 96, "total_cputime": 1, "total_time": 1,'
        ' "estimated_time_to_regain_access": 30}]}'
    )
    with pytest.raises(errors.RateLimited) as stopped:
        quota.instagram_pace({"x-business-use-case-usage": buc}, sleep=pauses.append)
    assert stopped.value.retry_after == 30 * 60
    quota.instagram_pace({"x-app-usage": "not json"}, sleep=pauses.append)  # a garbled header slows nothing
    assert len(pauses) == 1
