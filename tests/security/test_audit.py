"""The audit trail: who changed what and when, for imports, admin edits, stage moves, permissions; shown to staff
in the admin and to a brand's managers for their brand's objects only."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audit.models import AuditEvent
from tests.creators.csvhelpers import HEADER
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_import_in_the_browser_is_one_event_with_the_user(admin_client, admin_user, celery_eager):
    text = f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\nB,b@example.com,,,instagram,b,6000,,\n"
    admin_client.post("/creators/import/", {"kind": "creators", "file": SimpleUploadedFile("june.csv", text.encode())})
    event = AuditEvent.objects.get(action="imported")
    assert (event.actor, event.source) == (admin_user, "web")
    assert "june.csv" in event.object_repr and "creators created: 2" in event.summary


def test_an_import_on_the_command_line_is_recorded_as_the_command(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "c.csv"
    path.write_text(f"{HEADER}\nA,a@example.com,,,instagram,a,5000,,\n")
    call_command("import_creators", str(path))
    event = AuditEvent.objects.get(action="imported")
    assert (event.actor, event.source) == (None, "command")


def test_an_admin_edit_records_the_fields_before_and_after(admin_client, admin_user):
    creator = CreatorFactory(name="Old name", city="Oslo")
    response = admin_client.post(
        f"/admin/creators/creator/{creator.pk}/change/",
        {
            "name": "New name",
            "email": creator.email,
            "status": "active",
            "city": "Oslo",
            "country": creator.country,
            "rate": "",
            "notes": "",
            "accounts-TOTAL_FORMS": "0",
            "accounts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code in (200, 302)
    event = AuditEvent.objects.filter(action="changed", object_id=str(creator.pk)).first()
    assert event is not None, response.content.decode()[:2000]
    assert event.actor == admin_user and event.source == "admin"
    assert event.changes == {"name": ["Old name", "New name"]}


def test_a_stage_move_is_recorded_with_the_brand_and_user(marketer_client, marketer):
    brand = marketer.memberships.get().brand
    collaboration = CollaborationFactory(campaign=CampaignFactory(brand=brand))
    marketer_client.post(f"/collaborations/{collaboration.pk}/move/", {"stage": "contacted"})
    event = AuditEvent.objects.get(content_type__model="stagechange", changes__to_stage__1="contacted")
    assert event.actor == marketer and event.brand_id == brand.pk and event.source == "web"


def test_permission_changes_are_recorded(admin_client):
    user = UserFactory(username="promoted")
    user.user_permissions.add(Permission.objects.get(codename="add_creator"))
    user.is_staff = True
    user.save()
    actions = set(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))
    assert {"permissions", "changed"} <= actions
    grant = AuditEvent.objects.get(object_id=str(user.pk), action="permissions")
    assert "added" in grant.changes["permissions"]


def test_staff_see_the_trail_in_the_admin_read_only(admin_client):
    CreatorFactory(name="Traced")
    listing = admin_client.get("/admin/audit/auditevent/")
    assert listing.status_code == 200 and "Traced" in listing.content.decode()
    event = AuditEvent.objects.get(object_repr__contains="Traced")
    assert admin_client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_brands_managers_see_its_activity_and_nobody_else(marketer):
    brand = marketer.memberships.get().brand
    marketer.memberships.update(role="manager")
    CampaignFactory(brand=brand, name="Ours")
    other = MembershipFactory(brand__name="Other brand", role="manager")
    CampaignFactory(brand=other.brand, name="Theirs")
    manager = login(marketer)
    page = manager.get("/activity/").content.decode()
    assert "Ours" in page and "Theirs" not in page
    assert "Activity" in manager.get("/").content.decode()
    member = UserFactory(username="member")
    MembershipFactory(user=member, brand=brand, role="member")
    assert login(member).get("/activity/").status_code == 404


def test_archiving_a_selection_in_the_admin_is_recorded_per_creator(admin_client, admin_user):
    creators = [CreatorFactory(), CreatorFactory()]
    admin_client.post("/admin/creators/creator/", {"action": "archive", "_selected_action": [c.pk for c in creators]})
    events = AuditEvent.objects.filter(action="changed", changes__status__1="archived")
    assert events.count() == 2 and {e.actor for e in events} == {admin_user}


def test_deleting_a_creator_removes_its_posts_in_one_statement(django_assert_max_num_queries):
    from tests.factories import PostFactory, SocialAccountFactory

    account = SocialAccountFactory()
    for n in range(30):
        PostFactory(account=account, url=f"https://example.com/p/{n}")
    with django_assert_max_num_queries(25):  # not one per post
        account.creator.delete()
    assert AuditEvent.objects.filter(action="deleted", object_id=str(account.creator_id)).exists()
