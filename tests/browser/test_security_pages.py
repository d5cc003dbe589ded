"""The sign-in safeguards in Chromium, at desktop and phone widths: two-factor setup with recovery codes, the
check after the password, and the lockout page."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import screenshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


@pytest.mark.parametrize("width", [1440, 390])
def test_a_superuser_sets_up_two_factor_and_signs_in_with_it(page, settings, width):
    settings.TWO_FACTOR_FOR_SUPERUSERS = True
    UserFactory(username="root", is_staff=True, is_superuser=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/two-factor/?next=*")
    assert page.locator("figure.qr svg").is_visible()
    _fits(page, width)
    screenshot(page, f"two-factor-setup-{width}")
    secret = page.locator("figure.qr code").inner_text()
    code = f"{TOTP(b32decode(secret)).token():06d}"
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    codes = page.locator("ul.codes li")
    assert codes.count() == 10
    _fits(page, width)
    screenshot(page, f"two-factor-codes-{width}")
    recovery = codes.first.inner_text()
    page.get_by_role("link", name="I have saved them").click()
    page.wait_for_url("**/admin/")
    page.wait_for_load_state("networkidle")  # nothing of the admin page still in flight when the cookies go

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.wait_for_load_state("networkidle")  # the CSRF cookie of this page is the one the form's token matches
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/two-factor/verify/*")
    _fits(page, width)
    screenshot(page, f"two-factor-verify-{width}")
    page.get_by_label("Code").fill(recovery)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/")
    assert "recovery code" in page.locator(".msg, [role=status], .messages").first.inner_text()


@pytest.mark.parametrize("width", [1440, 390])
def test_the_lockout_page_says_what_happened_and_what_to_do(page, settings, width):
    UserFactory(username="someone")
    page.set_viewport_size({"width": width, "height": 900})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("someone")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
    assert "Too many failed sign-ins" in page.content()
    assert page.get_by_role("link", name="Forgot your password?").is_visible()
    _fits(page, width)
    screenshot(page, f"locked-out-{width}")
