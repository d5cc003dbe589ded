"""Teams that run themselves: a manager invites by e-mail, sets roles, removes members; members cannot."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client

from campaigns import team
from campaigns.models import Invitation, Membership
from tests.factories import BrandFactory, MembershipFactory, NicheFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand():
    return BrandFactory(name="Acme")


@pytest.fixture
def manager(brand):
    user = UserFactory(username="boss", email="boss@example.com")
    MembershipFactory(user=user, brand=brand, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def member(brand):
    user = UserFactory(username="colleague", email="colleague@example.com")
    MembershipFactory(user=user, brand=brand, role=Membership.Role.MEMBER)
    return user


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def invite(client, email="new@example.com", role="member", capture=None):
    with capture(execute=True):
        return client.post("/brand/invite/", {"email": email, "role": role})


def link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body).group(1)


def test_a_manager_invites_and_the_new_colleague_creates_an_account(
    manager, brand, celery_eager, django_capture_on_commit_callbacks
):
    response = invite(client_of(manager), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.com"]
    assert "Acme" in mail.outbox[0].subject
    path = link_path(mail.outbox[0])

    newcomer = Client()
    page = newcomer.get(path)
    assert page.status_code == 200 and b"Join Acme" in page.content
    joined = newcomer.post(
        path,
        {
            "username": "newbie",
            "first_name": "New",
            "last_name": "Colleague",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert joined.status_code == 302 and joined.url == "/"
    user = get_user_model().objects.get(username="newbie")
    assert user.email == "new@example.com"
    assert Membership.objects.get(user=user, brand=brand).role == "member"
    assert newcomer.get("/").status_code == 200  # signed in

    # The link works once.
    again = Client().get(path)
    assert again.status_code == 410 and b"already been used" in again.content


def test_an_existing_user_joins_with_their_account_and_keeps_a_higher_role(
    manager, brand, celery_eager, django_capture_on_commit_callbacks
):
    other_brand_user = UserFactory(username="elsewhere", email="else@example.com")
    invite(client_of(manager), email="else@example.com", role="manager", capture=django_capture_on_commit_callbacks)
    path = link_path(mail.outbox[0])
    client = client_of(other_brand_user)
    assert b"Join Acme as elsewhere" in client.get(path).content
    assert client.post(path).status_code == 302
    assert Membership.objects.get(user=other_brand_user, brand=brand).role == "manager"


def test_inviting_twice_sends_the_same_open_invitation_again(
    manager, brand, celery_eager, django_capture_on_commit_callbacks
):
    client = client_of(manager)
    invite(client, capture=django_capture_on_commit_callbacks)
    invite(client, email="NEW@example.com", role="manager", capture=django_capture_on_commit_callbacks)
    assert Invitation.objects.filter(brand=brand).count() == 1
    assert Invitation.objects.get().role == "manager"
    assert len(mail.outbox) == 2
    page = client.get("/brand/")
    assert [str(m) for m in page.context["messages"]][-1] == "Invitation sent again to new@example.com."
    # Both links work until one is used.
    first, second = link_path(mail.outbox[0]), link_path(mail.outbox[1])
    assert Client().get(first).status_code == 200 and Client().get(second).status_code == 200


def test_an_invitation_of_a_member_an_empty_or_a_bad_address_is_refused(manager, member, brand):
    client = client_of(manager)
    for email, words in [
        ("colleague@example.com", b"already a member"),
        ("", b"This field is required"),
        ("not-an-address", b"valid email"),
    ]:
        response = client.post("/brand/invite/", {"email": email, "role": "member"})
        assert response.status_code == 400 and words in response.content
    assert not Invitation.objects.exists() and not mail.outbox


def test_members_cannot_invite_change_roles_remove_others_or_edit_targets(manager, member, brand):
    client = client_of(member)
    boss = Membership.objects.get(user=manager)
    assert client.post("/brand/invite/", {"email": "x@example.com", "role": "manager"}).status_code == 403
    assert client.post(f"/brand/members/{boss.pk}/role/", {"role": "member"}).status_code == 403
    assert Membership.objects.get(pk=boss.pk).role == "manager"
    assert client.post(f"/brand/members/{boss.pk}/remove/").status_code == 403
    assert Membership.objects.filter(pk=boss.pk).exists()
    niche = NicheFactory()
    assert client.post("/brand/", {"name": "Hijacked", "target_niches": [niche.pk]}).status_code == 403
    brand.refresh_from_db()
    assert brand.name == "Acme" and not brand.target_niches.exists()
    page = client.get("/brand/")
    assert page.status_code == 200 and b"Send invitation" not in page.content


def test_a_manager_edits_the_targets(manager, brand):
    niche = NicheFactory(name="Fitness")
    response = client_of(manager).post("/brand/", {"name": "Acme", "currency": "eur", "target_niches": [niche.pk]})
    assert response.status_code == 302
    assert list(brand.target_niches.all()) == [niche]
    brand.refresh_from_db()
    assert brand.currency == "EUR"
    empty = client_of(manager).post("/brand/", {"name": ""})
    assert empty.status_code == 400 and b"This field is required" in empty.content


def test_roles_change_and_the_last_manager_stays(manager, member, brand):
    client = client_of(manager)
    mine, theirs = Membership.objects.get(user=manager), Membership.objects.get(user=member)
    client.post(f"/brand/members/{mine.pk}/role/", {"role": "member"})
    assert Membership.objects.get(pk=mine.pk).role == "manager"  # the brand would have no manager
    response = client.post(f"/brand/members/{mine.pk}/remove/", follow=True)
    assert b"needs at least one manager" in response.content
    client.post(f"/brand/members/{theirs.pk}/role/", {"role": "manager"})
    assert Membership.objects.get(pk=theirs.pk).role == "manager"
    client.post(f"/brand/members/{theirs.pk}/role/", {"role": "owner"})  # not a role
    assert Membership.objects.get(pk=theirs.pk).role == "manager"
    client.post(f"/brand/members/{mine.pk}/role/", {"role": "member"})
    assert Membership.objects.get(pk=mine.pk).role == "member"


def test_a_removed_member_loses_access_and_a_member_may_leave(manager, member, brand):
    theirs = Membership.objects.get(user=member)
    assert client_of(manager).post(f"/brand/members/{theirs.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(user=member, brand=brand).exists()
    other = UserFactory(username="leaver")
    leaving = MembershipFactory(user=other, brand=brand)
    assert client_of(other).post(f"/brand/members/{leaving.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=leaving.pk).exists()


def test_another_brands_members_and_invitations_answer_404(manager, brand):
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, role=Membership.Role.MANAGER)
    invitation = Invitation.objects.create(brand=brand, email="a@example.com")
    mine = Membership.objects.get(user=manager)
    client = client_of(stranger)
    assert client.post(f"/brand/members/{mine.pk}/role/", {"role": "member"}).status_code == 404
    assert client.post(f"/brand/members/{mine.pk}/remove/").status_code == 404
    assert client.post(f"/brand/invitations/{invitation.pk}/withdraw/").status_code == 404
    assert Invitation.objects.get().is_open and Membership.objects.filter(pk=mine.pk).exists()


def test_withdrawn_expired_and_forged_links_are_refused(
    manager, brand, settings, celery_eager, django_capture_on_commit_callbacks
):
    invite(client_of(manager), capture=django_capture_on_commit_callbacks)
    path = link_path(mail.outbox[0])
    invitation = Invitation.objects.get()
    client_of(manager).post(f"/brand/invitations/{invitation.pk}/withdraw/")
    withdrawn = Client().get(path)
    assert withdrawn.status_code == 410 and b"withdrawn" in withdrawn.content

    fresh = Invitation.objects.create(brand=brand, email="later@example.com")
    settings.INVITATION_DAYS = 0
    expired = Client().get(f"/invitations/{team.invitation_token(fresh)}/")
    assert expired.status_code == 410 and b"expired" in expired.content
    settings.INVITATION_DAYS = 7

    forged = signing.dumps({"i": fresh.pk, "e": "later@example.com"}, salt="another salt")
    assert Client().get(f"/invitations/{forged}/").status_code == 410
    assert Client().get("/invitations/garbage/").status_code == 410
    assert Client().post(f"/invitations/{forged}/", {"username": "x"}).status_code == 410
    assert not get_user_model().objects.filter(username="x").exists()


def test_a_bad_account_form_creates_nothing(manager, brand):
    invitation = Invitation.objects.create(brand=brand, email="n@example.com")
    path = f"/invitations/{team.invitation_token(invitation)}/"
    for data in [{}, {"username": "boss", "password1": "a long passphrase 42", "password2": "a long passphrase 42"}]:
        response = Client().post(path, data)
        assert response.status_code == 400
    assert Invitation.objects.get().is_open
    assert not Membership.objects.filter(user__email="n@example.com").exists()
