"""Outreach over a real SMTP server (aiosmtpd): three creators invited from a campaign, one replies (the sequence
stops, the reply is in the log), one accepts in the portal (it stops too), the third gets the follow-ups on schedule;
every message once; opt-out; the inbound endpoint refuses a wrong secret or an unknown thread."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from campaigns.models import Collaboration, RelationshipEntry, StageChange
from outreach import services
from outreach.models import Enrollment, Message, OptOut, Sequence, Template
from portal import signin
from portal.models import SignInLink
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
SECRET = "s3cret-inbound"


@pytest.fixture
def brand_world(settings):
    settings.INBOUND_SECRET = SECRET
    settings.OUTREACH_REPLY_DOMAIN = "reply.example.com"
    settings.SITE_URL = "https://app.example.com"
    user = UserFactory(username="mara", email="mara@example.com")
    brand = MembershipFactory(user=user, brand__name="Verde", role="manager").brand
    campaign = CampaignFactory(brand=brand, name="Spring launch", objective="Morning routines", currency="EUR")
    people = [
        CollaborationFactory(campaign=campaign, creator=CreatorFactory(name=name, email=f"{name.lower()}@example.com"))
        for name in ("Ana", "Ben", "Cleo")
    ]
    first = Template.objects.create(
        brand=brand,
        name="Invite",
        subject="{{ brand }} × {{ creator_name }}",
        body="Hi {{ creator_name }}, {{ brief }}. {{ portal_link }}",
    )
    nudge = Template.objects.create(
        brand=brand, name="Nudge", subject="Still keen, {{ creator_name }}?", body="Hi again"
    )
    last = Template.objects.create(brand=brand, name="Last", subject="Last call", body="Bye")
    sequence = Sequence.objects.create(
        brand=brand, name="Spring invite", first=first, follow_up_1=nudge, days_1=3, follow_up_2=last, days_2=4
    )
    client = Client()
    client.force_login(user)
    return client, campaign, people, sequence


def send_from_the_board(client, campaign, people, sequence):
    ids = [c.pk for c in people]
    preview = client.get(f"/outreach/campaigns/{campaign.pk}/", {"sequence": sequence.pk, "collaboration": ids})
    page = preview.content.decode()
    assert "Verde × Ana" in page
    assert "Hi Ana, Morning routines. [Ana&#x27;s own sign-in link: it works once, within 7 days]" in page
    return client.post(f"/outreach/campaigns/{campaign.pk}/", {"sequence": sequence.pk, "collaboration": ids})


def test_invite_reply_accept_and_follow_ups(smtp_server, brand_world, celery_eager, django_capture_on_commit_callbacks):
    client, campaign, (ana, ben, cleo), sequence = brand_world
    with django_capture_on_commit_callbacks(execute=True):
        response = send_from_the_board(client, campaign, [ana, ben, cleo], sequence)
    assert response.status_code == 302
    first = smtp_server.wait(3)
    assert sorted(m.envelope_to[0] for m in first) == ["ana@example.com", "ben@example.com", "cleo@example.com"]
    to_ana = next(m for m in first if m.envelope_to == ["ana@example.com"])
    assert to_ana["Subject"] == "Verde × Ana" and to_ana["Reply-To"].startswith("reply+")
    assert "https://app.example.com/outreach/unsubscribe/" in to_ana["List-Unsubscribe"]
    assert set(Collaboration.objects.values_list("stage", flat=True)) == {"contacted"}
    assert StageChange.objects.filter(to_stage="contacted", changed_by__username="mara").count() == 3

    # Ana replies: the inbound route posts the raw message.
    raw = (
        f"From: Ana <ana@example.com>\r\nTo: {to_ana['Reply-To']}\r\nSubject: Re: Verde × Ana\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nYes please, tell me more!\r\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = Client().post("/outreach/inbound/", raw, content_type="message/rfc822", HTTP_X_INBOUND_SECRET=SECRET)
    assert answer.status_code == 202
    assert Enrollment.objects.get(collaboration=ana).stop_reason == "the creator replied"
    assert RelationshipEntry.objects.filter(creator=ana.creator, summary__contains="Yes please, tell me more!").exists()
    told = smtp_server.wait(4)[3]  # the marketer who sent the invitation gets the reply by e-mail
    assert told.envelope_to == ["mara@example.com"] and told["Subject"] == "Ana replied: Re: Verde × Ana"
    assert "Yes please, tell me more!" in told.get_content() and f"/collaborations/{ana.pk}/" in told.get_content()

    # Ben accepts in the portal (or the board moves him on): his sequence stops at the next run.
    Collaboration.objects.filter(pk=ben.pk).update(stage="contracted")

    later = timezone.now() + timedelta(days=3, minutes=1)
    assert services.send_due(now=later) == 1
    assert services.send_due(now=later) == 0  # never twice
    follow = smtp_server.wait(5)[4]
    assert follow.envelope_to == ["cleo@example.com"] and follow["Subject"] == "Still keen, Cleo?"
    assert "moved on" in Enrollment.objects.get(collaboration=ben).stop_reason
    assert services.send_due(now=later + timedelta(days=3)) == 0  # the last one is due 4 days after the nudge
    assert services.send_due(now=later + timedelta(days=4, minutes=1)) == 1
    assert smtp_server.wait(6)[5]["Subject"] == "Last call"
    assert services.send_due(now=later + timedelta(days=30)) == 0
    cleo_run = Enrollment.objects.get(collaboration=cleo)
    assert cleo_run.stop_reason == "sequence finished" and cleo_run.messages.count() == 3
    assert Message.objects.filter(status="sent").count() == 5
    assert RelationshipEntry.objects.filter(creator=cleo.creator, kind="email").count() == 3


def test_an_opted_out_creator_gets_nothing_more_from_any_brand(
    smtp_server, brand_world, celery_eager, django_capture_on_commit_callbacks
):
    client, campaign, (ana, *_), sequence = brand_world
    with django_capture_on_commit_callbacks(execute=True):
        send_from_the_board(client, campaign, [ana], sequence)
    [message] = smtp_server.wait(1)
    path = str(message["List-Unsubscribe"]).strip().strip("<>").removeprefix("https://app.example.com")
    assert "No more outreach" in Client().get(path).content.decode()
    assert Client().post(path).status_code == 200
    assert OptOut.objects.filter(email="ana@example.com").exists()
    assert Enrollment.objects.get(collaboration=ana).stop_reason == "the creator opted out"
    other = CollaborationFactory(campaign=CampaignFactory(), creator=ana.creator)
    done = services.enroll(collaborations=[other], sequence=sequence, user=None)
    assert not done.started and done.skipped == {"opted out of all outreach": ["Ana"]}
    assert Client().get("/outreach/unsubscribe/forged/").status_code == 410


def test_sending_twice_or_to_another_brands_creators_is_refused(brand_world, celery_eager):
    client, campaign, (ana, ben, _), sequence = brand_world
    client.post(f"/outreach/campaigns/{campaign.pk}/", {"sequence": sequence.pk, "collaboration": [ana.pk]})
    page = client.post(
        f"/outreach/campaigns/{campaign.pk}/", {"sequence": sequence.pk, "collaboration": [ana.pk]}, follow=True
    )
    assert "Not sent to Ana: already in a sequence." in page.content.decode()
    assert Enrollment.objects.count() == 1
    foreign = CollaborationFactory()
    refused = client.post(
        f"/outreach/campaigns/{campaign.pk}/", {"sequence": sequence.pk, "collaboration": [ben.pk, foreign.pk]}
    )
    assert refused.status_code == 400 and "nothing was sent" in refused.content.decode()
    other_brands = CampaignFactory()
    assert client.get(f"/outreach/campaigns/{other_brands.pk}/").status_code == 404
    empty = client.post(f"/outreach/campaigns/{campaign.pk}/", {})
    assert empty.status_code == 400 and Enrollment.objects.count() == 1


def test_the_inbound_endpoint_refuses_a_wrong_secret_and_unknown_threads(brand_world, settings):
    raw = b"From: x@example.com\r\nTo: reply+unknowntoken123@reply.example.com\r\nSubject: hi\r\n\r\nhello"
    assert Client().post("/outreach/inbound/", raw, content_type="message/rfc822").status_code == 403
    wrong = Client().post("/outreach/inbound/", raw, content_type="message/rfc822", HTTP_X_INBOUND_SECRET="nope")
    assert wrong.status_code == 403
    unknown = Client().post("/outreach/inbound/", raw, content_type="message/rfc822", HTTP_X_INBOUND_SECRET=SECRET)
    assert unknown.status_code == 404
    junk = Client().post("/outreach/inbound/", b"\x00\xff", content_type="message/rfc822", HTTP_X_INBOUND_SECRET=SECRET)
    assert junk.status_code == 404
    settings.INBOUND_SECRET = ""
    assert Client().post("/outreach/inbound/", raw, content_type="message/rfc822").status_code == 403
    assert not RelationshipEntry.objects.exists()


def test_templates_and_sequences_are_checked(brand_world):
    client, *_ = brand_world
    bad = client.post("/outreach/", {"kind": "template", "t-name": "Broken", "t-subject": "{% if %}", "t-body": "x"})
    assert bad.status_code == 400 and "Check the" in bad.content.decode()
    twice = client.post("/outreach/", {"kind": "template", "t-name": "invite", "t-subject": "s", "t-body": "b"})
    assert twice.status_code == 400 and "one of this name already" in twice.content.decode()
    assert Template.objects.count() == 3


def test_replies_are_taken_in_from_an_imap_mailbox(brand_world, settings):
    from outreach import imap
    from tests.outreach.imap_standin import ImapStandin

    _, _, (ana, ben, _), sequence = brand_world
    services.enroll(collaborations=[ana, ben], sequence=sequence, user=None)
    ana_run = Enrollment.objects.get(collaboration=ana)
    with ImapStandin() as standin:
        standin.mailbox.messages = [
            f"From: ana@example.com\r\nTo: reply+{ana_run.token}@reply.example.com\r\nSubject: Re: hi\r\n\r\n"
            "Count me in\r\n".encode(),
            b"From: spam@example.com\r\nTo: someone@reply.example.com\r\nSubject: win\r\n\r\nprize\r\n",
        ]
        settings.INBOUND_IMAP_URL = standin.url
        assert imap.poll() == {"replies": 1, "unknown": 1}
        assert standin.mailbox.seen == {1, 2}
        assert imap.poll() == {"replies": 0, "unknown": 0}  # seen: never taken in twice
        wrong = standin.url.replace(":secret@", ":nope@")
        with pytest.raises(imaplib_error()):
            imap.poll(wrong)
    assert Enrollment.objects.get(collaboration=ana).stop_reason == "the creator replied"
    assert Enrollment.objects.get(collaboration=ben).stopped_at is None
    assert RelationshipEntry.objects.filter(summary__contains="Count me in").count() == 1
    assert imap.poll("") == {"replies": 0, "unknown": 0}
    with pytest.raises(ValueError):
        imap.mailbox("http://example.com")


def imaplib_error():
    import imaplib

    return imaplib.IMAP4.error


def test_the_invitation_carries_a_sign_in_link_that_works_once_for_days(
    smtp_server, brand_world, celery_eager, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_LINK_MINUTES = 30
    settings.PORTAL_OUTREACH_LINK_DAYS = 7
    client, campaign, (ana, *_), sequence = brand_world
    with django_capture_on_commit_callbacks(execute=True):
        send_from_the_board(client, campaign, [ana], sequence)
    [message] = smtp_server.wait(1)
    link = re.search(r"https://app\.example\.com(/portal/link/[^/\s]+/)", message.get_content()).group(1)
    row = SignInLink.objects.get(creator=ana.creator)
    assert row.collaboration_id == ana.pk
    assert timedelta(days=6, hours=23) < row.expires_at - timezone.now() <= timedelta(days=7)  # not 30 minutes
    creator = Client()
    assert "Sign in" in creator.get(link).content.decode()  # a mail scanner's look uses nothing up
    landed = creator.post(link)
    assert landed.status_code == 302 and landed["Location"] == f"/portal/collaborations/{ana.pk}/"
    assert "Spring launch" in creator.get(landed["Location"]).content.decode()
    again = Client().post(link)  # once only; the page offers a new link to the same address
    assert again.status_code == 410 and 'value="ana@example.com"' in again.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due(now=timezone.now() + timedelta(days=3, minutes=1)) == 1
    assert smtp_server.wait(2)[1]["Subject"] == "Still keen, Ana?"
    assert SignInLink.objects.filter(creator=ana.creator).count() == 2  # each message its own link
    SignInLink.objects.filter(used_at__isnull=True).update(expires_at=timezone.now() - timedelta(seconds=1))
    [unused] = SignInLink.objects.filter(used_at__isnull=True)
    token = signing.dumps({"l": unused.pk, "c": ana.creator_id}, salt=signin.SALT, compress=True)
    expired = Client().post(f"/portal/link/{token}/")
    assert expired.status_code == 410 and "expired" in expired.content.decode()


def test_a_link_sent_on_request_still_lives_minutes_not_days(settings):
    settings.PORTAL_LINK_MINUTES = 30
    creator = CreatorFactory(email="dia@example.com")
    sent = []
    assert signin.link_send(email="DIA@example.com", link_for=sent.append)
    row = SignInLink.objects.get(creator=creator)
    assert row.collaboration_id is None and row.expires_at - timezone.now() <= timedelta(minutes=30)


def test_invite_from_the_directory_adds_to_the_campaign_and_opens_the_preview(brand_world):
    client, campaign, *_ = brand_world
    newcomer, opted = CreatorFactory(name="Dia", email="dia@example.com"), CreatorFactory(name="Eli", email="Eli@x.io")
    OptOut.objects.create(email="eli@x.io")
    answer = client.post(
        "/outreach/invite/",
        {"target": f"campaign:{campaign.pk}", "creator": [newcomer.pk, opted.pk], "next": "/creators/"},
    )
    added = Collaboration.objects.filter(campaign=campaign, creator__in=[newcomer, opted])
    assert added.count() == 2 and answer.status_code == 302
    assert answer["Location"].startswith(f"/outreach/campaigns/{campaign.pk}/?collaboration=")
    page = client.get(answer["Location"]).content.decode()
    assert "Eli (Shortlisted) — opted out of all outreach" in page
    for c in added:
        assert f'value="{c.pk}" id="id_collaboration_' in page and "checked" in page
    assert (
        client.post("/outreach/invite/", {"target": f"campaign:{campaign.pk}", "creator": [newcomer.pk]}).status_code
        == 302
    )
    assert Collaboration.objects.filter(campaign=campaign, creator=newcomer).count() == 1  # twice: still one
    other = CampaignFactory(name="Not ours")
    assert (
        client.post("/outreach/invite/", {"target": f"campaign:{other.pk}", "creator": [newcomer.pk]}).status_code
        == 404
    )
    empty = client.post("/outreach/invite/", {"target": f"campaign:{campaign.pk}"}, follow=True)
    assert "Check one or more active creators first." in empty.content.decode()
    shortlist = client.post("/outreach/invite/", {"target": "shortlist:1", "creator": [newcomer.pk]}, follow=True)
    assert "Invitations go out from a campaign" in shortlist.content.decode()
    campaign.status = "completed"
    campaign.save()
    closed = client.post("/outreach/invite/", {"target": f"campaign:{campaign.pk}", "creator": [opted.pk]}, follow=True)
    assert "set it to Active to add creators" in closed.content.decode()


def test_a_sequence_stops_the_moment_its_collaboration_moves_on(brand_world, celery_eager):
    from campaigns import services as campaign_services

    client, _, (ana, ben, cleo), sequence = brand_world
    services.enroll(collaborations=[ana, ben, cleo], sequence=sequence, user=None)
    for c in (ana, ben, cleo):
        c.refresh_from_db()
    campaign_services.collaboration_move(collaboration=ana, stage="contracted", user=None, by_creator=True)
    campaign_services.collaboration_move(collaboration=ben, stage="negotiating", user=None)
    campaign_services.collaboration_move(collaboration=cleo, stage="contacted", user=None)  # where it is: no move
    reasons = dict(Enrollment.objects.values_list("collaboration_id", "stop_reason"))
    assert reasons == {
        ana.pk: "the creator accepted in the portal",
        ben.pk: "the collaboration moved on (negotiating)",
        cleo.pk: "",
    }
    assert "stopped: the creator accepted in the portal" in client.get("/outreach/").content.decode()


def test_invite_never_sends_back_off_site(brand_world):
    client, campaign, *_ = brand_world
    answer = client.post("/outreach/invite/", {"target": f"campaign:{campaign.pk}", "next": "https://evil.example/"})
    assert answer.status_code == 302 and answer["Location"] == "/creators/"
