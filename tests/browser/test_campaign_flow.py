"""A marketer runs a campaign in a real browser: create, add creators, move through the pipeline, link a post."""

from datetime import timedelta

import pytest
from django.utils import timezone

from creators import services
from creators.models import Post
from tests.browser.conftest import log_in, screenshot
from tests.factories import (
    BrandFactory,
    CreatorFactory,
    MembershipFactory,
    PostFactory,
    SocialAccountFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def workspace():
    user = UserFactory(username="maria")
    brand = BrandFactory(name="Verde Active")
    MembershipFactory(brand=brand, user=user, role="manager")
    creators = []
    for name, handle in [("Ana Alvarez", "ana.fit"), ("Ben Brooks", "ben.moves")]:
        creator = CreatorFactory(name=name)
        account = SocialAccountFactory(creator=creator, handle=handle, followers=5000)
        for k in range(3):
            PostFactory(
                account=account,
                likes=200,
                url=f"https://instagram.com/{handle}/{k}",
                posted_at=timezone.now() - timedelta(days=k + 1),
            )
        creators.append(creator)
    services.recalculate()
    return user, brand, creators


def test_a_marketer_runs_a_campaign_from_the_browser(page, workspace, celery_eager):
    log_in(page, "maria")

    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Name").fill("Spring launch")
    page.get_by_label("Budget").fill("1000")
    page.get_by_label("Start date").fill("2026-03-01")
    page.get_by_label("End date").fill("2026-02-01")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The end date is before the start date.").wait_for()  # the answer to the submit, once loaded
    page.get_by_label("End date").fill("2026-04-01")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Spring launch").wait_for()

    page.get_by_role("link", name="Creators").click()
    page.get_by_label("Select Ana Alvarez").check()
    page.get_by_label("Select Ben Brooks").check()
    page.get_by_label("Add the checked creators to").select_option(label="Spring launch")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Added 2 creators to “Spring launch”.").wait_for()

    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Spring launch").click()
    shortlisted = page.locator('.column[data-stage="shortlisted"] .board-card')
    assert shortlisted.count() == 2
    for stage in ["Contacted", "Negotiating", "Contracted", "Content in review", "Published"]:
        card = page.locator('.board-card[data-creator="Ana Alvarez"]')
        card.get_by_label("Stage of Ana Alvarez").select_option(label=stage)
        card.get_by_role("button", name="Move").click()
        page.get_by_text(f"Ana Alvarez moved to {stage}.").wait_for()
    assert page.locator('.column[data-stage="published"] .board-card').count() == 1
    assert page.locator("#kpi-interactions").inner_text() == "0"

    page.locator('.board-card[data-creator="Ana Alvarez"]').get_by_role("link", name="Ana Alvarez").click()
    page.get_by_label("Agreed fee").fill("250")
    page.get_by_role("button", name="Save", exact=True).click()
    published = Post.objects.get(url="https://instagram.com/ana.fit/0")
    page.get_by_label("Published post").select_option(str(published.pk))  # the creator's latest posts
    page.get_by_role("button", name="Add deliverable").click()
    page.get_by_text("Deliverable saved.").wait_for()
    history = page.locator("ol.history li")
    assert history.count() == 6

    page.get_by_role("link", name="← Spring launch").click()
    # The rollup is refreshed by the recalculation queued on commit (eager here, a worker in production).
    assert page.locator("#kpi-posts").inner_text() == "1"
    assert page.locator("#kpi-interactions").inner_text() == "200"
    screenshot(page, "campaign-board")
