"""An import's problems in bounded memory: past ``KEEP`` they wait in a temporary file, and they come back in the
order ``sorted`` by row gave (a row's own checks first, then the checks across the file in the order they ran)."""

import random
import tracemalloc

import pytest

from creators import problemlog
from creators.csvfiles import Problem
from creators.problemlog import ProblemLog
from tests.creators.csvhelpers import POSTS_HEADER, call_import

pytestmark = pytest.mark.django_db


def runs_of_problems(seed: int) -> list[list[Problem]]:
    rng = random.Random(seed)
    own = [Problem(n, rng.choice(["url", "likes", "row"]), f"own {n}.{k}") for n in range(1, 400) for k in range(2)]
    across = [
        [Problem(n, "url", f"check {c} at {n} with \t tab and “quotes”\n") for n in sorted(rng.sample(range(400), 90))]
        for c in range(3)
    ]
    return [own, *across]


@pytest.mark.parametrize("keep", [0, 1, 7, 100, 10_000])
def test_the_log_reads_back_as_sorted_did_whatever_it_keeps_in_memory(keep):
    runs = runs_of_problems(keep)
    log = ProblemLog(keep=keep)
    for problem in runs[0]:
        log.append(problem)
    for run in runs[1:]:
        log.extend(iter(run))
    expected = sorted((p for run in runs for p in run), key=lambda p: p.row)
    assert len(log) == len(expected) and bool(log)
    assert list(log) == expected
    assert list(log) == expected  # read twice (the command prints it, the import page stores it)
    assert not ProblemLog()


def test_memory_stays_flat_however_many_problems():
    def peak(count: int) -> int:
        tracemalloc.start()
        try:
            log = ProblemLog(keep=1_000)
            for n in range(count):
                log.append(Problem(n, "url", "is not a valid URL (http or https)"))
            assert sum(1 for _ in log) == count
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(5_000), peak(50_000)
    assert large < small * 1.5, (small, large)


def test_an_all_invalid_file_prints_every_problem_in_row_order_with_little_kept(tmp_path, capsys, monkeypatch):
    rows = "".join(
        f"{'myspace' if n % 7 == 0 else 'instagram'},ghost{n},2026-01-0{n % 9 + 1},-1,,,,,https://x.co/{n % 3}\n"
        for n in range(1, 61)
    )
    text = f"{POSTS_HEADER}\n{rows}"
    code, _, everything = call_import("import_posts", tmp_path, text, capsys)
    monkeypatch.setattr(problemlog, "KEEP", 5)
    code_spilled, _, spilled = call_import("import_posts", tmp_path, text, capsys)
    assert code == code_spilled == 1
    assert spilled == everything
    lines = everything.splitlines()
    numbers = [int(line.split(":")[0].removeprefix("row ")) for line in lines if line.startswith("row ")]
    assert numbers == sorted(numbers) and numbers[0] == 1 and numbers[-1] == 60
    assert "row 4: url: the same post is already in row 1" in lines
    assert "row 2: handle: no instagram account @ghost2; import it with import_creators first" in lines
    assert lines.index("row 4: likes: must not be negative (got '-1')") < lines.index(
        "row 4: url: the same post is already in row 1"
    )
