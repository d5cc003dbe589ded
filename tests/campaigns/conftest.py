import pytest
from django.test import Client

from tests.factories import (
    BrandFactory,
    CampaignFactory,
    CollaborationFactory,
    DeliverableFactory,
    MembershipFactory,
    PartnershipFactory,
    ShortlistEntryFactory,
    UserFactory,
)


@pytest.fixture
def brand_a(db):
    return BrandFactory(name="Alpha")


@pytest.fixture
def brand_b(db):
    return BrandFactory(name="Beta")


@pytest.fixture
def alice(brand_a):
    user = UserFactory(username="alice")
    MembershipFactory(brand=brand_a, user=user, role="manager")
    return user


@pytest.fixture
def bob(brand_b):
    user = UserFactory(username="bob")
    MembershipFactory(brand=brand_b, user=user)
    return user


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def b_objects(brand_b, bob):
    """One object of every kind belonging to brand B."""
    campaign = CampaignFactory(brand=brand_b, name="Beta secret launch")
    collaboration = CollaborationFactory(campaign=campaign)
    deliverable = DeliverableFactory(collaboration=collaboration)
    partnership = PartnershipFactory(brand=brand_b)
    entry = ShortlistEntryFactory(shortlist__brand=brand_b)
    return {
        "campaign": campaign,
        "collaboration": collaboration,
        "deliverable": deliverable,
        "partnership": partnership,
        "shortlist": entry.shortlist,
        "shortlist_entry": entry,
    }
