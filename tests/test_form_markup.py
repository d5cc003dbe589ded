"""Every aria-describedby on a form field points at an element of the page (issue 15, defect 7: hand-written fields
left it pointing at help texts and errors that were never rendered)."""

import re

import pytest

from tests.factories import CampaignFactory, CollaborationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def dangling(page: str) -> list[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    described = {i for value in re.findall(r'aria-describedby="([^"]+)"', page) for i in value.split()}
    return sorted(described - ids)


def test_form_fields_describe_themselves_with_elements_that_exist(admin_client, admin_user):
    membership = MembershipFactory(user=admin_user)
    collaboration = CollaborationFactory(campaign=CampaignFactory(brand=membership.brand))
    pages = {
        "new partnership": admin_client.get("/partnerships/new/"),
        "new partnership, errors": admin_client.post("/partnerships/new/", {"status": "nonsense"}),
        "new campaign, errors": admin_client.post("/campaigns/new/", {"name": ""}),
        "collaboration": admin_client.get(f"/collaborations/{collaboration.pk}/"),
        "directory": admin_client.get("/creators/?min_er=abc"),
        "add creators": admin_client.get("/creators/add/"),
        "import": admin_client.get("/creators/import/"),
    }
    described = 0
    for name, response in pages.items():
        page = response.content.decode()
        described += page.count("aria-describedby=")
        assert not dangling(page), (name, dangling(page))
    assert described >= 4  # the pages do describe fields (help texts and errors)
