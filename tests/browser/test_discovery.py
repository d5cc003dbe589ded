"""The demo marketer finds flagged candidates, reads the charts, filters the directory and acts on a creator."""

import pytest
from django.core.management import call_command

from campaigns.models import Collaboration
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", creators=150)


def chart_sizes(page) -> list[tuple[int, int]]:
    page.wait_for_load_state("networkidle")
    return page.eval_on_selector_all(
        ".chart img", "imgs => imgs.map(i => [i.naturalWidth, i.getBoundingClientRect().height])"
    )


def test_the_demo_marketer_finds_and_acts_on_candidates(page, demo, celery_eager):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("marketer")
    page.get_by_label("Password").fill("marketer")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Verde Active · dashboard").wait_for()

    rows = page.locator("table.candidates tr.candidate")
    assert rows.count() > 0
    sizes = chart_sizes(page)
    assert len(sizes) == 4 and all(width > 0 and height > 100 for width, height in sizes)
    rows.first.locator("details.fit summary").click()
    assert rows.first.locator(".fit-parts").get_by_text("niche").is_visible()
    screenshot(page, "dashboard")

    page.get_by_role("link", name="Creators").click()
    page.get_by_label("Tier").select_option("micro")
    page.get_by_label("Flagged").select_option("true")
    page.get_by_label("Sort").select_option("-er")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/creators/?*tier=micro*")
    assert "flagged=true" in page.url
    first = page.locator("tbody tr").first.get_by_role("link").first
    name = first.inner_text()
    screenshot(page, "directory")
    first.click()
    page.get_by_role("heading", level=1).filter(has_text=name).wait_for()
    assert page.get_by_text("Fit for Verde Active").is_visible()
    assert len(chart_sizes(page)) >= 2

    page.get_by_label(f"Add {name} to").select_option(label="Verde Active autumn capsule")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Added 1 creator to “Verde Active autumn capsule”.").wait_for()
    assert Collaboration.objects.filter(campaign__name="Verde Active autumn capsule", creator__name=name).exists()
    screenshot(page, "creator")
