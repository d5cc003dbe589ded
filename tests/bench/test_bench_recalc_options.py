"""bench_recalc's choice of scenes and worker counts: a wrong one is a clear message before anything runs."""

import pytest
from django.core.management import CommandError, call_command

from bench import recalc
from creators.models import SocialAccount
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--scenes", "worst,sometimes", "unknown scene 'sometimes'; choose among worst, daily, typical, nothing"),
        ("--workers", "two", "--workers takes whole numbers, e.g. 1,2"),
        ("--workers", "0", "--workers takes whole numbers of 1 or more"),
    ],
)
def test_a_wrong_scene_or_worker_count_is_refused(option, value, message):
    with pytest.raises(CommandError, match=message):
        call_command("bench_recalc", "--creators", "10", option, value)


def test_the_daily_scene_moves_every_accounts_followers():
    accounts = [SocialAccountFactory(followers=f) for f in (0, 1000, 50_000)]
    recalc.every_account_changed()
    assert [SocialAccount.objects.get(pk=a.pk).followers for a in accounts] == [1, 1003, 50_101]
