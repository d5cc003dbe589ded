"""Every URL of the app as each role, with the status each must answer, in one table: a new view without its access
rule (or missing from the table) fails here.

Roles: ``anon`` (signed out), ``a`` (a manager of brand A, which owns every object below), ``b`` (a member of brand
B), ``staff0`` (staff without any permission and no brand). The creator portal (issue "Working with creators") adds
the creator's role and its URLs to this table when it lands.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from campaigns.models import Draft, Invitation
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    DeliverableFactory,
    MembershipFactory,
    PartnershipFactory,
    ShortlistEntryFactory,
    SocialAccountFactory,
    UserFactory,
    staff_with,
)
from workspace.models import Notification, SavedSearch

pytestmark = pytest.mark.django_db
ROLES = ("anon", "a", "b", "staff0")
LOGIN, OK, FORBIDDEN, MISSING, NOT_ALLOWED, GONE = 302, 200, 403, 404, 405, 410
OK_REDIRECT = 302  # a's own saved search opens the directory with its query
MOVED = 301

# URL name -> (URL with {placeholders} for brand A's objects, statuses for anon, a, b, staff0)
EXPECTED = {
    "healthz": ("/healthz", (OK, OK, OK, OK)),
    "favicon": ("/favicon.ico", (MOVED, MOVED, MOVED, MOVED)),
    "login": ("/accounts/login/", (OK, OK, OK, OK)),
    "logout": ("/accounts/logout/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),  # a POST, never a GET
    "password_reset": ("/accounts/password-reset/", (OK, OK, OK, OK)),
    "password_reset_done": ("/accounts/password-reset/sent/", (OK, OK, OK, OK)),
    "password_reset_confirm": ("/accounts/reset/MQ/bad-token/", (OK, OK, OK, OK)),  # "the link has expired"
    "password_reset_complete": ("/accounts/reset/done/", (OK, OK, OK, OK)),
    "two_factor_setup": ("/accounts/two-factor/", (LOGIN, OK, OK, OK)),
    "two_factor_verify": ("/accounts/two-factor/verify/", (LOGIN, OK, OK, OK)),
    "media": ("/media/avatars/none.jpg", (LOGIN, MISSING, MISSING, MISSING)),
    "platforms:sources": ("/sources/", (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    "platforms:sources_sync": ("/sources/sync/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "platforms:add": ("/creators/add/", (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    "platforms:arriving": ("/creators/add/arriving/", (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    "creators:directory": ("/creators/", (LOGIN, OK, OK, OK)),
    "creators:export": ("/creators/export.csv", (LOGIN, OK, OK, OK)),
    "creators:lookup": ("/creators/lookup.json?q=an", (LOGIN, OK, OK, OK)),
    "creators:creator_detail": ("/creators/{creator}/", (LOGIN, OK, OK, OK)),
    "creators:growth_chart": ("/creators/{creator}/accounts/{account}/growth.svg", (LOGIN, OK, OK, OK)),
    "creators:er_chart": ("/creators/{creator}/er.svg", (LOGIN, OK, OK, OK)),
    "creators:import": ("/creators/import/", (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    "creators:import_job": ("/creators/import/999999/", (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    "creators:import_job_progress": ("/creators/import/999999/progress.json", (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    "creators:import_job_problems": ("/creators/import/999999/problems.txt", (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    None: ("/bench/floor", (LOGIN, MISSING, MISSING, MISSING)),
    "campaigns:dashboard": ("/", (LOGIN, OK, OK, OK)),
    "campaigns:chart_tiers": ("/charts/tiers.svg", (LOGIN, OK, OK, OK)),
    "campaigns:chart_scatter": ("/charts/scatter.svg", (LOGIN, OK, OK, OK)),
    "campaigns:chart_funnel": ("/charts/funnel.svg", (LOGIN, OK, OK, OK)),
    "campaigns:chart_interactions": ("/charts/interactions.svg", (LOGIN, OK, OK, OK)),
    "campaigns:brand_switch": ("/brands/switch/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "campaigns:brand_settings": ("/brand/", (LOGIN, OK, OK, OK)),
    "campaigns:invite": ("/brand/invite/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "campaigns:member_role": ("/brand/members/{membership}/role/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "campaigns:member_remove": (
        "/brand/members/{membership}/remove/",
        (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "campaigns:invitation_revoke": (
        "/brand/invitations/{invitation}/withdraw/",
        (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "campaigns:invitation_accept": ("/invitations/not-a-signed-link/", (GONE, GONE, GONE, GONE)),
    "campaigns:bulk_add": ("/creators/bulk-add/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "campaigns:campaign_list": ("/campaigns/", (LOGIN, OK, OK, OK)),
    "campaigns:campaign_create": ("/campaigns/new/", (LOGIN, OK, OK, OK)),
    "campaigns:campaign_detail": ("/campaigns/{campaign}/", (LOGIN, OK, MISSING, MISSING)),
    "campaigns:campaign_edit": ("/campaigns/{campaign}/edit/", (LOGIN, OK, MISSING, MISSING)),
    "campaigns:campaign_archive": ("/campaigns/{campaign}/archive/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "campaigns:campaign_export": ("/campaigns/{campaign}/export.csv", (LOGIN, OK, MISSING, MISSING)),
    "campaigns:campaign_move": ("/campaigns/{campaign}/move/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "campaigns:campaign_add_creators": (
        "/campaigns/{campaign}/add-creators/",
        (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "campaigns:collaboration_detail": ("/collaborations/{collaboration}/", (LOGIN, OK, MISSING, MISSING)),
    "campaigns:collaboration_move": (
        "/collaborations/{collaboration}/move/",
        (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "campaigns:deliverable_create": (
        "/collaborations/{collaboration}/deliverables/new/",
        (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "campaigns:deliverable_edit": ("/deliverables/{deliverable}/edit/", (LOGIN, OK, MISSING, MISSING)),
    "campaigns:draft_review": ("/drafts/{draft}/review/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "campaigns:draft_file": ("/drafts/{draft}/file", (LOGIN, MISSING, MISSING, MISSING)),  # a draft without a file
    "campaigns:partnership_list": ("/partnerships/", (LOGIN, OK, OK, OK)),
    "campaigns:partnership_create": ("/partnerships/new/", (LOGIN, OK, OK, OK)),
    "campaigns:partnership_detail": ("/partnerships/{partnership}/", (LOGIN, OK, MISSING, MISSING)),
    "campaigns:partnership_edit": ("/partnerships/{partnership}/edit/", (LOGIN, OK, MISSING, MISSING)),
    "campaigns:relationship_entry_add": ("/creators/{creator}/log/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "campaigns:activity": ("/activity/", (LOGIN, OK, MISSING, OK)),
    "campaigns:shortlist_list": ("/shortlists/", (LOGIN, OK, OK, OK)),
    "campaigns:shortlist_detail": ("/shortlists/{shortlist}/", (LOGIN, OK, MISSING, MISSING)),
    "campaigns:shortlist_add": ("/shortlists/{shortlist}/add/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "campaigns:shortlist_remove": (
        "/shortlist-entries/{entry}/remove/",
        (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "portal:sign_in": ("/portal/", (OK, OK, OK, OK)),
    "portal:link": ("/portal/link/not-a-signed-link/", (GONE, GONE, GONE, GONE)),
    "portal:sign_out": ("/portal/sign-out/", (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "portal:home": ("/portal/collaborations/", (LOGIN, LOGIN, LOGIN, LOGIN)),  # to the portal's sign-in
    "portal:profile": ("/portal/profile/", (LOGIN, LOGIN, LOGIN, LOGIN)),
    "portal:account_add": ("/portal/profile/accounts/", (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "portal:draft_submit": (
        "/portal/deliverables/{deliverable}/drafts/",
        (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "portal:go_live": (
        "/portal/deliverables/{deliverable}/live/",
        (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "portal:draft_file": ("/portal/drafts/{draft}/file", (LOGIN, LOGIN, LOGIN, LOGIN)),
    "portal:collaboration": ("/portal/collaborations/{collaboration}/", (LOGIN, LOGIN, LOGIN, LOGIN)),
    "outreach:home": ("/outreach/", (LOGIN, OK, OK, OK)),
    "outreach:campaign_send": ("/outreach/campaigns/{campaign}/", (LOGIN, OK, MISSING, MISSING)),
    "outreach:invite": ("/outreach/invite/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),  # another brand's: 404
    "outreach:inbound": ("/outreach/inbound/", (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "outreach:unsubscribe": ("/outreach/unsubscribe/forged/", (GONE, GONE, GONE, GONE)),
    "workspace:search_list": ("/searches/", (LOGIN, OK, OK, OK)),
    "workspace:search_create": ("/searches/new/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "workspace:search_open": ("/searches/{search}/", (LOGIN, OK_REDIRECT, MISSING, MISSING)),
    "workspace:search_delete": ("/searches/{search}/delete/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "workspace:notification_list": ("/notifications/", (LOGIN, OK, OK, OK)),
    "workspace:notifications_read": ("/notifications/read/", (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    "workspace:notification_open": (
        "/notifications/{notification}/",
        (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
}
# POST-only URLs: another brand's member (b) and staff without a brand get 404 for brand A's objects.
POSTED = {
    "campaigns:campaign_archive": (MISSING, MISSING),
    "campaigns:campaign_add_creators": (MISSING, MISSING),
    "campaigns:campaign_move": (MISSING, MISSING),
    "campaigns:collaboration_move": (MISSING, MISSING),
    "campaigns:deliverable_create": (MISSING, MISSING),
    "campaigns:shortlist_add": (MISSING, MISSING),
    "campaigns:shortlist_remove": (MISSING, MISSING),
    "platforms:sources_sync": (FORBIDDEN, FORBIDDEN),
    "campaigns:invite": (FORBIDDEN, OK),  # b is no manager of its brand; staff0 has no brand (a page saying so)
    "campaigns:member_role": (MISSING, MISSING),
    "campaigns:member_remove": (MISSING, MISSING),
    "campaigns:invitation_revoke": (MISSING, MISSING),
    "workspace:search_delete": (MISSING, MISSING),
    "campaigns:draft_review": (MISSING, MISSING),
    "workspace:notification_open": (MISSING, MISSING),
}


def _names(patterns, namespace="") -> list:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else None)
    return names


def test_every_url_of_the_app_is_in_the_table():
    missing = [name for name in _names(get_resolver().url_patterns) if name not in EXPECTED]
    assert not missing, f"add these URLs and their access rule to EXPECTED: {missing}"


@pytest.fixture
def world():
    brand_a, brand_b = BrandFactory(name="Alpha"), BrandFactory(name="Beta")
    a, b = UserFactory(username="a"), UserFactory(username="b")
    MembershipFactory(user=a, brand=brand_a, role="manager")
    MembershipFactory(user=b, brand=brand_b, role="member")
    creator = CreatorFactory()
    account = SocialAccountFactory(creator=creator)
    campaign = CampaignFactory(brand=brand_a)
    collaboration = CollaborationFactory(campaign=campaign, creator=creator)
    entry = ShortlistEntryFactory(shortlist__brand=brand_a, creator=creator)
    ids = {
        "creator": creator.pk,
        "account": account.pk,
        "campaign": campaign.pk,
        "collaboration": collaboration.pk,
        "deliverable": (deliverable := DeliverableFactory(collaboration=collaboration)).pk,
        "draft": Draft.objects.create(deliverable=deliverable, version=1, caption="v1").pk,
        "partnership": PartnershipFactory(brand=brand_a, creator=creator).pk,
        "shortlist": entry.shortlist.pk,
        "entry": entry.pk,
        "membership": brand_a.memberships.get().pk,
        "invitation": Invitation.objects.create(brand=brand_a, email="invited@example.com").pk,
        "search": SavedSearch.objects.create(user=a, brand=brand_a, name="Mine", query="tier=micro").pk,
        "notification": Notification.objects.create(
            user=a, brand=brand_a, kind="behind", key="k", text="t", url="/"
        ).pk,
    }
    clients = {"anon": Client()}
    for role, user in (("a", a), ("b", b), ("staff0", staff_with(username="staff0"))):
        clients[role] = Client()
        clients[role].force_login(user)
    return clients, ids


def test_every_url_answers_each_role_as_the_table_says(world):
    clients, ids = world
    wrong = []
    for name, (url, statuses) in EXPECTED.items():
        for role, expected in zip(ROLES, statuses, strict=True):
            status = clients[role].get(url.format(**ids)).status_code
            if status != expected:
                wrong.append(f"{name} {url} as {role}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_post_only_urls_refuse_other_brands_and_staff_without_permissions(world):
    clients, ids = world
    wrong = []
    for name, statuses in POSTED.items():
        url = EXPECTED[name][0].format(**ids)
        for role, expected in zip(("b", "staff0"), statuses, strict=True):
            status = clients[role].post(url, {"stage": "contacted", "platform": "youtube"}).status_code
            if status != expected:
                wrong.append(f"{name} {url} as {role}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


# The creator's role: a portal session, no account. Outside the portal it is the signed-out visitor; inside, it
# reaches its own collaborations only (brand A's collaboration in the world is another creator's).
CREATOR_PORTAL = {
    "portal:sign_in": LOGIN,  # signed in already: on to the collaborations
    "portal:home": OK,
    "portal:profile": OK,
    "portal:collaboration": MISSING,
    "portal:draft_file": MISSING,
}


def test_a_signed_in_creator_gets_the_signed_out_answers_and_only_their_own_portal(world):
    from portal.access import SESSION_KEY

    _clients, ids = world
    creator = CreatorFactory(name="Someone else", email="else@example.com")
    client = Client()
    session = client.session
    session[SESSION_KEY] = creator.pk
    session.save()
    wrong = []
    for name, (url, statuses) in EXPECTED.items():
        expected = CREATOR_PORTAL.get(name, statuses[0])
        status = client.get(url.format(**ids)).status_code
        if status != expected:
            wrong.append(f"{name} {url} as a creator: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)
