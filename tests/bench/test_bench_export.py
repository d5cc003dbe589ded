"""bench_export exports the bench data set from the command and the browser, as many rows as its COPY floor."""

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor is PostgreSQL's COPY")
def test_it_prints_the_table(tmp_path):
    output = tmp_path / "export.md"
    call_command("bench_export", creators=300, output=str(output))
    table = output.read_text()
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| ") and "rows/s" not in line]
    assert [row[1].strip() for row in rows] == [
        "export_creators PATH",
        "/creators/export.csv?country=US (1 in 8)",
        "/creators/export.csv (every creator)",
    ]
    counts = [int(row[2]) for row in rows]  # the bench checks each against its floor's
    assert counts[0] == counts[2] == 300 and 30 <= counts[1] <= 45
    assert all(float(row[5]) > 0 and float(row[7]) > 0 for row in rows)  # peak MB, ratio to the floor
