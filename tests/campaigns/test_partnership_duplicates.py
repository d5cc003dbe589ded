"""One current partnership per brand and creator: a second would count the same campaign fees again (issue 15,
defect 1). The form says so and links to the first; the database refuses it; duplicates made before are kept and
shown to the brand to end."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from campaigns.models import Partnership
from tests.factories import CreatorFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def start(client, creator, status="active"):
    return client.post(
        "/partnerships/new/",
        {"creator": creator.pk, "status": status, "start_date": "2026-11-01", "cadence": 2, "retainer_fee": "100"},
    )


def test_a_second_current_partnership_is_refused_with_a_link_to_the_first(marketer_client):
    creator = CreatorFactory(name="Ana")
    first = start(marketer_client, creator)
    assert first.status_code == 302
    again = start(marketer_client, creator)  # the form submitted twice
    kept = Partnership.objects.get()
    page = again.content.decode()
    assert again.status_code == 200 and "Ana already has a current partnership with this brand" in page
    assert f'<a href="{kept.get_absolute_url()}">open it</a>' in page
    assert Partnership.objects.count() == 1


def test_an_ended_partnership_does_not_block_a_new_one_but_reopening_it_is_refused(marketer_client, marketer):
    creator = CreatorFactory(name="Ana")
    brand = marketer.memberships.get().brand
    old = PartnershipFactory(brand=brand, creator=creator, status="ended")
    assert start(marketer_client, creator).status_code == 302
    reopen = marketer_client.post(
        f"/partnerships/{old.pk}/edit/",
        {"status": "active", "start_date": "2026-01-01", "cadence": 2, "retainer_fee": "100"},
    )
    assert reopen.status_code == 200 and "already has a current partnership" in reopen.content.decode()
    assert Partnership.objects.get(pk=old.pk).status == "ended"


def test_the_database_refuses_a_second_current_partnership():
    first = PartnershipFactory(status="paused")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipFactory(brand=first.brand, creator=first.creator, status="active")
    PartnershipFactory(brand=first.brand, creator=first.creator, status="ended")  # history is fine
    PartnershipFactory(creator=first.creator)  # so is another brand


@pytest.mark.django_db(transaction=True)
def test_duplicates_made_before_are_kept_marked_and_shown_to_the_brand(marketer, marketer_client):
    brand_id = marketer.memberships.get().brand_id  # read before the older schema (without later brand fields)
    executor = MigrationExecutor(connection)
    executor.migrate([("campaigns", "0007_index_room_for_rewrites")])
    creator = CreatorFactory(name="Ana")
    with connection.cursor() as cursor:  # two current partnerships, as the old code let a marketer make them
        for start_date in ("2026-01-01", "2026-03-01"):
            cursor.execute(
                "INSERT INTO campaigns_partnership (brand_id, creator_id, start_date, cadence, retainer_fee, status, "
                "notes, created_at, updated_at, health, health_reason, published_last_30_days, lifetime_spend, "
                "lifetime_interactions) VALUES (%s, %s, %s, 2, 100, 'active', '', CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, 'on_track', '', 0, 0, 0)",
                [brand_id, creator.pk, start_date],
            )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    kept, duplicate = Partnership.objects.order_by("start_date")
    assert kept.duplicate_of is None and duplicate.duplicate_of == kept  # both kept, nothing lost
    listing = marketer_client.get("/partnerships/").content.decode()
    assert "1 partnership to sort out" in listing and duplicate.get_absolute_url() in listing
    detail = marketer_client.get(duplicate.get_absolute_url()).content.decode()
    assert "This partnership duplicates" in detail

    ended = marketer_client.post(
        f"/partnerships/{duplicate.pk}/edit/",
        {"status": "ended", "start_date": "2026-03-01", "end_date": "2026-12-01", "cadence": 2, "retainer_fee": "100"},
    )
    assert ended.status_code == 302
    assert "to sort out" not in marketer_client.get("/partnerships/").content.decode()


def test_a_new_partnership_has_its_verdict_and_reason_at_once(marketer_client):
    start(marketer_client, CreatorFactory(name="Ana"))
    partnership = Partnership.objects.get()
    assert partnership.health == "behind" and "cadence" in partnership.health_reason  # started 33 days ago, no post
    assert partnership.health_reason in marketer_client.get(partnership.get_absolute_url()).content.decode()


def test_an_ended_partnership_reads_as_ended_and_is_no_partner_any_more(marketer_client, marketer):
    creator = CreatorFactory(name="Ana")
    start(marketer_client, creator)
    partnership = Partnership.objects.get()
    marketer_client.post(
        f"/partnerships/{partnership.pk}/edit/",
        {"status": "ended", "start_date": "2026-11-01", "end_date": "2026-11-20", "cadence": 2, "retainer_fee": "100"},
    )
    page = marketer_client.get(partnership.get_absolute_url()).content.decode()
    assert "Ran from 2026-11-01 to 2026-11-20; ended." in page and "Ended since" not in page
    brand = marketer.memberships.get().brand
    directory = marketer_client.get("/creators/?has_partnership=true").content.decode()
    assert "Ana" not in directory
    assert Partnership.objects.filter(Partnership.running(), brand=brand).count() == 0  # the dashboard's rule too
