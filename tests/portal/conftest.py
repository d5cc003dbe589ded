import pytest
from django.test import Client

from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def alice_client_of(db):
    """A manager of the given brand, logged in."""

    def make(brand) -> Client:
        user = UserFactory(username=f"manager-{brand.pk}")
        MembershipFactory(user=user, brand=brand, role="manager")
        client = Client()
        client.force_login(user)
        return client

    return make
