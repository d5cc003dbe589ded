"""The creator portal in Chromium on a phone (390 px): ask for a link, open it from the e-mail, sign in, read the
brief, accept; no sideways scrolling, no serious axe violation; the brand's board shows the answer."""

import re

import pytest
from django.core import mail

from campaigns.models import Collaboration
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_creator_accepts_a_proposal_from_the_emailed_link(page, celery_eager):
    ana = CreatorFactory(name="Ana Alvarez", email="ana@example.com")
    campaign = CampaignFactory(
        name="Spring launch",
        brand__name="Verde",
        currency="EUR",
        guidelines_fixed="Show the bottle; tag @verde.",
        guidelines_creative="Your morning routine, your words.",
    )
    collaboration = CollaborationFactory(campaign=campaign, creator=ana, stage="contacted", fee=800)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/portal/")
    assert axe_violations(page) == []
    screenshot(page, "portal-sign-in-390")
    page.get_by_label("Your e-mail address").fill("ana@example.com")
    page.get_by_role("button", name="E-mail me a sign-in link").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    link = re.search(r"https?://\S+/portal/link/\S+/", mail.outbox[-1].body).group(0)

    page.goto(link)
    page.get_by_role("button", name="Sign in as Ana Alvarez").click()
    page.get_by_role("heading", name="Your collaborations").wait_for()
    assert page.get_by_text("waiting for your answer").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "portal-collaborations-390")
    page.get_by_role("link", name="Spring launch").click()
    page.get_by_text("Your morning routine, your words.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    screenshot(page, "portal-collaboration-390")
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Send my answer").click()
    page.get_by_text("You accepted. The brand has been told.").wait_for()
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "contracted"
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Creator portal").wait_for()


def test_draft_changes_approval_and_live_post_between_creator_and_marketer(
    page, browser, live_server, tmp_path, celery_eager
):
    """The creator on a phone, the marketer at a desk: draft → changes → version 2 → approval → live post linked."""
    from campaigns.models import Deliverable
    from portal.access import SESSION_KEY  # noqa: F401  (the creator signs in through the link below)
    from tests.browser.conftest import log_in
    from tests.factories import DeliverableFactory, MembershipFactory, PostFactory, SocialAccountFactory, UserFactory

    ana = CreatorFactory(name="Ana Alvarez", email="ana@example.com")
    collaboration = CollaborationFactory(creator=ana, stage="contracted", fee=800, campaign__name="Spring launch")
    deliverable = DeliverableFactory(collaboration=collaboration, kind="reel")
    marketer = UserFactory(username="mara")
    MembershipFactory(user=marketer, brand=collaboration.campaign.brand)
    image = tmp_path / "draft.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 256)

    from portal import signin

    phone = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    try:
        creator = phone.new_page()
        signin.link_send(email=ana.email, link_for=lambda token: f"{live_server.url}/portal/link/{token}/")
        creator.goto(re.search(r"https?://\S+/portal/link/\S+/", mail.outbox[-1].body).group(0))
        creator.get_by_role("button", name="Sign in as Ana Alvarez").click()
        creator.get_by_role("link", name="Spring launch").click()
        creator.get_by_label("Caption").fill("Morning run with the bottle")
        creator.get_by_label("Image, video or PDF").set_input_files(str(image))
        creator.get_by_role("button", name=re.compile("^Send to")).click()
        creator.get_by_text("Version 1 sent to the brand for review.").wait_for()

        log_in(page, "mara")
        page.goto(f"/collaborations/{collaboration.pk}/")
        page.get_by_label("Comment for the creator (needed to ask for changes)").fill("Show the label, please")
        page.get_by_role("button", name="Ask for changes").click()
        page.get_by_text("Changes asked on version 1.").wait_for()

        creator.reload()
        creator.get_by_text("Show the label, please").wait_for()
        creator.get_by_label("Caption").fill("Morning run, label in view")
        creator.get_by_label("…or a link to the draft").fill("https://example.com/drafts/2")
        creator.get_by_role("button", name=re.compile("^Send to")).click()
        creator.get_by_text("Version 2 sent to the brand for review.").wait_for()

        page.reload()
        page.get_by_role("button", name="Approve version 2").click()
        page.get_by_text("Version 2 approved.").wait_for()

        # A long address with no hyphen to break at (as real post addresses are): it must wrap, not widen the page.
        url = "https://instagram.com/p/Cspringlaunch_morningrun_label_in_view_2026_ana_alvarez"
        post = PostFactory(account=SocialAccountFactory(creator=ana), url=url)
        creator.reload()
        creator.get_by_label("The live post's URL").fill(post.url)
        creator.get_by_role("button", name="It is live").click()
        creator.get_by_text("Published: the post is linked").wait_for()
        assert creator.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(creator) == []
        screenshot(creator, "portal-drafts-390")
    finally:
        phone.close()
    linked = Deliverable.objects.get(pk=deliverable.pk)
    assert linked.post == post and linked.status == "published"
    page.reload()
    page.get_by_text("Published", exact=True).first.wait_for()
    screenshot(page, "collaboration-with-drafts-1440")
