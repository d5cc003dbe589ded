"""Every page of the marketer's workspace, on the demo data, in Chromium at 1440 and 390 px: no sideways scrolling,
no serious or critical axe-core violation, and a screenshot of each in artifacts/ (issue 15)."""

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, Collaboration, Partnership, Shortlist
from creators.models import Creator
from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", creators=60)
    from workspace import notifications

    notifications.notifications_refresh()  # what the hourly task makes: the demo partnerships that need someone


def pages() -> list[tuple[str, str]]:
    campaign = Campaign.objects.filter(brand__name__startswith="Verde").order_by("pk").first()
    creator = Creator.objects.filter(collaborations__campaign=campaign).first() or Creator.objects.first()
    return [
        ("dashboard", "/"),
        ("directory", "/creators/?tier=micro&min_er=3"),
        ("creator", f"/creators/{creator.pk}/"),
        ("campaigns", "/campaigns/"),
        ("campaign-new", "/campaigns/new/"),
        ("board", f"/campaigns/{campaign.pk}/"),
        ("collaboration", f"/collaborations/{Collaboration.objects.filter(campaign=campaign).first().pk}/"),
        ("partnerships", "/partnerships/"),
        ("partnership", f"/partnerships/{Partnership.objects.filter(brand=campaign.brand).first().pk}/"),
        ("partnership-new", "/partnerships/new/"),
        ("shortlists", "/shortlists/"),
        ("shortlist", f"/shortlists/{Shortlist.objects.filter(brand=campaign.brand).first().pk}/"),
        ("team", "/brand/"),
        ("saved-searches", "/searches/"),
        ("notifications", "/notifications/"),
        ("outreach", "/outreach/"),
        ("outreach-send", f"/outreach/campaigns/{campaign.pk}/"),
        ("activity", "/activity/"),
        ("two-factor", "/accounts/two-factor/"),
    ]


@pytest.mark.parametrize("width", [1440, 390])
def test_every_page_fits_and_passes_axe(page, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    screenshot(page, f"page-login-{width}")
    assert axe_violations(page) == []
    page.get_by_label("Username").fill("marketer")
    page.get_by_label("Password").fill("marketer")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    if width == 390:  # the folded menu's button carries the unread count (the demo's notifications)
        menu = page.locator("button.menu-button")
        assert menu.is_visible() and "unread notifications" in menu.inner_text()
    problems = []
    for name, url in pages():
        response = page.goto(url)
        if response.status != 200:
            problems.append(f"{name}: HTTP {response.status}")
            continue
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        if overflow > width:
            problems.append(f"{name}: {overflow} px wide at {width}")
        problems += [f"{name}: {v}" for v in axe_violations(page)]
        screenshot(page, f"page-{name}-{width}")
    assert not problems, "\n".join(problems)
