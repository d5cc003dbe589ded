"""Two imports of overlapping files at once: both all or nothing, the second sees the first, no IntegrityError."""

import threading

import pytest
from django.db import connection, transaction

from creators import csvfiles, importguard, services
from creators.models import Creator, SocialAccount
from tests.creators.csvhelpers import HEADER

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = f"{HEADER}\nShared,shared@example.com,,,instagram,shared,5000,,\nOne,one@example.com,,,instagram,one,2000,,\n"
SECOND = f"{HEADER}\nShared,shared@example.com,,,instagram,shared,6000,,\nTwo,two@example.com,,,instagram,two,3000,,\n"


def _in_thread(work):
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as error:  # the test asserts on it
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_the_second_import_waits_for_the_first_and_updates_what_it_created():
    started, release = threading.Event(), threading.Event()

    def first():
        # The first import, held open after writing (as a slow import would be) until the second is waiting.
        def slow(**kwargs):
            summary = services._creators_import(**kwargs)
            started.set()
            release.wait(10)
            return summary

        return importguard.one_at_a_time(slow, text=FIRST, today=None)

    one, first_outcome = _in_thread(first)
    assert started.wait(10)
    two, second_outcome = _in_thread(lambda: services.creators_import(text=SECOND))
    two.join(1.0)
    assert two.is_alive()  # waiting for the first, not failing
    release.set()
    one.join(10)
    two.join(10)
    assert "error" not in first_outcome and "error" not in second_outcome, (first_outcome, second_outcome)
    assert sorted(Creator.objects.values_list("email", flat=True)) == [
        "one@example.com",
        "shared@example.com",
        "two@example.com",
    ]
    assert SocialAccount.objects.get(handle="shared").followers == 6000  # the second's value: no lost update
    assert second_outcome["result"].counts["accounts updated"] == 1  # it saw the first import's account


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lock wait is PostgreSQL's")
def test_an_import_that_waits_too_long_says_so_and_writes_nothing():
    holding, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            importguard._lock(5)
            holding.set()
            release.wait(10)

    holder, _ = _in_thread(hold)
    assert holding.wait(10)
    try:
        with pytest.raises(csvfiles.InvalidFile) as refused:
            services.creators_import(text=SECOND, wait=0.5)
    finally:
        release.set()
        holder.join(10)
    assert "another import is still running" in str(refused.value.problems[0])
    assert not Creator.objects.exists()


def test_a_collision_the_lock_cannot_prevent_is_a_clear_problem():
    def collide(**kwargs):
        Creator.objects.create(name="Dup", email="dup@example.com")
        Creator.objects.create(name="Dup", email="DUP@example.com")

    with pytest.raises(csvfiles.InvalidFile) as refused:
        importguard.one_at_a_time(collide)
    assert "nothing was imported" in str(refused.value.problems[0])
    assert not Creator.objects.exists()
