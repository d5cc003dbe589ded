"""Teams in Chromium: a manager invites a colleague at 1440 px; the colleague accepts in a second browser (a phone,
390 px) and works in the brand; a forgotten password is reset through the console e-mail backend."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from campaigns.models import Membership
from tests.browser.conftest import log_in, screenshot
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_an_invitation_accepted_in_a_second_browser(page, browser, live_server, celery_eager):
    boss = UserFactory(username="boss", email="boss@example.com")
    brand = MembershipFactory(user=boss, brand__name="Verde", role="manager").brand
    campaign = CampaignFactory(brand=brand, name="Spring launch")
    ana = CollaborationFactory(campaign=campaign, creator=CreatorFactory(name="Ana Alvarez"))
    log_in(page, "boss")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("link", name="Team").click()
    page.get_by_label("E-mail address").fill("lena@example.com")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to lena@example.com.").wait_for()
    assert page.get_by_text("lena@example.com · member").is_visible()
    screenshot(page, "team-1440")
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    try:
        colleague = phone.new_page()
        colleague.goto(link)
        colleague.get_by_role("heading", name="Join Verde").wait_for()
        assert colleague.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(colleague, "invitation-390")
        colleague.get_by_label(re.compile("^Username")).fill("lena")
        colleague.locator("#id_password1").fill("a long passphrase 42")
        colleague.get_by_label(re.compile("^Password confirmation")).fill("a long passphrase 42")
        colleague.get_by_role("button", name="Create my account and join").click()
        colleague.get_by_text("Welcome to Verde.").wait_for()
        colleague.goto("/campaigns/")
        colleague.get_by_role("link", name="Spring launch").click()
        colleague.get_by_role("heading", name=re.compile("Spring launch")).wait_for()
        assert colleague.evaluate("document.documentElement.scrollWidth") <= 390
        # They work the board on the phone: Ana moves on with her stage menu, without a reload.
        colleague.get_by_label("Stage of Ana Alvarez").select_option("contacted")
        colleague.get_by_role("button", name="Move Ana Alvarez").click()
        colleague.get_by_text("Ana Alvarez moved to Contacted.").wait_for()
        screenshot(colleague, "board-by-invited-colleague-390")
    finally:
        phone.close()
    lena = get_user_model().objects.get(username="lena")
    assert lena.email == "lena@example.com"
    assert Membership.objects.get(user=lena, brand=brand).role == "member"
    assert ana.stage_changes.get(to_stage="contacted").changed_by == lena

    page.reload()
    assert page.get_by_role("combobox", name="Role of lena").input_value() == "member"
    assert page.get_by_text("lena@example.com · member").count() == 0  # no longer an open invitation


def test_a_forgotten_password_is_reset_by_email(page, settings, capfd, celery_eager):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    UserFactory(username="mara", email="mara@example.com")
    page.goto("/accounts/login/")
    page.get_by_role("link", name=re.compile("Forgot", re.I)).click()
    page.get_by_label(re.compile("e-?mail", re.I)).fill("mara@example.com")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url("**/password-reset/sent/")
    link = None
    for _ in range(50):  # the console backend writes the message when the queued task runs
        printed = capfd.readouterr().out
        if found := re.search(r"https?://\S+/accounts/reset/\S+/", printed):
            link = found.group(0)
            break
        page.wait_for_timeout(100)
    assert link, "no reset link printed by the console e-mail backend"
    page.goto(link)
    page.locator("#id_new_password1").fill("a brand new passphrase 7")
    page.locator("#id_new_password2").fill("a brand new passphrase 7")
    page.get_by_role("button", name=re.compile("password", re.I)).click()
    page.wait_for_url("**/accounts/reset/done/")
    log_in(page, "mara", "a brand new passphrase 7")
    assert page.url.endswith("/")
