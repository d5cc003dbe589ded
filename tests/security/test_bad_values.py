"""Values out of range for their column are clear row errors, in imports, forms and platform answers."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from creators.models import Creator, Post
from platforms import wire
from platforms.errors import BadAnswer
from tests.creators.csvhelpers import HEADER, call_import
from tests.factories import SocialAccountFactory, UserFactory

pytestmark = pytest.mark.django_db

RATE_HEADER = f"{HEADER},rate"
POST_HEADER = "platform,handle,posted_at,likes,comments,shares,saves,views,url"


@pytest.mark.parametrize("rate", ["1E+400", "123456789012345678901234567", "1e-400", "9999999999.99", "NaN"])
def test_a_rate_out_of_range_is_a_row_error(tmp_path, capsys, rate):
    code, _, err = call_import(
        "import_creators", tmp_path, f"{RATE_HEADER}\nA,a@example.com,,,instagram,a,5000,,,{rate}\n", capsys
    )
    if rate == "9999999999.99":  # the largest the column holds
        assert code == 0 and Creator.objects.get().rate == Decimal("9999999999.99")
        return
    assert code == 1 and "row 1: rate: must" in err and "Traceback" not in err
    assert not Creator.objects.exists()


@pytest.mark.parametrize(
    "posted_at", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "1970-01-01", "2201-01-01"]
)
def test_a_date_out_of_range_is_a_row_error(tmp_path, capsys, posted_at):
    SocialAccountFactory(platform="instagram", handle="a")
    code, _, err = call_import(
        "import_posts", tmp_path, f"{POST_HEADER}\ninstagram,a,{posted_at},1,1,0,0,0,https://e.com/p/1\n", capsys
    )
    assert code == 1 and "row 1: posted_at: must be a date between 1990 and 2200" in err
    assert not Post.objects.exists()


def test_the_import_page_shows_them_as_row_errors(admin_client, celery_eager):
    text = f"{RATE_HEADER}\nA,a@example.com,,,instagram,a,5000,,,1E+400\n"
    response = admin_client.post(
        "/creators/import/", {"kind": "creators", "file": SimpleUploadedFile("c.csv", text.encode())}
    )
    page = admin_client.get(response["Location"]).content.decode()
    assert "Nothing was imported: 1 problem" in page and "must have at most 2 decimals and 10 digits" in page


@pytest.mark.parametrize("value", ["1E+400", "123456789012345678901234567", "-1E+400", "Infinity"])
def test_forms_refuse_numbers_out_of_range(marketer_client, value):
    response = marketer_client.post("/campaigns/new/", {"name": "X", "status": "draft", "budget": value})
    assert response.status_code == 200 and response.context["form"].errors.get("budget")


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "2024-13-01T00:00:00Z"])
def test_platform_answers_out_of_range_are_bad_answers(value):
    with pytest.raises(BadAnswer):
        wire.timestamp(value, "publishedAt")


@pytest.mark.parametrize("value", [10**16, "1" * 30, -1, 1.5, "1e9"])
def test_platform_counts_out_of_range_are_bad_answers(value):
    with pytest.raises(BadAnswer):
        wire.count(value, "subscriberCount")


def test_a_long_list_of_problems_is_capped_on_the_page_with_the_whole_list_to_download(
    admin_client, client, celery_eager
):
    rows = "".join(f"R{n},bad{n},,,instagram,h{n},-1,,\n" for n in range(300))
    response = admin_client.post(
        "/creators/import/", {"kind": "creators", "file": SimpleUploadedFile("c.csv", f"{HEADER}\n{rows}".encode())}
    )
    page = admin_client.get(response["Location"]).content.decode()
    assert "Nothing was imported: 600 problems" in page
    assert page.count('<tr><td data-label="Row">') == 200
    link = response["Location"] + "problems.txt"
    assert f'href="{link}"' in page
    whole = admin_client.get(link)
    assert whole.status_code == 200 and whole.content.decode().count("\n") == 600
    assert "row 300: followers: must not be negative" in whole.content.decode()
    poster = UserFactory(username="post-staff", is_staff=True)
    poster.user_permissions.add(*Permission.objects.filter(codename__in=["add_post", "change_post"]))
    client.force_login(poster)
    assert client.get(link).status_code == 404  # only for staff allowed to import creators


def test_an_upload_over_the_limit_is_refused_before_it_is_read(admin_client):
    response = admin_client.post(
        "/creators/import/",
        {"kind": "creators", "file": SimpleUploadedFile("c.csv", b"x")},
        CONTENT_LENGTH=str(201 * 1024 * 1024),
    )
    assert response.status_code == 413 and "larger than 200 MB" in response.content.decode()
    assert not Creator.objects.exists()
