"""The creator portal (CONTRACT section 9): sign-in by an e-mailed link that works once and expires; a creator sees
only their own collaborations, answers a proposal, and the brand sees the answer."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from campaigns.models import Collaboration, RelationshipEntry, StageChange
from portal.models import SignInLink
from tests.factories import CollaborationFactory, CreatorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana():
    return CreatorFactory(name="Ana Alvarez", email="ana@example.com")


@pytest.fixture
def mailed(celery_eager, django_capture_on_commit_callbacks):
    def ask(client: Client, email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/portal/", {"email": email})

    return ask


def link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/portal/link/\S+/)", message.body).group(1)


def signed_in(client: Client, creator, mailed) -> Client:
    mailed(client, creator.email)
    client.post(link_path(mail.outbox[-1]))
    return client


def test_a_creator_signs_in_with_the_emailed_link_once(ana, mailed):
    client = Client()
    page = mailed(client, "ANA@example.com ")
    assert page.status_code == 200 and "Check your e-mail" in page.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.com"]
    path = link_path(mail.outbox[0])
    # Opening the link (as a mail scanner would) uses nothing up; the button signs in.
    assert "Sign in as Ana Alvarez" in client.get(path).content.decode()
    assert client.post(path).url == "/portal/collaborations/"
    assert client.get("/portal/collaborations/").status_code == 200
    again = Client().post(path)
    assert again.status_code == 410 and "used already" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(ana, mailed):
    page = mailed(Client(), "nobody@example.com")
    assert "Check your e-mail" in page.content.decode() and not mail.outbox
    archived = CreatorFactory(email="old@example.com", status="archived")
    mailed(Client(), archived.email)
    assert not mail.outbox
    for bad in ({"email": ""}, {"email": "not an address"}, {}):
        response = Client().post("/portal/", bad)
        assert response.status_code == 400 and not SignInLink.objects.exists()


def test_expired_forged_and_other_creators_links_are_refused(ana, mailed, settings):
    client = Client()
    mailed(client, ana.email)
    path = link_path(mail.outbox[0])
    link = SignInLink.objects.get()
    assert timedelta(minutes=29) < link.expires_at - timezone.now() <= timedelta(minutes=30)
    SignInLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = Client().post(path)
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert 'value="ana@example.com"' in expired.content.decode()  # a new link is one click away
    SignInLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(minutes=5))
    settings.PORTAL_LINK_MINUTES = 0  # a link older than every lifetime is refused by its signature alone
    settings.PORTAL_OUTREACH_LINK_DAYS = 0
    assert "expired" in Client().post(path).content.decode()
    settings.PORTAL_LINK_MINUTES, settings.PORTAL_OUTREACH_LINK_DAYS = 30, 7
    forged = signing.dumps({"l": link.pk, "c": ana.pk}, salt="something else")
    assert Client().post(f"/portal/link/{forged}/").status_code == 410
    assert Client().get("/portal/link/garbage/").status_code == 410

    ben = CreatorFactory(name="Ben", email="ben@example.com")
    bens = signed_in(Client(), ben, mailed)
    refused = bens.post(path)  # Ana's link in Ben's session
    assert refused.status_code == 410 and "signed in as another creator" in refused.content.decode()
    assert SignInLink.objects.get(pk=link.pk).used_at is None


def test_a_creator_sees_only_their_own_contacted_collaborations(ana, mailed):
    mine = CollaborationFactory(creator=ana, stage="contacted", campaign__name="Spring launch")
    shortlisted = CollaborationFactory(creator=ana, stage="shortlisted", campaign__name="Secret shortlist")
    other = CollaborationFactory(stage="contacted", campaign__name="Someone else's")
    client = signed_in(Client(), ana, mailed)
    home = client.get("/portal/collaborations/").content.decode()
    assert "Spring launch" in home and "Secret shortlist" not in home and "Someone else" not in home
    assert client.get(f"/portal/collaborations/{mine.pk}/").status_code == 200
    for pk in (shortlisted.pk, other.pk, 999_999):
        assert client.get(f"/portal/collaborations/{pk}/").status_code == 404
        assert client.post(f"/portal/collaborations/{pk}/", {"answer": "accept"}).status_code == 404
    assert Collaboration.objects.get(pk=other.pk).stage == "contacted"


def test_signed_out_visitors_and_marketers_go_to_the_sign_in_page(ana):
    collaboration = CollaborationFactory(creator=ana, stage="contacted")
    marketer = UserFactory(username="m")
    MembershipFactory(user=marketer, brand=collaboration.campaign.brand)
    logged_in = Client()
    logged_in.force_login(marketer)
    for client in (Client(), logged_in):
        response = client.get(f"/portal/collaborations/{collaboration.pk}/")
        assert response.status_code == 302 and response.url == "/portal/"


def test_accepting_moves_the_collaboration_and_tells_the_brand(
    ana, mailed, alice_client_of, django_capture_on_commit_callbacks
):
    collaboration = CollaborationFactory(creator=ana, stage="contacted", fee=Decimal("800"), campaign__currency="EUR")
    brand_client = alice_client_of(collaboration.campaign.brand)
    board = f"/campaigns/{collaboration.campaign_id}/"
    brand_client.get(board)  # the board is cached for the brand now
    client = signed_in(Client(), ana, mailed)
    url = f"/portal/collaborations/{collaboration.pk}/"
    with django_capture_on_commit_callbacks(execute=True):  # the brand's cached board is refreshed on commit
        page = client.post(url, {"answer": "accept"}, follow=True).content.decode()
    assert "You accepted. The brand has been told." in page and "Your answer" not in page
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "contracted"
    change = StageChange.objects.get(collaboration=collaboration)
    assert change.by_creator and change.changed_by is None and change.from_stage == "contacted"
    entry = RelationshipEntry.objects.get()
    assert entry.kind == "portal" and entry.summary.startswith("Accepted the proposal at 800.00 EUR")
    assert entry.brand_id == collaboration.campaign.brand_id
    # The brand's board shows it at once, though the creator is no member of the brand.
    html = brand_client.get(board).content.decode()
    assert '<option value="contracted" selected>' in html.split(f'id="move-{collaboration.pk}"')[1][:1500]
    # Nothing left to answer: a second answer changes nothing.
    again = client.post(url, {"answer": "decline"})
    assert again.status_code == 400 and "nothing to answer" in again.content.decode()
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "contracted"


def test_a_counter_offer_needs_a_fee_and_keeps_negotiating(ana, mailed):
    collaboration = CollaborationFactory(creator=ana, stage="contacted", campaign__currency="EUR")
    client = signed_in(Client(), ana, mailed)
    url = f"/portal/collaborations/{collaboration.pk}/"
    missing = client.post(url, {"answer": "counter", "fee": ""})
    assert missing.status_code == 400 and "Give the fee you propose" in missing.content.decode()
    assert client.post(url, {}).status_code == 400
    client.post(url, {"answer": "counter", "fee": "1500", "message": "Two reels, not one"})
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "negotiating"
    summary = RelationshipEntry.objects.get().summary
    assert summary.startswith("Counter-offer: 1,500.00 EUR — “Two reels, not one”")
    client.post(url, {"answer": "decline"})
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "declined"


def test_signing_out_ends_the_portal_session(ana, mailed):
    client = signed_in(Client(), ana, mailed)
    assert client.post("/portal/sign-out/").url == "/portal/"
    assert client.get("/portal/collaborations/").status_code == 302


def test_sign_in_requests_are_rate_limited_per_address(ana, mailed, settings):
    client = Client()
    for _ in range(7):
        mailed(client, ana.email)
    assert len(mail.outbox) == 5  # five links an hour per address; the page says the same every time


def test_accepting_a_campaign_with_usage_rights_needs_them_accepted(ana, mailed):
    collaboration = CollaborationFactory(
        creator=ana,
        stage="contacted",
        campaign__usage_channels="Verde's Instagram and paid ads",
        campaign__usage_months=6,
    )
    client = signed_in(Client(), ana, mailed)
    url = f"/portal/collaborations/{collaboration.pk}/"
    assert "Verde&#x27;s Instagram and paid ads for 6 months" in client.get(url).content.decode()
    refused = client.post(url, {"answer": "accept"})
    assert refused.status_code == 400 and "accept the usage rights too" in refused.content.decode()
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "contacted"
    done = client.post(url, {"answer": "accept", "rights": "on"})
    assert done.status_code == 302, done.content.decode()[-3000:]
    accepted = Collaboration.objects.get(pk=collaboration.pk)
    assert accepted.stage == "contracted" and accepted.rights_accepted_at is not None
    assert accepted.rights_accepted == "Verde's Instagram and paid ads for 6 months"
    assert (
        "with the usage rights (Verde's Instagram and paid ads for 6 months)" in RelationshipEntry.objects.get().summary
    )


def test_a_creator_keeps_their_rate_and_city_up_to_date(ana, mailed):
    client = signed_in(Client(), ana, mailed)
    assert client.post("/portal/profile/", {"rate": "350.50", "city": "  Porto "}).status_code == 302
    ana.refresh_from_db()
    assert (ana.rate, ana.city) == (Decimal("350.50"), "Porto")
    bad = client.post("/portal/profile/", {"rate": "-5", "city": "x" * 200})
    assert bad.status_code == 400
    ana.refresh_from_db()
    assert ana.rate == Decimal("350.50")
    assert Client().get("/portal/profile/").status_code == 302


def test_a_creator_adds_an_account_that_counts_only_once_synced(ana, mailed):
    from creators.models import SocialAccount
    from tests.factories import SocialAccountFactory

    client = signed_in(Client(), ana, mailed)
    page = client.post("/portal/profile/accounts/", {"url": "https://www.instagram.com/ana.moves/"}, follow=True)
    assert "@ana.moves added: its followers and engagement count once" in page.content.decode()
    account = SocialAccount.objects.get(handle="ana.moves")
    assert account.creator == ana and account.followers == 0 and account.synced_at is None
    assert "waiting for the platform's check" in page.content.decode()
    again = client.post("/portal/profile/accounts/", {"url": "@ana.moves", "platform": "instagram"}, follow=True)
    assert "already one of your accounts" in again.content.decode()
    SocialAccountFactory(platform="youtube", handle="BensChannel")
    taken = client.post("/portal/profile/accounts/", {"url": "https://youtube.com/@benschannel"}, follow=True)
    assert "in Microreach for another creator" in taken.content.decode()
    for bad in ({"url": "https://example.com/x"}, {"url": "@nohandleplatform"}, {}):
        page = client.post("/portal/profile/accounts/", bad, follow=True)
        assert page.status_code == 200 and "msg error" in page.content.decode()
    assert SocialAccount.objects.filter(creator=ana).count() == 1


def test_an_account_added_twice_at_once_is_a_message_not_an_error(ana, monkeypatch):
    from portal import profiles
    from tests.factories import SocialAccountFactory

    real = profiles.SocialAccount.objects.filter

    def racing(*args, **kwargs):  # the other request's row arrives between the check and the insert
        found = real(*args, **kwargs)
        if kwargs.get("handle__iexact") == "ana.runs" and not real(handle="ana.runs").exists():
            SocialAccountFactory(creator=ana, platform="instagram", handle="ana.runs")
            return real(pk=-1)
        return found

    monkeypatch.setattr(profiles.SocialAccount.objects, "filter", racing)
    with pytest.raises(profiles.ValidationError, match="was just added"):
        profiles.account_add(creator=ana, url="https://www.instagram.com/ana.runs/")
