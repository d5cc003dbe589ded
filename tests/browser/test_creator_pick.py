"""The creator search of "new partnership" in Chromium (defect 5), by keyboard: type, arrow down, Enter, save."""

import pytest

from campaigns.models import Partnership
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.factories import CreatorFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.mark.parametrize("width", [1440, 390])
def test_a_partnership_is_started_by_searching_the_creator(page, width):
    user = UserFactory(username="mara")
    brand = MembershipFactory(user=user, brand__name="Verde").brand
    CreatorFactory(name="Ana Alvarez", email="ana@example.com", followers=50_000)
    wanted = CreatorFactory(name="Ana Alves", email="alves@example.com", followers=8_000)
    log_in(page, "mara")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/partnerships/new/")
    box = page.get_by_role("combobox", name="Creator")
    box.fill("ana al")
    page.get_by_role("option", name="Ana Alves").wait_for()
    assert page.get_by_role("listbox").get_by_role("option").count() == 2
    screenshot(page, f"creator-pick-{width}")
    assert axe_violations(page) == []
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("Enter")
    assert box.input_value() == "Ana Alves"
    page.locator("#id_retainer_fee").fill("400")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Partnership with Ana Alves created.").wait_for()
    assert Partnership.objects.get(brand=brand).creator == wanted
    assert page.evaluate("document.documentElement.scrollWidth") <= width
