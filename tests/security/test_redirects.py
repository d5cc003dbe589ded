"""Every view that takes a `next` sends the user only to this site."""

from urllib.parse import urlsplit

import pytest

from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    ShortlistFactory,
)

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example/x",
    "https:evil.example",
    "http://evil.example/",
    "https://evil.example/",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    "\x00//evil.example",
    " //evil.example",
    "/\t/evil.example",
]


@pytest.fixture
def forms(marketer):
    """(URL, POST data) of every form that takes a `next`, for the marketer's own objects."""
    brand = marketer.memberships.get().brand
    campaign = CampaignFactory(brand=brand)
    collaboration = CollaborationFactory(campaign=campaign)
    shortlist = ShortlistFactory(brand=brand)
    creator = CreatorFactory()
    return [
        ("/brands/switch/", {"brand": brand.pk}),
        (f"/collaborations/{collaboration.pk}/move/", {"stage": "contacted"}),
        (f"/creators/{creator.pk}/log/", {"kind": "note", "date": "2026-01-05", "summary": "Hello"}),
        (f"/shortlists/{shortlist.pk}/add/", {"creator": [creator.pk]}),
        ("/creators/bulk-add/", {"target": f"shortlist:{shortlist.pk}", "creator": [creator.pk]}),
    ]


@pytest.mark.parametrize("target", OFF_SITE)
def test_no_form_redirects_off_site(marketer_client, forms, target):
    for url, data in forms:
        response = marketer_client.post(url, {**data, "next": target})
        assert response.status_code == 302, url
        location = response["Location"]
        parts = urlsplit(location)
        # A path on this site: no scheme, no host, nothing a browser reads as protocol-relative.
        assert location.startswith("/") and not location.startswith(("//", "/\\", "/\t")), (url, location)
        assert parts.scheme == "" and parts.netloc == "", (url, location)
        assert location == target or "evil.example" not in location, (url, location)


def test_a_next_on_this_site_is_followed(marketer_client, forms):
    for url, data in forms:
        response = marketer_client.post(url, {**data, "next": "/campaigns/?page=2"})
        assert response["Location"] == "/campaigns/?page=2", url


def test_the_login_page_refuses_an_off_site_next(client, marketer):
    response = client.post("/accounts/login/?next=//evil.example/x", {"username": "marketer", "password": "password"})
    assert response.status_code == 302 and response["Location"] == "/"
