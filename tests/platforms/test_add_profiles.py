"""Adding creators from the profile URLs and handles people paste."""

import pytest

from creators.models import Creator, SocialAccount
from platforms import profiles
from platforms.models import AccountSync
from tests.factories import SocialAccountFactory, staff_with
from tests.platforms.fixtures import youtube_channel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "platform", "expected"),
    [
        ("https://www.youtube.com/@CookingWithAna", "", ("youtube", "CookingWithAna")),
        ("https://youtube.com/@cooking.with-ana_1/", "", ("youtube", "cooking.with-ana_1")),
        ("http://m.youtube.com/@ana/videos?si=abc123", "", ("youtube", "ana")),
        ("www.youtube.com/@ana_", "", ("youtube", "ana_")),
        ("youtube.com/@ana#about", "", ("youtube", "ana")),
        ("https://www.instagram.com/ana.bakes/", "", ("instagram", "ana.bakes")),
        ("https://instagram.com/ana.bakes?igsh=MWQ1ZGUxMzBkMA==", "", ("instagram", "ana.bakes")),
        ("https://m.instagram.com/Ana_Bakes", "", ("instagram", "Ana_Bakes")),
        ("instagram.com/ana/", "", ("instagram", "ana")),
        ("  <https://www.instagram.com/ana/>  ", "", ("instagram", "ana")),
        ("@ana.bakes", "instagram", ("instagram", "ana.bakes")),
        ("ana", "youtube", ("youtube", "ana")),
    ],
)
def test_the_forms_people_paste_are_understood(text, platform, expected):
    assert profiles.parse(text, platform) == expected


@pytest.mark.parametrize(
    ("text", "platform", "message"),
    [
        ("@ana", "", "needs a platform"),
        ("https://www.tiktok.com/@ana", "", "not a YouTube or Instagram address"),
        ("https://www.youtube.com/channel/UC123", "", "handle URL"),
        ("https://www.youtube.com/watch?v=abc", "", "handle URL"),
        ("https://www.instagram.com/p/Cxyz/", "", "not a profile"),
        ("https://www.instagram.com/", "", "not a profile"),
        ("@a b", "instagram", "not a valid"),
        ("@x){followers_count}", "instagram", "not a valid"),
        ("@ab", "youtube", "not a valid"),
        ("https://evil.example/@ana", "", "not a YouTube or Instagram"),
    ],
)
def test_what_is_not_a_profile_gets_a_message(text, platform, message):
    with pytest.raises(ValueError, match=message):
        profiles.parse(text, platform)


def test_adding_creates_a_creator_and_account_without_an_email_and_finds_existing_ones(settings):
    settings.YOUTUBE_API_KEY = ""  # nothing is queued
    existing = SocialAccountFactory(platform="instagram", handle="Ana.Bakes")
    added = profiles.accounts_add(
        text="https://www.youtube.com/@NewOne\nhttps://www.instagram.com/ana.bakes/\n\nyoutube.com/@newone"
    )
    assert added.problems == []
    assert [a.handle for a in added.created] == ["NewOne"] and added.found == [existing]
    account = added.created[0]
    assert (account.creator.name, account.creator.email) == ("@NewOne", "")
    assert account.profile_url == "https://www.youtube.com/@NewOne"
    assert AccountSync.objects.get(account=account).status == "pending"
    again = profiles.accounts_add(text="https://www.youtube.com/@NEWONE")
    assert again.created == [] and again.found == [account]  # no duplicate, any case
    assert SocialAccount.objects.filter(platform="youtube").count() == 1


def test_two_creators_added_by_url_do_not_collide_on_their_empty_email(settings):
    settings.YOUTUBE_API_KEY = ""
    profiles.accounts_add(text="youtube.com/@first1\nyoutube.com/@second2")
    assert Creator.objects.filter(email="").count() == 2


def test_one_bad_line_adds_nothing():
    added = profiles.accounts_add(text="https://www.youtube.com/@good1\nhttps://www.tiktok.com/@nope")
    assert [(n, message) for n, _, message in added.problems] == [
        (2, "'tiktok.com' is not a YouTube or Instagram address")
    ]
    assert not SocialAccount.objects.exists()


def test_a_csv_import_later_gives_a_creator_added_by_url_its_email(settings):
    from creators import services

    settings.YOUTUBE_API_KEY = ""
    account = profiles.accounts_add(text="youtube.com/@anacooks").created[0]
    services.creators_import(text="name,email,platform,handle,followers\nAna,ana@example.com,youtube,AnaCooks,1200\n")
    account.refresh_from_db()
    assert account.creator.email == "ana@example.com" and account.creator.name == "Ana"
    assert Creator.objects.count() == 1


def test_the_page_adds_and_syncs_and_shows_them_arriving(
    client, world, celery_eager, django_capture_on_commit_callbacks
):
    youtube_channel(world, "arrives", subscribers=2000, title="Arrives Daily")
    client.force_login(staff_with("add_creator", "add_socialaccount"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/creators/add/", {"profiles": "https://www.youtube.com/@arrives", "platform": ""})
    assert response.status_code == 302 and "/creators/add/arriving/?accounts=" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Arrives Daily" in text and "2,000" in text and "Synced" in text
    assert 'http-equiv="refresh"' not in text  # done: no more refreshing


def test_the_page_refuses_empty_and_bad_input_without_adding(client, marketer_client):
    client.force_login(staff_with("add_creator", "add_socialaccount"))
    assert client.post("/creators/add/", {"profiles": "", "platform": ""}).status_code == 400
    bad = client.post("/creators/add/", {"profiles": "@someone", "platform": "facebook"})
    assert bad.status_code == 400
    bad = client.post("/creators/add/", {"profiles": "@someone", "platform": ""})
    assert bad.status_code == 400 and "needs a platform" in bad.content.decode()
    assert not SocialAccount.objects.exists()


def test_the_page_is_for_staff_and_marketers_allowed_to_add_creators(client, marketer_client, marketer):
    assert marketer_client.get("/creators/add/").status_code == 403
    assert marketer_client.post("/creators/add/", {"profiles": "youtube.com/@abc"}).status_code == 403
    from django.contrib.auth.models import Permission

    marketer.user_permissions.add(*Permission.objects.filter(codename__in=["add_creator", "add_socialaccount"]))
    marketer_client.force_login(marketer)
    assert marketer_client.get("/creators/add/").status_code == 200
    assert client.get("/creators/add/").status_code == 302  # anonymous: to the login page


def test_the_arriving_page_ignores_malformed_ids(admin_client):
    assert admin_client.get("/creators/add/arriving/?accounts=1,x,,-3,999999999999999").status_code == 200
