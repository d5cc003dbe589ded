"""The pages this session touched, in Chromium at 1440 and 390 px: the partnership list with duplicates to sort out,
the partnership page, a collaboration and a shortlist, without sideways scrolling; the second partnership refused."""

import pytest

from campaigns.models import Partnership
from tests.browser.conftest import log_in, screenshot
from tests.factories import (
    CollaborationFactory,
    CreatorFactory,
    MembershipFactory,
    PartnershipFactory,
    ShortlistEntryFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.mark.parametrize("width", [1440, 390])
def test_the_partnership_collaboration_and_shortlist_pages_fit_the_screen(page, width):
    user = UserFactory(username="mara")
    brand = MembershipFactory(user=user, brand__name="Verde").brand
    creator = CreatorFactory(name="Ana Alvarez-Montenegro de la Fuente")
    kept = PartnershipFactory(brand=brand, creator=creator)
    duplicate = PartnershipFactory(brand=brand, creator=creator, status="ended")
    Partnership.objects.filter(pk=duplicate.pk).update(status="active", duplicate_of=kept)  # made before the rule
    collaboration = CollaborationFactory(campaign__brand=brand, creator=creator)
    entry = ShortlistEntryFactory(shortlist__brand=brand, creator=creator)
    log_in(page, "mara")
    page.set_viewport_size({"width": width, "height": 900})
    for name, url in [
        ("partnerships", "/partnerships/"),
        ("partnership-duplicate", duplicate.get_absolute_url()),
        ("collaboration", f"/collaborations/{collaboration.pk}/"),
        ("shortlist", f"/shortlists/{entry.shortlist_id}/"),
    ]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        screenshot(page, f"{name}-{width}")
    page.goto("/partnerships/")
    page.get_by_role("heading", name="1 partnership to sort out").wait_for()

    page.goto(f"/partnerships/new/?creator={creator.pk}")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("already has a current partnership with this brand").wait_for()
    assert page.get_by_role("link", name="open it").get_attribute("href") == kept.get_absolute_url()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"partnership-refused-{width}")
