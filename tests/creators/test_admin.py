"""The admin as the curation tool: pages render, actions work, list query counts stay flat."""

from datetime import timedelta

import pytest
from django.utils import timezone

from creators import services
from creators.models import Creator
from tests.factories import NicheFactory, PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def creators_with_accounts(n: int) -> list[Creator]:
    niche = NicheFactory()
    made = []
    for _ in range(n):
        account = SocialAccountFactory(followers=5000)
        account.creator.niches.add(niche)
        for k in range(3):
            PostFactory(account=account, likes=300, posted_at=timezone.now() - timedelta(days=k + 1))
        made.append(account.creator)
    services.recalculate()
    return made


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/creators/creator/",
        "/admin/creators/creator/add/",
        "/admin/creators/niche/",
        "/admin/creators/socialaccount/",
        "/admin/creators/post/",
        "/admin/creators/followersnapshot/",
        "/admin/creators/creator/?tier__exact=micro&is_flagged__exact=1&platform=instagram&status__exact=active",
        "/admin/creators/creator/?q=handle",
        "/admin/django_celery_beat/periodictask/",
    ],
)
def test_admin_pages_render(admin_client, url):
    creators_with_accounts(2)
    assert admin_client.get(url).status_code == 200


def test_change_pages_render_with_accounts_and_recent_posts(admin_client):
    creator = creators_with_accounts(1)[0]
    response = admin_client.get(f"/admin/creators/creator/{creator.pk}/change/")
    assert response.status_code == 200
    assert b"Recent posts" in response.content and b"https://example.com/p/" in response.content
    account = creator.accounts.get()
    assert admin_client.get(f"/admin/creators/socialaccount/{account.pk}/change/").status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/admin/creators/creator/", "/admin/creators/niche/", "/admin/creators/socialaccount/", "/admin/creators/post/"],
)
def test_admin_list_query_counts_do_not_grow_with_rows(admin_client, django_assert_max_num_queries, url):
    creators_with_accounts(3)
    admin_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    creators_with_accounts(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_archive_and_restore_actions_keep_the_creator(admin_client):
    creator = creators_with_accounts(1)[0]
    assert Creator.objects.get().is_flagged
    admin_client.post("/admin/creators/creator/", {"action": "archive", "_selected_action": [creator.pk]})
    creator.refresh_from_db()
    assert (creator.status, creator.is_flagged) == ("archived", False)
    admin_client.post("/admin/creators/creator/", {"action": "restore", "_selected_action": [creator.pk]})
    creator.refresh_from_db()
    assert (creator.status, creator.is_flagged) == ("active", True)


def test_export_selected_action_streams_csv(admin_client):
    creators = creators_with_accounts(2)
    response = admin_client.post(
        "/admin/creators/creator/", {"action": "export_selected", "_selected_action": [creators[0].pk]}
    )
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("email,name,country,niches,status")
    assert len(body.splitlines()) == 2
    assert creators[0].email in body


def test_recalculate_selected_action(admin_client):
    creator = creators_with_accounts(1)[0]
    Creator.objects.update(is_flagged=False, tier="")
    admin_client.post("/admin/creators/creator/", {"action": "recalculate_selected", "_selected_action": [creator.pk]})
    creator.refresh_from_db()
    assert (creator.tier, creator.is_flagged) == ("micro", True)


def test_editing_a_post_in_the_admin_recalculates_its_creator(
    admin_client, django_capture_on_commit_callbacks, celery_eager
):
    creator = creators_with_accounts(1)[0]
    post = creator.accounts.get().posts.first()
    data = {
        "account": post.account_id,
        "posted_at_0": post.posted_at.date().isoformat(),
        "posted_at_1": "12:00:00",
        "url": post.url,
        "likes": 3000,
        "comments": 0,
        "shares": 0,
        "saves": 0,
        "views": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/creators/post/{post.pk}/change/", data)
    assert response.status_code == 302
    creator.refresh_from_db()
    assert creator.engagement_rate == pytest.approx((3000 + 300 + 300) / 3 / 5000 * 100)


def test_niche_list_shows_creator_counts(admin_client):
    creators_with_accounts(3)
    response = admin_client.get("/admin/creators/niche/")
    assert b'<td class="field-creator_count">3</td>' in response.content


def test_niche_autocomplete_answers(admin_client):
    NicheFactory(name="Sustainable fashion")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "sustain", "app_label": "creators", "model_name": "creator", "field_name": "niches"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Sustainable fashion"]


def test_admin_search_matches_name_email_and_handle_and_caps_the_matches(admin_client, monkeypatch):
    from creators import pagination
    from tests.factories import CreatorFactory

    ana = CreatorFactory(name="Ana Alvarez", email="ana@example.com")
    SocialAccountFactory(creator=ana, handle="sunny.trails")
    CreatorFactory(name="Ben Brooks", email="ben@example.com")

    def found(term: str) -> list[str]:
        response = admin_client.get("/admin/creators/creator/", {"q": term})
        assert response.status_code == 200
        return sorted(c.name for c in response.context["cl"].result_list)

    assert found("alvarez") == ["Ana Alvarez"]
    assert found("BEN@EXAMPLE") == ["Ben Brooks"]
    assert found("@sunny") == ["Ana Alvarez"]
    assert found("example.com") == ["Ana Alvarez", "Ben Brooks"]
    monkeypatch.setattr(pagination, "COUNT_CAP", 1)
    response = admin_client.get("/admin/creators/creator/", {"q": "example.com"})
    assert len(response.context["cl"].result_list) == 1
    assert "More than 1 creators match" in response.content.decode()


def test_the_admin_shows_rates_rounded_not_as_stored_floats(admin_client):
    # Issue 15, defect 6: the admin showed 5.06570242277684.
    from creators.models import Creator

    account = SocialAccountFactory(followers=5000)
    Creator.objects.filter(pk=account.creator_id).update(engagement_rate=5.06570242277684, cost_per_engagement=0.123456)
    type(account).objects.filter(pk=account.pk).update(engagement_rate=5.06570242277684)
    for url in (
        f"/admin/creators/creator/{account.creator_id}/change/",
        f"/admin/creators/socialaccount/{account.pk}/change/",
    ):
        page = admin_client.get(url).content.decode()
        assert "5.07" in page and "5.0657" not in page, url
    assert "0.1235" in admin_client.get(f"/admin/creators/creator/{account.creator_id}/change/").content.decode()
    assert "5.0657" not in admin_client.get("/admin/creators/socialaccount/").content.decode()
