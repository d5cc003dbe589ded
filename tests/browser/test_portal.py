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
