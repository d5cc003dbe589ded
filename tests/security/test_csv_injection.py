"""Every CSV the browser downloads is safe to open in a spreadsheet; the command line keeps raw values."""

import csv
import io

import pytest
from django.core.management import call_command

from config.spreadsheets import safe_cell
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tX", "\rY"]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_are_prefixed(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-5", "+1.5", "-0.25", "1e3", "-1E-2", "plain", "", "a=b"])
def test_numbers_and_plain_text_are_untouched(value):
    assert safe_cell(value) == value


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def _hostile_creator():
    creator = CreatorFactory(name=FORMULAS[0], city="@SUM(1+1)", email="hostile@example.com")
    SocialAccountFactory(creator=creator, handle="-2+3", followers=5000)
    return creator


def test_the_directory_download_is_neutralized(marketer_client):
    _hostile_creator()
    response = marketer_client.get("/creators/export.csv")
    cells = [cell for row in _rows(b"".join(response.streaming_content)) for cell in row]
    assert "'" + FORMULAS[0] in cells and "'@SUM(1+1)" in cells
    assert not any(cell.startswith(("=", "@", "+")) for cell in cells)


def test_the_admin_export_action_is_neutralized(admin_client):
    creator = _hostile_creator()
    response = admin_client.post(
        "/admin/creators/creator/", {"action": "export_selected", "_selected_action": [creator.pk]}
    )
    cells = [cell for row in _rows(b"".join(response.streaming_content)) for cell in row]
    assert "'" + FORMULAS[0] in cells


def test_the_campaign_download_is_neutralized(marketer_client, marketer):
    campaign = CampaignFactory(brand=marketer.memberships.get().brand, name="=1+1")
    CollaborationFactory(campaign=campaign, creator=_hostile_creator())
    response = marketer_client.get(f"/campaigns/{campaign.pk}/export.csv")
    cells = [cell for row in _rows(response.content) for cell in row]
    assert "'" + FORMULAS[0] in cells
    assert not any(cell.startswith("=") for cell in cells)


def test_the_command_line_export_keeps_raw_values(capsys):
    _hostile_creator()
    call_command("export_creators")
    cells = [cell for row in _rows(capsys.readouterr().out.encode()) for cell in row]
    assert FORMULAS[0] in cells
