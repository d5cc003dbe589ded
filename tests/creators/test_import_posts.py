"""``import_posts``: every rule of CONTRACT section 4, all or nothing, and fresh metrics after it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from creators import services
from creators.models import Creator, Post
from tests.creators.csvhelpers import POSTS_HEADER, call_import, stored
from tests.factories import PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return SocialAccountFactory(platform="instagram", handle="Ana.Fit", followers=1000)


def day(n: int) -> str:
    return (timezone.now() - timedelta(days=n)).strftime("%Y-%m-%d")


def import_file(tmp_path, text, capsys):
    return call_import("import_posts", tmp_path, text, capsys)


def good_file() -> str:
    return (
        f"{POSTS_HEADER}\n"
        f"instagram,@ana.fit,{day(1)},20,5,3,2,900,https://instagram.com/p/1\n"
        f"Instagram,ANA.FIT,{day(2)}T10:00:00,30,,,,,https://instagram.com/p/2\n"
        f"instagram,ana.fit,{day(3)}T10:00:00+02:00,40,0,0,0,0,https://instagram.com/p/3\n"
    )


def test_it_imports_posts_and_recalculates_the_creator(tmp_path, capsys, account):
    code, out, err = import_file(tmp_path, good_file(), capsys)
    assert code == 0, err
    assert Post.objects.count() == 3
    assert "posts created: 3" in out
    account.refresh_from_db()
    # (30 + 30 + 40) / 3 / 1000 * 100
    assert account.engagement_rate == pytest.approx(100 / 3 / 10)
    assert Creator.objects.get().is_flagged is True


def test_dates_without_a_zone_are_utc_and_zones_are_respected(tmp_path, capsys, account):
    import_file(tmp_path, good_file(), capsys)
    second = Post.objects.get(url="https://instagram.com/p/2")
    third = Post.objects.get(url="https://instagram.com/p/3")
    assert second.posted_at.utcoffset() == timedelta(0)
    assert second.posted_at.hour == 10
    assert third.posted_at.astimezone(UTC).hour == 8


def test_a_date_alone_means_midnight_utc(tmp_path, capsys, account):
    import_file(tmp_path, f"{POSTS_HEADER}\ninstagram,ana.fit,2026-01-05,1,1,1,1,1,https://e.com/p\n", capsys)
    assert Post.objects.get().posted_at == datetime(2026, 1, 5, tzinfo=UTC)


def test_reimporting_updates_counts_of_known_urls_and_twice_changes_nothing(tmp_path, capsys, account):
    import_file(tmp_path, good_file(), capsys)
    changed = good_file().replace(",20,5,3,2,900,", ",200,5,3,2,900,")
    code, out, _ = import_file(tmp_path, changed, capsys)
    assert code == 0
    assert "posts updated: 1" in out
    assert Post.objects.get(url="https://instagram.com/p/1").likes == 200
    before = list(Post.objects.order_by("pk").values_list("pk", "likes", "updated_at"))
    code, out, _ = import_file(tmp_path, changed, capsys)
    assert "posts created: 0; posts updated: 0; posts unchanged: 3" in out
    assert list(Post.objects.order_by("pk").values_list("pk", "likes", "updated_at")) == before


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("myspace,ana.fit,2026-01-01,1,1,1,1,1,https://e.com/x", "row 2: platform: unknown platform 'myspace'"),
        ("instagram,nobody,2026-01-01,1,1,1,1,1,https://e.com/x", "row 2: handle: no instagram account @nobody"),
        ("instagram,ana.fit,yesterday,1,1,1,1,1,https://e.com/x", "row 2: posted_at: is not an ISO 8601 date"),
        ("instagram,ana.fit,2026-02-30,1,1,1,1,1,https://e.com/x", "row 2: posted_at: is not an ISO 8601 date"),
        ("instagram,ana.fit,,1,1,1,1,1,https://e.com/x", "row 2: posted_at: is required"),
        ("instagram,ana.fit,2026-01-01,-1,1,1,1,1,https://e.com/x", "row 2: likes: must not be negative"),
        ("instagram,ana.fit,2026-01-01,1,1.5,1,1,1,https://e.com/x", "row 2: comments: must be a whole number"),
        ("instagram,ana.fit,2026-01-01,1,1,x,1,1,https://e.com/x", "row 2: shares: must be a whole number"),
        ("instagram,ana.fit,2026-01-01,1,1,1,-2,1,https://e.com/x", "row 2: saves: must not be negative"),
        ("instagram,ana.fit,2026-01-01,1,1,1,1,1e3,https://e.com/x", "row 2: views: must be a whole number"),
        ("instagram,ana.fit,2026-01-01,1,1,1,1,1,", "row 2: url: is required"),
        ("instagram,ana.fit,2026-01-01,1,1,1,1,1,ftp://e.com/x", "row 2: url: is not a valid http(s) URL"),
        ("instagram,ana.fit,2026-01-01,1,1,1,1,1,https://e.com/ok", "row 2: url: the same post is already in row 1"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(tmp_path, capsys, account, row, expected):
    good = "instagram,ana.fit,2026-01-01,1,1,1,1,1,https://e.com/ok"
    before = stored()
    code, _, err = import_file(tmp_path, f"{POSTS_HEADER}\n{good}\n{row}\n", capsys)
    assert code == 1
    assert expected in err
    assert stored() == before


def test_a_url_of_another_account_is_an_error(tmp_path, capsys, account):
    PostFactory(url="https://e.com/theirs")
    before = stored()
    code, _, err = import_file(
        tmp_path, f"{POSTS_HEADER}\ninstagram,ana.fit,2026-01-01,1,1,1,1,1,https://e.com/theirs\n", capsys
    )
    assert code == 1
    assert "row 1: url: this post belongs to another account" in err
    assert stored() == before


def test_an_unknown_column_in_the_posts_file_is_an_error(tmp_path, capsys, account):
    code, _, err = import_file(
        tmp_path, f"{POSTS_HEADER},impressions\ninstagram,ana.fit,2026-01-01,1,1,1,1,1,https://e.com/x,5\n", capsys
    )
    assert code == 1
    assert "row 0: impressions: unknown column" in err
    assert Post.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://www.instagram.com/p/abc/",
        "http://example.com",
        "https://sub.example.co.uk/a?b=c#d",
        "https://user:pw@example.com/x",
        "https://example.com:8443/x",
        "https://127.0.0.1/x",
        "https://exämple.com/x",
        "https://-bad.com/x",
        "https://bad-.com/x",
        "https://example/x",
        "https://example.c0m/x",
        "ftp://example.com/x",
        "https://exa mple.com/x",
        "https://" + "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".com/x",
    ],
)
def test_the_quick_url_check_agrees_with_djangos_validator(url):
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    from creators.csvfiles import RowReader

    problems = []
    RowReader(1, {"url": url}, problems).url("url")
    try:
        URLValidator(schemes=["http", "https"])(url)
        valid = True
    except ValidationError:
        valid = False
    assert (not problems) == valid


def test_the_import_tells_which_part_it_writes(account):
    heard = []
    services.posts_import(text=good_file(), progress=lambda *args, **kwargs: heard.append((args, kwargs)))
    writing = [(args[1], args[2], kwargs["part"]) for args, kwargs in heard if args[0] == "writing"]
    assert writing == [(0, 2, "changed posts"), (1, 2, "new posts")]
    assert Post.objects.count() == 3
