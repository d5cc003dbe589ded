"""Staff paste a YouTube and an Instagram profile URL and watch the accounts arrive with their ER and picture,
synced by a real worker from the stand-in APIs, at desktop and phone widths."""

import pytest

from tests.browser.conftest import log_in, screenshot
from tests.factories import staff_with
from tests.platforms.fixtures import instagram_account, youtube_channel

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]


def test_staff_add_creators_by_url_and_see_them_arrive(page, world, sync_worker, settings):
    youtube_channel(world, "AnaCooks", videos=6, subscribers=4000, title="Ana Cooks")
    instagram_account(world, "ana.bakes", media=6, followers=8000, name="Ana Bakes")
    staff_with("add_creator", "add_socialaccount", username="staffer")
    log_in(page, "staffer")

    page.get_by_role("link", name="Add creators").click()
    page.get_by_label("Profile URLs or handles").fill(
        "https://www.youtube.com/@anacooks?si=x\nhttps://www.instagram.com/ana.bakes/"
    )
    page.get_by_role("button", name="Add and sync").click()
    page.get_by_role("heading", name="Accounts arriving").wait_for()
    page.get_by_text("Done: every account below has been asked for.").wait_for(timeout=60_000)
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    text = page.locator("table").inner_text()
    assert "Ana Cooks" in text and "Ana Bakes" in text
    # 6 posts of 100 likes + 10 comments: 110 / 4,000 = 2.75 %, 110 / 8,000 = 1.38 %
    assert "2.75 %" in text and "1.38 %" in text
    assert page.locator("img.avatar").count() == 2
    assert page.eval_on_selector_all("img.avatar", "imgs => imgs.every(i => i.naturalWidth > 0)")
    screenshot(page, "add-by-url-arrived")

    page.get_by_role("link", name="Ana Cooks").click()
    page.get_by_text("from YouTube").wait_for()
    assert page.locator("h1 img.avatar").count() == 1

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/creators/add/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "add-by-url-phone")
