"""The board in Chromium at 1440 and 390 px: a card dragged to another stage, a card moved with the keyboard, two
cards moved together — each saved without a page reload — and no sideways scrolling, no serious axe violation."""

from decimal import Decimal

import pytest

from campaigns.models import Collaboration, StageChange
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def board(page, width):
    user = UserFactory(username="mara")
    brand = MembershipFactory(user=user, brand__name="Verde").brand
    campaign = CampaignFactory(brand=brand, name="Spring launch", currency="EUR")
    cards = {
        name: CollaborationFactory(campaign=campaign, creator=CreatorFactory(name=name), stage=stage, fee=fee)
        for name, stage, fee in [
            ("Ana Alvarez-Montenegro", "shortlisted", Decimal(1200)),
            ("Ben Okafor", "shortlisted", None),
            ("Cleo Ng", "contacted", Decimal(300)),
        ]
    }
    log_in(page, "mara")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/campaigns/{campaign.pk}/")
    page.wait_for_function("window.Sortable !== undefined")
    # A marker that survives only as long as the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    return campaign, cards


def column(page, stage):
    return page.locator(f'section.column[data-stage="{stage}"]')


@pytest.mark.parametrize("width", [1440, 390])
def test_the_board_fits_the_screen_and_passes_axe(page, width):
    board(page, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"board-{width}")
    assert axe_violations(page) == []
    if width == 390:  # one column per screen: the second stage is off to the side until swiped to
        first = column(page, "shortlisted").bounding_box()
        second = column(page, "contacted").bounding_box()
        assert first["width"] > 300 and second["x"] >= first["x"] + first["width"]
        page.get_by_role("navigation", name="Stages").get_by_role("link", name="Contacted").click()
        page.wait_for_timeout(300)
        assert 0 <= column(page, "contacted").bounding_box()["x"] < 60


def test_a_card_is_dragged_to_another_stage(page):
    _campaign, cards = board(page, 1440)
    ana = page.locator(f'li.board-card[data-id="{cards["Ana Alvarez-Montenegro"].pk}"]')
    ana.locator(".fee").drag_to(column(page, "negotiating").locator("ul.cards"))
    page.get_by_text("Ana Alvarez-Montenegro moved to Negotiating.").wait_for()
    assert column(page, "negotiating").locator("li.board-card").count() == 1
    assert column(page, "negotiating").locator("[data-count]").inner_text() == "1"
    assert column(page, "negotiating").locator("[data-fees]").inner_text() == "1,200 EUR"
    assert column(page, "shortlisted").locator("[data-count]").inner_text() == "1"
    assert page.evaluate("window.notReloaded") is True
    assert Collaboration.objects.get(pk=cards["Ana Alvarez-Montenegro"].pk).stage == "negotiating"
    screenshot(page, "board-after-drag-1440")


@pytest.mark.parametrize("width", [1440, 390])
def test_a_card_is_moved_with_the_keyboard_and_two_together(page, width):
    _campaign, cards = board(page, width)
    ben = cards["Ben Okafor"]
    menu = page.get_by_label("Stage of Ben Okafor")
    menu.focus()
    menu.select_option("paid")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("Ben Okafor moved to Paid, but no fee is recorded").wait_for()
    assert column(page, "paid").locator(f'li[data-id="{ben.pk}"]').count() == 1
    assert page.evaluate("window.notReloaded") is True

    page.get_by_label("Select Ana Alvarez-Montenegro").check()
    page.get_by_label("Select Cleo Ng").check()
    page.get_by_label("Move the selected creators to").select_option("contracted")
    page.get_by_role("button", name="Move selected").click()
    page.get_by_text("2 creators moved to Contracted.").wait_for()
    assert column(page, "contracted").locator("li.board-card").count() == 2
    assert column(page, "contracted").locator("[data-fees]").inner_text() == "1,500 EUR"
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert StageChange.objects.filter(to_stage="contracted").count() == 2
    screenshot(page, f"board-after-moves-{width}")


def test_a_refused_drag_puts_the_card_back(page, live_server):
    _campaign, cards = board(page, 1440)
    ana = cards["Ana Alvarez-Montenegro"]
    Collaboration.objects.filter(pk=ana.pk).delete()  # gone meanwhile (another tab): the server answers 404
    card = page.locator(f'li.board-card[data-id="{ana.pk}"]')
    card.locator(".fee").drag_to(column(page, "negotiating").locator("ul.cards"))
    page.get_by_text("The move could not be saved").wait_for()
    assert column(page, "shortlisted").locator(f'li[data-id="{ana.pk}"]').count() == 1
