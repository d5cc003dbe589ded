"""Exports stream: exporting 4 × the creators takes hardly more memory than 1 × (tracemalloc's peak of Python's
allocations), from the command and from the browser. An export holds at most two chunks of rows at a time (2,000
each: the one read, the one written); here the chunk is made small so that both sizes span many of them."""

import tracemalloc

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from creators import selectors
from creators.models import Creator, Niche, SocialAccount

pytestmark = pytest.mark.django_db

ONE = 500
CHUNK = 100


def add_creators(start: int, count: int) -> None:
    """``count`` creators with an account each (their primary) and two niches, written in bulk."""
    niches = [Niche.objects.get_or_create(name=name, slug=name.lower())[0] for name in ("Fitness", "Local food")]
    creators = Creator.objects.bulk_create(
        Creator(name=f"Creator {n}", email=f"creator{n}@example.com", country="US", city="Austin", rate=100 + n % 900)
        for n in range(start, start + count)
    )
    SocialAccount.objects.bulk_create(
        SocialAccount(creator=c, platform="instagram", handle=f"creator{start + k}", followers=1000 + k)
        for k, c in enumerate(creators)
    )
    Creator.niches.through.objects.bulk_create(
        Creator.niches.through(creator_id=c.pk, niche_id=niche.pk) for c in creators for niche in niches
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE creators_creator SET accounts_count = 1, followers = 5000, tier = 'micro', engagement_rate = 3.5,"
            " primary_account_id = (SELECT a.id FROM creators_socialaccount a WHERE a.creator_id = creators_creator.id)"
        )


def peak_bytes(export) -> tuple[int, int]:
    tracemalloc.start()
    try:
        rows = export()
        return tracemalloc.get_traced_memory()[1], rows
    finally:
        tracemalloc.stop()


@pytest.fixture(params=["command", "browser"])
def export(request, tmp_path):
    if request.param == "command":

        def run() -> int:
            call_command("export_creators", str(tmp_path / "creators.csv"))
            with (tmp_path / "creators.csv").open() as exported:
                return sum(1 for _ in exported) - 1

        return run
    client = request.getfixturevalue("marketer_client")

    def download() -> int:
        response = client.get("/creators/export.csv")
        return sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1

    return download


def test_four_times_the_creators_take_about_the_same_memory(export, monkeypatch):
    monkeypatch.setattr(selectors.iterate, "__defaults__", (CHUNK,))
    add_creators(0, ONE)
    export()  # the first run loads what every run shares (templates, modules, caches)
    one, rows_one = peak_bytes(export)
    add_creators(ONE, 3 * ONE)
    four, rows_four = peak_bytes(export)
    assert (rows_one, rows_four) == (ONE, 4 * ONE)
    assert four < 1.25 * one, f"peak {one / 1e6:.1f} MB for {ONE:,} creators, {four / 1e6:.1f} MB for {4 * ONE:,}"


def test_an_export_reads_the_same_few_queries_whatever_its_rows(export, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(selectors.iterate, "__defaults__", (CHUNK,))
    add_creators(0, CHUNK)
    export()  # the session, the user and the rate limit's first reads
    with CaptureQueriesContext(connection) as one_chunk:
        export()
    add_creators(CHUNK, 3 * CHUNK)
    # Two queries per further chunk (its rows, its niches), never one per row (a deferred column read per creator).
    with django_assert_max_num_queries(len(one_chunk) + 2 * 3):
        assert export() == 4 * CHUNK
