"""bench_import runs the real import commands on generated files and leaves nothing behind."""

import pytest
from django.core.management import call_command

from creators.models import Creator, ImportJob, Post

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_prints_the_table_and_cleans_up(tmp_path, capsys):
    output = tmp_path / "import.md"
    call_command("bench_import", rows=20, output=str(output))
    table = output.read_text()
    for run in ["creators, first import", "creators, re-import", "posts, first import", "posts, re-import"]:
        assert f"| {run}" in table
    assert "| posts, re-import from the import page | 200 |" in table
    rows = [line for line in table.splitlines() if line.startswith("| creators") or line.startswith("| posts")]
    assert len(rows) == 8 and all(float(row.split("|")[-4]) > 0 for row in rows)  # a ratio to the COPY floor
    assert "| posts, every row refused twice, from the import page | 200 |" in table
    assert not Creator.objects.exists() and not Post.objects.exists() and not ImportJob.objects.exists()
