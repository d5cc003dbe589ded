"""``import_creators``: every rule of CONTRACT section 4, all or nothing."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from creators import services
from creators.models import Creator, FollowerSnapshot, SocialAccount
from tests.creators.csvhelpers import HEADER, call_import, stored, write
from tests.factories import CreatorFactory, NicheFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

GOOD = f"""{HEADER}
Ana Alvarez,ana@example.com,ES,Fitness & wellness;Travel,instagram,@ana.fit,12000,300,https://instagram.com/ana.fit
Ana Alvarez,ANA@example.com,ES,Local food,tiktok,anafit,5000,,
Ben Brooks,ben@example.com,,Budget tech,youtube,benreviews,250000,10,
"""


def import_file(tmp_path, text, capsys):
    return call_import("import_creators", tmp_path, text, capsys)


def test_it_imports_creators_accounts_niches_and_snapshots(tmp_path, capsys):
    code, out, err = import_file(tmp_path, GOOD, capsys)
    assert code == 0, err
    assert stored() == {"creators": 2, "accounts": 3, "niches": 4, "posts": 0, "snapshots": 3}
    ana = Creator.objects.get(email="ana@example.com")
    assert sorted(ana.niches.values_list("name", flat=True)) == ["Fitness & wellness", "Local food", "Travel"]
    assert ana.accounts.get(platform="instagram").handle == "ana.fit"
    assert ana.accounts.get(platform="instagram").following == 300
    assert ana.primary_account.handle == "ana.fit"
    assert ana.tier == "micro"
    assert "creators created: 2" in out and "accounts created: 3" in out


def test_it_reads_optional_city_and_rate_in_any_column_order_and_case(tmp_path, capsys):
    text = "RATE,Handle,Platform,Followers,Email,Name,City\n150.50,cook,Instagram,3000,c@example.com,Cook,Lyon\n"
    code, _, err = import_file(tmp_path, text, capsys)
    assert code == 0, err
    creator = Creator.objects.get()
    assert (creator.city, creator.rate) == ("Lyon", Decimal("150.50"))


def test_it_accepts_a_byte_order_mark(tmp_path, capsys):
    code, _, err = import_file(tmp_path, "\ufeff" + GOOD, capsys)
    assert code == 0, err
    assert Creator.objects.count() == 2


def test_it_matches_niches_case_insensitively(tmp_path, capsys):
    NicheFactory(name="Travel", slug="travel")
    code, _, _ = import_file(tmp_path, f"{HEADER}\nA,a@example.com,,TRAVEL,x,a,10,,\n", capsys)
    assert code == 0
    assert Creator.objects.get().niches.get().slug == "travel"


def test_reimporting_the_same_file_changes_nothing(tmp_path, capsys):
    import_file(tmp_path, GOOD, capsys)
    before = stored()
    updated_at = list(Creator.objects.order_by("pk").values_list("updated_at", flat=True))
    code, out, _ = import_file(tmp_path, GOOD, capsys)
    assert code == 0
    assert stored() == before
    assert list(Creator.objects.order_by("pk").values_list("updated_at", flat=True)) == updated_at
    assert "created" not in out.replace("snapshots", "") or "created: 0" in out
    assert "creators unchanged: 2" in out and "accounts unchanged: 3" in out


def test_an_existing_account_is_updated_and_todays_snapshot_follows(tmp_path, capsys):
    import_file(tmp_path, GOOD, capsys)
    code, out, _ = import_file(tmp_path, f"{HEADER}\nAna Alvarez,ana@example.com,,,INSTAGRAM,ANA.FIT,15000,,\n", capsys)
    assert code == 0
    account = SocialAccount.objects.get(handle="ana.fit")
    assert account.followers == 15000
    assert FollowerSnapshot.objects.get(account=account).followers == 15000
    assert "accounts updated: 1" in out


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (",x@example.com,,,instagram,h,10,,", "row 1: name: is required"),
        ("X,,,,instagram,h,10,,", "row 1: email: is required"),
        ("X,not-an-email,,,instagram,h,10,,", "row 1: email: is not a valid email address"),
        ("X,x@example.com,,,myspace,h,10,,", "row 1: platform: unknown platform 'myspace'"),
        ("X,x@example.com,,,instagram,,10,,", "row 1: handle: is required"),
        ("X,x@example.com,,,instagram,two words,10,,", "row 1: handle: is not a valid handle"),
        ("X,x@example.com,,,instagram,h,,,", "row 1: followers: is required"),
        ("X,x@example.com,,,instagram,h,-5,,", "row 1: followers: must not be negative"),
        ("X,x@example.com,,,instagram,h,12.5,,", "row 1: followers: must be a whole number"),
        ("X,x@example.com,,,instagram,h,lots,,", "row 1: followers: must be a whole number"),
        ("X,x@example.com,,,instagram,h,10,-1,", "row 1: following: must not be negative"),
        ("X,x@example.com,,,instagram,h,10,,not a url", "row 1: profile_url: is not a valid http(s) URL"),
        ("X,x@example.com,ZZ,,instagram,h,10,,", "row 1: country: is not an ISO 3166-1 alpha-2 country code"),
        ("X,x@example.com,Spain,,instagram,h,10,,", "row 1: country: is not an ISO 3166-1 alpha-2 country code"),
        ("X,x@example.com,,,instagram,h,10,,,extra", "row 1: row: has 10 cells, the header has 9"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(tmp_path, capsys, row, expected):
    good = "Good,good@example.com,,Travel,instagram,good,10,,"
    code, _, err = import_file(tmp_path, f"{HEADER}\n{good}\n{row}\n".replace("row 1", "row 2"), capsys)
    assert code == 1
    assert expected.replace("row 1", "row 2") in err
    assert stored() == {"creators": 0, "accounts": 0, "niches": 0, "posts": 0, "snapshots": 0}


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("-1", "must not be negative"),
        ("abc", "must be a decimal number"),
        ("1.234", "must have at most 2 decimals"),
        ("NaN", "must be a decimal number"),
    ],
)
def test_a_bad_rate_is_reported(tmp_path, capsys, rate, message):
    code, _, err = import_file(tmp_path, f"name,email,platform,handle,followers,rate\nX,x@e.com,x,h,1,{rate}\n", capsys)
    assert code == 1
    assert f"row 1: rate: {message}" in err
    assert Creator.objects.count() == 0


def test_the_same_account_twice_in_one_file_is_an_error(tmp_path, capsys):
    text = f"{HEADER}\nA,a@example.com,,,instagram,same,10,,\nB,b@example.com,,,Instagram,@SAME,20,,\n"
    code, _, err = import_file(tmp_path, text, capsys)
    assert code == 1
    assert "row 2: handle: the same account (instagram @SAME) is already in row 1" in err
    assert stored()["creators"] == 0


def test_an_account_of_another_creator_is_an_error(tmp_path, capsys):
    SocialAccountFactory(platform="x", handle="taken", creator=CreatorFactory(email="owner@example.com"))
    before = stored()
    code, _, err = import_file(tmp_path, f"{HEADER}\nA,a@example.com,,,x,Taken,10,,\n", capsys)
    assert code == 1
    assert "row 1: handle: x @Taken belongs to another creator (owner@example.com)" in err
    assert stored() == before


def test_conflicting_creator_values_for_one_email_are_an_error(tmp_path, capsys):
    text = f"{HEADER}\nA,a@example.com,ES,,x,a1,10,,\nA,a@example.com,FR,,tiktok,a2,10,,\n"
    code, _, err = import_file(tmp_path, text, capsys)
    assert code == 1
    assert "row 2: country: differs from row 1 for the same email" in err


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("name,email,platform,handle,followers,shoe_size", "row 0: shoe_size: unknown column"),
        ("name,email,platform,handle,followers,email", "row 0: email: duplicate column in the header"),
        ("name,email,platform,handle", "row 0: followers: required column is missing"),
        ("name,email,platform,handle,followers,", "row 0: header: has an empty column name"),
    ],
)
def test_a_bad_header_is_reported_and_nothing_is_written(tmp_path, capsys, header, expected):
    columns = header.count(",") + 1
    code, _, err = import_file(tmp_path, f"{header}\n" + ",".join(["x@e.com"] * columns) + "\n", capsys)
    assert code == 1
    assert expected in err
    assert stored()["creators"] == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "row 0: file: is empty"),
        (HEADER + "\n", "row 0: file: has a header but no data rows"),
        (HEADER + '\nA,"a@e.com,,,x,h,1,,\n', "file: is not valid CSV"),
    ],
)
def test_an_empty_or_malformed_file_is_reported(tmp_path, capsys, content, expected):
    code, _, err = import_file(tmp_path, content, capsys)
    assert code == 1
    assert expected in err


def test_a_file_that_is_not_utf8_is_reported(tmp_path, capsys):
    path = write(tmp_path, f"{HEADER}\nJosé,j@e.com,,,x,h,1,,\n", encoding="latin-1")
    with pytest.raises(CommandError, match="nothing was imported") as exit:
        call_command("import_creators", str(path))
    assert exit.value.returncode == 1
    assert "row 0: file: is not UTF-8 text" in capsys.readouterr().err
    assert stored()["creators"] == 0


def test_every_problem_is_listed_not_just_the_first(tmp_path, capsys):
    text = f"{HEADER}\nA,bad,,,instagram,a,10,,\nB,b@e.com,,,nowhere,b,-1,,\n"
    code, _, err = import_file(tmp_path, text, capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("row ")]
    assert lines == [
        "row 1: email: is not a valid email address (got 'bad')",
        "row 2: platform: unknown platform 'nowhere'; one of: "
        "instagram, tiktok, youtube, x, twitch, facebook, linkedin, pinterest, snapchat, threads, blog",
        "row 2: followers: must not be negative (got '-1')",
    ]


@pytest.mark.parametrize(
    "email",
    [
        "ana@example.com",
        "ana.fit+shop@mail.example.co.uk",
        "a_b-c@example.io",
        "ana..fit@example.com",
        ".ana@example.com",
        "ana.@example.com",
        "ana@localhost",
        "ana@example",
        "ana@-example.com",
        "ana@example-.com",
        "ana@exämple.com",
        "ana@[127.0.0.1]",
        "ana fit@example.com",
        "ana@example.c0m",
        '"ana"@example.com',
    ],
)
def test_the_quick_email_check_agrees_with_djangos_validator(email):
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from creators.csvfiles import RowReader

    problems = []
    RowReader(1, {"email": email}, problems).email("email")
    try:
        validate_email(email)
        valid = True
    except ValidationError:
        valid = False
    assert (not problems) == valid


def test_a_file_read_in_chunks_decodes_characters_cut_between_chunks_and_says_where_it_is_not_utf8():
    from creators import csvfiles

    data = "\ufeffname,city\nZoë,Málaga\n".encode()
    assert csvfiles.decode_chunks(data[n : n + 1] for n in range(len(data))) == "name,city\nZoë,Málaga\n"
    bad = "name\nZoë\n".encode() + b"\xff\n"
    with pytest.raises(csvfiles.InvalidFile) as invalid:
        csvfiles.decode_chunks([bad[:7], bad[7:10], bad[10:]])
    where = bad.index(b"\xff")
    assert str(invalid.value.problems[0]) == f"row 0: file: is not UTF-8 text (byte {where})"


@pytest.mark.parametrize(
    ("stage", "query", "index"),
    [
        ("import_creators_stage", "_CREATOR_SQL:insert", "creator_email_unique_ci"),
        ("import_accounts_stage", "_CREATOR_SQL:account_insert", "account_handle_unique_ci"),
        ("import_posts_stage", "_POST_PROBLEM_SQL:unknown", "account_handle_unique_ci"),
    ],
)
def test_the_imports_find_stored_rows_through_their_unique_indexes(stage, query, index):
    # A scan per staged row made a 20,000-row file take minutes on SQLite (make run's database).
    from django.db import connection

    from creators import imports, staging

    name, key = query.split(":")
    sql = getattr(imports, name)[key]
    columns = {**imports._STAGES, imports._POST_STAGE: imports._POST_STAGE_COLUMNS}[stage]
    sql = sql.replace("{columns}", "tier").replace("{values}", "'micro'").replace("%s", "NULL")
    with staging.staging_table(stage, columns), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # the tables are tiny: show what the index allows
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(line) for line in cursor.fetchall())
    assert index in plan, plan


def test_the_import_tells_its_progress_row_by_row_then_part_by_part():
    heard = []
    rows = "\n".join(f"C{n},c{n}@example.com,US,Fitness,instagram,c{n},{1000 + n},," for n in range(12_000))
    services.creators_import(text=f"{HEADER}\n{rows}\n", progress=lambda *args, **kwargs: heard.append((args, kwargs)))
    checked = [args[1] for args, _ in heard if args[0] == "checking"]
    assert checked == [0, 5000, 10000] and all(args[2] == 12_000 for args, _ in heard if args[0] == "checking")
    writing = [(args[1], args[2], kwargs["part"]) for args, kwargs in heard if args[0] == "writing"]
    assert writing == [(0, 3, "creators and their niches"), (1, 3, "accounts"), (2, 3, "follower snapshots")]
    assert [args[0] for args, _ in heard][-4:] == ["matching", "writing", "writing", "writing"]
