"""``export_creators`` right after the imports shows exactly CONTRACT section 3's metrics."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.creators.csvhelpers import HEADER, POSTS_HEADER, run, write

pytestmark = pytest.mark.django_db(transaction=True)


def day(n: int) -> str:
    return (timezone.now() - timedelta(days=n)).isoformat(timespec="seconds")


def test_export_after_import_gives_the_contract_metrics(tmp_path, settings):
    creators = write(
        tmp_path,
        f"""{HEADER}
Micro High,high@example.com,ES,Travel;Beauty,instagram,high,1000,,
Micro Low,low@example.com,,,instagram,low,1000,,
Macro,macro@example.com,,,youtube,macro,100001,,
Few Posts,few@example.com,,,tiktok,few,5000,,
Mixed,mixed@example.com,,,youtube,mixedbig,2000000,,
Mixed,mixed@example.com,,,tiktok,mixedsmall,100000,,
""",
        "creators.csv",
    )
    rows = []
    for handle, platform, likes in [
        ("high", "instagram", 30),
        ("low", "instagram", 29),
        ("macro", "youtube", 5000),
        ("mixedbig", "youtube", 1000),
        ("mixedsmall", "tiktok", 3000),
    ]:
        for n in range(3):
            rows.append(f"{platform},{handle},{day(n + 1)},{likes},0,0,0,0,https://e.com/{handle}/{n}")
    rows.append(f"tiktok,few,{day(1)},500,0,0,0,0,https://e.com/few/1")
    rows.append(f"tiktok,few,{day(2)},500,0,0,0,0,https://e.com/few/2")
    posts = write(tmp_path, POSTS_HEADER + "\n" + "\n".join(rows) + "\n", "posts.csv")

    assert run("import_creators", str(creators)).returncode == 0
    result = run("import_posts", str(posts))
    assert result.returncode == 0, result.stderr
    export = run("export_creators")
    assert export.returncode == 0, export.stderr
    table = {row["email"]: row for row in csv.DictReader(io.StringIO(export.stdout))}
    picked = {
        email: (r["tier"], r["engagement_rate"], r["flagged"], r["followers"], r["accounts"])
        for email, r in table.items()
    }
    assert picked == {
        "high@example.com": ("micro", "3.00", "true", "1000", "1"),
        "low@example.com": ("micro", "2.90", "false", "1000", "1"),
        "macro@example.com": ("macro", "5.00", "false", "100001", "1"),
        "few@example.com": ("micro", "", "false", "5000", "1"),
        "mixed@example.com": ("mega", "0.05", "true", "2000000", "2"),
    }
    assert table["high@example.com"]["niches"] == "Beauty;Travel"
    assert table["mixed@example.com"]["primary_platform"] == "youtube"
    assert table["mixed@example.com"]["primary_handle"] == "mixedbig"
    assert list(table["high@example.com"])[:12] == [
        "email",
        "name",
        "country",
        "niches",
        "status",
        "primary_platform",
        "primary_handle",
        "followers",
        "tier",
        "engagement_rate",
        "flagged",
        "accounts",
    ]


def test_an_invalid_import_exits_1_with_row_errors_on_stderr(tmp_path):
    path = write(tmp_path, f"{HEADER}\nA,not-an-email,,,instagram,a,10,,\n")
    result = run("import_creators", str(path))
    assert result.returncode == 1
    assert "row 1: email: is not a valid email address" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_is_a_clear_message(tmp_path):
    result = run("import_posts", str(tmp_path / "nope.csv"))
    assert result.returncode == 1
    assert "cannot read" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_to_a_file(tmp_path):
    out = tmp_path / "out.csv"
    result = run("export_creators", str(out))
    assert result.returncode == 0
    assert out.read_text().startswith("email,name,country,niches,status")
