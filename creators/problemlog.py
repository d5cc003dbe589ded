"""The problems of one import, in bounded memory whatever the file (issue 14: a file whose every row is wrong used to
hold every problem as an object, 1.3 GB for a million rows). The first ``KEEP`` problems stay in memory; past that,
the current run's problems wait in a temporary file, a JSON line each.

Problems arrive in runs, each in row order among itself: the rows' own checks as the file is read, then each check
across the file (read from SQL ordered by row). Reading the log merges the runs by row, stably, so a row's own
problems come first and the checks across the file follow in the order they ran, as ``sorted`` gave before."""

import heapq
import json
import tempfile
from collections.abc import Iterable, Iterator

from .csvfiles import Problem

KEEP = 20_000


class _Run:
    __slots__ = ("end", "start", "tail")

    def __init__(self) -> None:
        self.start: int | None = None  # where its spilled problems begin in the file (None: all in ``tail``)
        self.end = 0
        self.tail: list[Problem] = []


class ProblemLog:
    """Append problems (``append``; ``extend`` starts a new run), then ``len`` and iterate them in row order."""

    def __init__(self, keep: int | None = None) -> None:
        self._keep, self._held, self._count = KEEP if keep is None else keep, 0, 0
        self._runs = [_Run()]
        self._file = None

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def append(self, problem: Problem) -> None:
        self._runs[-1].tail.append(problem)
        self._count += 1
        self._held += 1
        if self._held > self._keep:
            self._spill()

    def extend(self, problems: Iterable[Problem]) -> None:
        """Add a run of problems in row order (a check across the whole file)."""
        self._runs.append(_Run())
        for problem in problems:
            self.append(problem)

    def _spill(self) -> None:
        run = self._runs[-1]
        if self._file is None:
            self._file = tempfile.NamedTemporaryFile("w+b", prefix="import-problems-")  # noqa: SIM115
        self._file.seek(0, 2)
        if run.start is None:
            run.start = self._file.tell()
        self._file.writelines(f"{json.dumps([p.row, p.column, p.message])}\n".encode() for p in run.tail)
        run.end = self._file.tell()
        self._held -= len(run.tail)
        run.tail = []

    def __iter__(self) -> Iterator[Problem]:
        if self._file is not None:
            self._file.flush()
        return heapq.merge(*(self._read(run) for run in self._runs), key=lambda p: p.row)

    def _read(self, run: _Run) -> Iterator[Problem]:
        if run.start is not None:
            with open(self._file.name, "rb") as spilled:
                spilled.seek(run.start)
                at = run.start
                while at < run.end:
                    line = spilled.readline()
                    at += len(line)
                    yield Problem(*json.loads(line))
        yield from run.tail
