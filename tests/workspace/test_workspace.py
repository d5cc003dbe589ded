"""Saved searches (with new matches since the last visit) and notifications (in the app, and a daily digest by
e-mail for those who ask)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from campaigns.models import Partnership
from creators.models import Creator
from tests.factories import (
    CollaborationFactory,
    CreatorFactory,
    DeliverableFactory,
    MembershipFactory,
    PartnershipFactory,
    UserFactory,
)
from workspace import notifications, searches
from workspace.models import Notification, NotificationSettings, SavedSearch

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    user = UserFactory(username="mara", email="mara@example.com")
    MembershipFactory(user=user, brand__name="Verde", role="manager")
    return user


@pytest.fixture
def client(me) -> Client:
    client = Client()
    client.force_login(me)
    return client


def brand_of(user):
    return user.memberships.get().brand


def test_a_search_is_saved_from_the_directory_and_counts_new_matches(client, me):
    CreatorFactory(name="Ana", country="PT")
    CreatorFactory(name="Ben", country="ES")
    response = client.post("/searches/new/", {"name": "Portugal", "query": "country=PT&page=3&junk=1"}, follow=True)
    assert "Saved “Portugal”: 1 creator match now." in response.content.decode()
    search = SavedSearch.objects.get()
    assert search.query == "country=PT" and search.matches == 1 and search.new_matches == 0

    CreatorFactory(name="Carla", country="PT")
    CreatorFactory(name="Duda", country="PT")
    searches.saved_searches_refresh()
    search.refresh_from_db()
    assert (search.matches, search.new_matches) == (3, 2)
    page = client.get("/searches/").content.decode()
    assert "2 new" in page

    opened = client.get(f"/searches/{search.pk}/")
    assert opened.status_code == 302 and opened.url == "/creators/?country=PT"
    search.refresh_from_db()
    assert search.new_matches == 0 and search.visited_at is not None


def test_a_creator_that_starts_matching_is_new_too(client, me):
    ana = CreatorFactory(name="Ana", country="ES")
    search = searches.saved_search_create(user=me, brand=brand_of(me), name="Portugal", query="country=PT")
    Creator.objects.filter(pk=ana.pk).update(country="PT")  # moved: not added, but now a match
    searches.saved_search_refresh(search=search)
    assert search.new_matches == 1


def test_saving_twice_empty_or_for_another_user_is_refused(client, me):
    assert client.post("/searches/new/", {"name": "Fitness", "query": ""}).status_code == 302
    again = client.post("/searches/new/", {"name": "  fitness ", "query": "tier=micro"}, follow=True)
    assert "You already have a saved search named “fitness”" in again.content.decode()
    empty = client.post("/searches/new/", {"name": "", "query": "tier=micro"}, follow=True)
    assert "Give the search a name" in empty.content.decode()
    assert SavedSearch.objects.count() == 1

    other = UserFactory(username="other")
    MembershipFactory(user=other, brand=brand_of(me))
    stranger = Client()
    stranger.force_login(other)
    search = SavedSearch.objects.get()
    assert stranger.get(f"/searches/{search.pk}/").status_code == 404
    assert stranger.post(f"/searches/{search.pk}/delete/").status_code == 404
    assert SavedSearch.objects.filter(pk=search.pk).exists()
    assert "Fitness" not in stranger.get("/searches/").content.decode()


def test_notifications_are_made_once_and_read(client, me):
    brand = brand_of(me)
    renewal = PartnershipFactory(brand=brand, creator=CreatorFactory(name="Ana"))
    Partnership.objects.filter(pk=renewal.pk).update(
        health=Partnership.Health.RENEWAL_DUE, renewal_date=timezone.localdate() + timedelta(days=10)
    )
    behind = PartnershipFactory(brand=brand, creator=CreatorFactory(name="Ben"))
    Partnership.objects.filter(pk=behind.pk).update(health=Partnership.Health.BEHIND, health_reason="0 of 2 posts")
    late = DeliverableFactory(
        collaboration=CollaborationFactory(campaign__brand=brand, creator=CreatorFactory(name="Cleo")),
        due_date=timezone.localdate() - timedelta(days=2),
    )
    PartnershipFactory(creator=CreatorFactory(name="Not ours"))  # another brand's: not for me

    assert notifications.notifications_refresh() == 3
    assert notifications.notifications_refresh() == 0  # idempotent
    texts = sorted(Notification.objects.filter(user=me).values_list("text", flat=True))
    assert "Cleo's" in texts[0] and "was due" in texts[0]
    assert texts[1].startswith("The partnership with Ana is due for renewal")
    assert texts[2] == "The partnership with Ben is behind its cadence: 0 of 2 posts"
    page = client.get("/")
    assert '<span class="count badge">3<span class="sr-only"> unread</span></span>' in page.content.decode()

    notice = Notification.objects.get(key__startswith="overdue")
    opened = client.post(f"/notifications/{notice.pk}/")
    assert opened.url == f"/collaborations/{late.collaboration_id}/"
    assert '<span class="count badge">2<span' in client.get("/").content.decode()
    client.post("/notifications/read/")
    assert "count badge" not in client.get("/").content.decode()


def test_new_matches_of_a_saved_search_are_notified(me):
    search = searches.saved_search_create(user=me, brand=brand_of(me), name="Portugal", query="country=PT")
    CreatorFactory(country="PT")
    searches.saved_searches_refresh()
    notifications.notifications_refresh()
    notice = Notification.objects.get(kind="matches")
    assert notice.text == "1 new creator matches your saved search “Portugal”."
    assert notice.url == f"/searches/{search.pk}/"


def test_the_digest_is_opt_in_and_sent_once(client, me, celery_eager, django_capture_on_commit_callbacks):
    brand = brand_of(me)
    p = PartnershipFactory(brand=brand, creator=CreatorFactory(name="Ana"))
    Partnership.objects.filter(pk=p.pk).update(health=Partnership.Health.BEHIND, health_reason="late")
    notifications.notifications_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.digests_send() == 0  # not asked for
    client.post("/notifications/", {"email_digest": "on"})
    assert NotificationSettings.objects.get(user=me).email_digest
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.digests_send() == 1
        assert notifications.digests_send() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mara@example.com"]
    assert "Ana is behind its cadence" in mail.outbox[0].body and f"/partnerships/{p.pk}/" in mail.outbox[0].body


def test_another_users_notification_answers_404(me):
    other = UserFactory(username="other")
    MembershipFactory(user=other, brand=brand_of(me))
    notice = Notification.objects.create(user=me, brand=brand_of(me), kind="behind", key="k", text="t", url="/")
    client = Client()
    client.force_login(other)
    assert client.post(f"/notifications/{notice.pk}/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_creators_answers_and_replies_are_notified_once(me):
    from campaigns.models import RelationshipEntry

    brand = brand_of(me)
    ana = CreatorFactory(name="Ana")
    RelationshipEntry.objects.create(
        brand=brand, creator=ana, kind="portal", date=timezone.localdate(), summary="Accepted the proposal (Spring)."
    )
    RelationshipEntry.objects.create(
        brand=brand, creator=ana, kind="email", date=timezone.localdate(), summary="Reply: “Re: hi” Yes please"
    )
    RelationshipEntry.objects.create(
        brand=brand, creator=ana, kind="email", date=timezone.localdate(), summary="Sent “hi” (first message)"
    )
    assert notifications.notifications_refresh() == 2
    assert notifications.notifications_refresh() == 0
    texts = sorted(Notification.objects.filter(kind="answer").values_list("text", flat=True))
    assert texts == ["Ana: Accepted the proposal (Spring).", "Ana: Reply: “Re: hi” Yes please"]
