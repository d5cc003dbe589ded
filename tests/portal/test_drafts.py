"""Drafts: the creator submits versions in the portal, the brand approves or asks for changes, the creator gives
the live post, which links the deliverable (now or after the next sync); files are checked by content and served only
to that creator and the brand's members."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from campaigns.models import Collaboration, Deliverable, Draft, RelationshipEntry, StageChange
from creators import services as creator_services
from portal.access import SESSION_KEY
from tests.factories import (
    CollaborationFactory,
    CreatorFactory,
    DeliverableFactory,
    MembershipFactory,
    PostFactory,
    SocialAccountFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def as_creator(creator) -> Client:
    client = Client()
    session = client.session
    session[SESSION_KEY] = creator.pk
    session.save()
    return client


def as_member(brand, name="mara") -> Client:
    user = UserFactory(username=name)
    MembershipFactory(user=user, brand=brand)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def deal():
    ana = CreatorFactory(name="Ana", email="ana@example.com")
    collaboration = CollaborationFactory(creator=ana, stage="contracted", fee=500)
    deliverable = DeliverableFactory(collaboration=collaboration, kind="reel")
    return ana, collaboration, deliverable


def test_draft_changes_approval_and_live_post(deal):
    ana, collaboration, deliverable = deal
    creator, brand = as_creator(ana), as_member(collaboration.campaign.brand)
    submit = f"/portal/deliverables/{deliverable.pk}/drafts/"
    creator.post(submit, {"caption": "Morning run", "file": SimpleUploadedFile("a.png", PNG, "image/png")})
    v1 = Draft.objects.get()
    assert (v1.version, v1.status, v1.content_type) == (1, "submitted", "image/png")
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "content_review"
    assert StageChange.objects.get(to_stage="content_review").by_creator
    # One version waits for review: no second one yet.
    page = creator.post(submit, {"caption": "again"}, follow=True).content.decode()
    assert "takes no new version now" in page and Draft.objects.count() == 1

    page = brand.get(f"/collaborations/{collaboration.pk}/").content.decode()
    assert "Morning run" in page and "Approve version 1" in page
    empty = brand.post(f"/drafts/{v1.pk}/review/", {"decision": "changes", "comment": ""}, follow=True)
    assert "Say what to change" in empty.content.decode()
    brand.post(f"/drafts/{v1.pk}/review/", {"decision": "changes", "comment": "Show the bottle's label"})
    assert Draft.objects.get(pk=v1.pk).status == "changes"
    assert "Show the bottle&#x27;s label" in creator.get(f"/portal/collaborations/{collaboration.pk}/").content.decode()

    creator.post(submit, {"caption": "Morning run, label in view", "link": "https://example.com/draft2"})
    v2 = Draft.objects.get(version=2)
    brand.post(f"/drafts/{v2.pk}/review/", {"decision": "approve", "comment": ""})
    assert Draft.objects.get(pk=v2.pk).status == "approved"
    assert Deliverable.objects.get(pk=deliverable.pk).status == "approved"
    again = brand.post(f"/drafts/{v2.pk}/review/", {"decision": "changes", "comment": "no"}, follow=True)
    assert "reviewed already" in again.content.decode()

    account = SocialAccountFactory(creator=ana, platform="instagram")
    post = PostFactory(account=account, url="https://instagram.com/p/live1")
    page = creator.post(f"/portal/deliverables/{deliverable.pk}/live/", {"url": post.url}, follow=True)
    assert "Published: the post is linked" in page.content.decode()
    deliverable.refresh_from_db()
    assert deliverable.post == post and deliverable.status == "published"
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "published"
    log = list(RelationshipEntry.objects.order_by("id").values_list("summary", flat=True))
    assert log[0].startswith("Draft version 1 of the reel submitted")
    assert "changes requested: Show the bottle's label" in log[1]
    assert log[-1].startswith("Live post of the reel: https://instagram.com/p/live1")


def test_a_live_post_not_yet_synced_is_linked_by_the_next_recalculation(deal):
    ana, collaboration, deliverable = deal
    Draft.objects.create(deliverable=deliverable, version=1, caption="ok", status="approved")
    creator = as_creator(ana)
    page = creator.post(
        f"/portal/deliverables/{deliverable.pk}/live/", {"url": "https://instagram.com/p/soon"}, follow=True
    )
    assert "as soon as your account" in page.content.decode()
    assert Deliverable.objects.get(pk=deliverable.pk).post is None
    PostFactory(account=SocialAccountFactory(creator=ana), url="https://instagram.com/p/soon")  # the sync brings it
    creator_services.recalculate(creator_ids=[ana.pk])
    assert Deliverable.objects.get(pk=deliverable.pk).post.url == "https://instagram.com/p/soon"
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "published"


def test_a_file_is_checked_by_its_content_and_an_empty_draft_refused(deal, settings):
    ana, _, deliverable = deal
    creator = as_creator(ana)
    submit = f"/portal/deliverables/{deliverable.pk}/drafts/"
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", "image/png")
    page = creator.post(submit, {"file": fake}, follow=True).content.decode()
    assert "not an image, a video or a PDF" in page
    page = creator.post(submit, {"caption": "  "}, follow=True).content.decode()
    assert "Give a caption and a file, or a link" in page
    settings.DRAFT_MAX_BYTES = 10
    page = creator.post(submit, {"file": SimpleUploadedFile("a.png", PNG, "image/png")}, follow=True)
    assert "larger than" in page.content.decode()
    assert not Draft.objects.exists()


def test_draft_files_reach_only_their_creator_and_the_brands_members(deal):
    ana, collaboration, deliverable = deal
    as_creator(ana).post(
        f"/portal/deliverables/{deliverable.pk}/drafts/", {"file": SimpleUploadedFile("a.png", PNG, "image/png")}
    )
    draft = Draft.objects.get()
    own = as_creator(ana).get(f"/portal/drafts/{draft.pk}/file")
    assert own.status_code == 200 and own["Content-Type"] == "image/png" and b"".join(own.streaming_content) == PNG
    assert "sandbox" in own["Content-Security-Policy"] and own["Cache-Control"] == "private, no-store"
    assert as_member(collaboration.campaign.brand).get(f"/drafts/{draft.pk}/file").status_code == 200
    assert as_creator(CreatorFactory(name="Ben")).get(f"/portal/drafts/{draft.pk}/file").status_code == 404
    other_brand = as_member(CollaborationFactory().campaign.brand, name="stranger")
    assert other_brand.get(f"/drafts/{draft.pk}/file").status_code == 404
    assert other_brand.post(f"/drafts/{draft.pk}/review/", {"decision": "approve"}).status_code == 404
    assert Client().get(f"/portal/drafts/{draft.pk}/file").status_code == 302
    assert Client().get(f"/media/{draft.file.name}").status_code == 302  # the media view serves avatars only
    assert Draft.objects.get().status == "submitted"


def test_another_creators_deliverable_takes_no_draft(deal):
    _, _, deliverable = deal
    ben = as_creator(CreatorFactory(name="Ben"))
    assert ben.post(f"/portal/deliverables/{deliverable.pk}/drafts/", {"caption": "x"}).status_code == 404
    assert ben.post(f"/portal/deliverables/{deliverable.pk}/live/", {"url": "https://x.example/p"}).status_code == 404
    assert not Draft.objects.exists()


def test_the_collaboration_page_asks_the_same_queries_however_many_deliverables(deal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ana, collaboration, deliverable = deal
    Draft.objects.create(deliverable=deliverable, version=1, caption="v1", status=Draft.Status.APPROVED)
    client = as_creator(ana)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(f"/portal/collaborations/{collaboration.pk}/").status_code == 200
        return len(seen)

    one = queries()
    for n in range(4):
        more = DeliverableFactory(collaboration=collaboration, kind="post")
        Draft.objects.create(deliverable=more, version=1, caption=f"d{n}", status=Draft.Status.CHANGES)
    assert queries() == one
