"""Outreach from the board in Chromium: tick creators, "Invite selected…", preview, send; the messages arrive at a
real SMTP server."""

import re

import pytest

from outreach.models import Enrollment, Sequence, Template
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.mark.parametrize("width", [1440, 390])
def test_creators_are_invited_from_the_board(page, smtp_server, celery_eager, width):
    user = UserFactory(username="mara")
    brand = MembershipFactory(user=user, brand__name="Verde").brand
    campaign = CampaignFactory(brand=brand, name="Spring launch")
    for name in ("Ana", "Ben", "Cleo"):
        CollaborationFactory(campaign=campaign, creator=CreatorFactory(name=name, email=f"{name.lower()}@example.com"))
    invite = Template.objects.create(brand=brand, name="Invite", subject="Hello {{ creator_name }}", body="Join us")
    Sequence.objects.create(brand=brand, name="Spring invite", first=invite)
    log_in(page, "mara")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/campaigns/{campaign.pk}/")
    for name in ("Ana", "Ben", "Cleo"):
        page.get_by_label(f"Select {name}").check()
    page.get_by_role("button", name="Invite selected…").click()
    page.get_by_label("Sequence").select_option(label="Spring invite")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="To Ana <ana@example.com>: Hello Ana").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    screenshot(page, f"outreach-preview-{width}")
    page.get_by_role("button", name="Send to 3 creators").click()
    page.get_by_text("“Spring invite” started for 3 creators.").wait_for()
    assert sorted(m.envelope_to[0] for m in smtp_server.wait(3)) == [
        "ana@example.com",
        "ben@example.com",
        "cleo@example.com",
    ]
    assert Enrollment.objects.count() == 3


def test_a_creator_invited_from_the_directory_opens_the_link_in_the_email(
    page, browser, live_server, smtp_server, celery_eager, settings
):
    settings.SITE_URL = live_server.url
    user = UserFactory(username="mara")
    brand = MembershipFactory(user=user, brand__name="Verde").brand
    CampaignFactory(brand=brand, name="Spring launch", objective="Morning routines")
    CreatorFactory(name="Ana Alvarez", email="ana@example.com")
    invite = Template.objects.create(
        brand=brand, name="Invite", subject="Verde × {{ creator_name }}", body="Your page: {{ portal_link }}"
    )
    Sequence.objects.create(brand=brand, name="Spring invite", first=invite)
    log_in(page, "mara")
    page.goto("/creators/?q=Ana")
    page.get_by_label("Select Ana Alvarez").check()
    page.get_by_label("Add the checked creators to").select_option(label="Spring launch")
    page.get_by_role("button", name="Add and invite…").click()
    page.get_by_role("heading", name="Invite creators to Spring launch").wait_for()
    assert page.get_by_label("Ana Alvarez (Shortlisted)").is_checked()
    page.get_by_label("Sequence").select_option(label="Spring invite")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Send to 1 creator").click()
    page.get_by_text("“Spring invite” started for 1 creator.").wait_for()

    [message] = smtp_server.wait(1)
    link = re.search(r"https?://\S+/portal/link/\S+/", message.get_content()).group(0)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    try:
        creator = phone.new_page()
        creator.goto(link)
        creator.get_by_role("button", name="Sign in as Ana Alvarez").click()
        creator.get_by_role("heading", name="Spring launch").wait_for()  # the invitation's collaboration, at once
        assert creator.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(creator) == []
        screenshot(creator, "portal-from-invitation-390")
    finally:
        phone.close()
