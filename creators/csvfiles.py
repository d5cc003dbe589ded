"""Reading and validating the CSV files of CONTRACT section 4, before anything is written.

A file is read one row at a time (``read_rows``) and each row checked by a ``RowReader``; every problem is collected as
``row N: column: message`` (N counts data rows from 1; row 0 is the header line), so an import either writes all rows
or none.
"""

import codecs
import csv
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django_countries import countries

from config.words import counted

from .models import Platform

MAX_CELL_LENGTH = 2_000
FIRST_YEAR, LAST_YEAR = 1990, 2200
_INTEGER = re.compile(r"^[0-9]+$")
_url = URLValidator(schemes=["http", "https"])
# Likewise a plain address (dot-separated ASCII words at ASCII labels under a letters-only TLD), a subset of what
# validate_email accepts; anything else goes through validate_email.
_PLAIN_EMAIL = re.compile(
    r"^[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z", re.IGNORECASE
)
# The common case, a subset of what URLValidator accepts (a host of ASCII labels under a letters-only TLD, no port
# or credentials), checked in one match; anything else goes through URLValidator (a file of posts is mostly urls).
_PLAIN_URL = re.compile(
    r"^https?://(?P<host>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})(?:[/?#][^\s]*)?\Z", re.IGNORECASE
)


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.column}: {self.message}"


class InvalidFile(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{counted(len(problems), 'problem')}")
        self.problems = problems


def decode(data: bytes) -> str:
    """Decode UTF-8 (a byte-order mark is accepted), or raise InvalidFile."""
    return decode_chunks([data])


def decode_chunks(chunks: Iterable[bytes]) -> str:
    """Decode UTF-8 given a chunk at a time (a byte-order mark is accepted), or raise InvalidFile saying where."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    parts, fed, start = [], 0, 0
    try:
        for chunk in itertools.chain(chunks, [b""]):  # the empty chunk last: the end of the file
            start = fed - len(decoder.getstate()[0])  # where the decoder's input begins: a character cut short before
            parts.append(decoder.decode(chunk, final=not chunk))
            fed += len(chunk)
    except UnicodeDecodeError as exc:
        raise InvalidFile([Problem(0, "file", f"is not UTF-8 text (byte {start + exc.start})")]) from None
    return "".join(parts)


def read_rows(text: str, *, required: Iterable[str], optional: Iterable[str], problems: list[Problem]) -> Iterator:
    """Parse CSV text row by row: first the header's columns, then each data row as ``(number, cells)`` with the
    cells keyed by lower-case column name. Raise InvalidFile at once on a bad header or malformed CSV; an empty or
    ragged row, or an over-long cell, is added to ``problems`` (a ragged row is not yielded). Only one row is held
    in memory at a time, besides ``text``."""
    required, allowed = list(required), set(required) | set(optional)
    if "\x00" in text:
        raise InvalidFile([Problem(0, "file", "contains NUL bytes; is it really a CSV file?")])
    reader = csv.reader(_lines(text), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidFile([Problem(0, "file", "is empty; the first line must be a header")])
        columns = [name.strip().lower() for name in header]
        if header_problems := _header_problems(columns, required, allowed):
            raise InvalidFile(header_problems)
        yield columns
        number = 0
        for number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                problems.append(Problem(number, "row", "is empty"))
            elif len(cells) != len(columns):
                problems.append(Problem(number, "row", f"has {len(cells)} cells, the header has {len(columns)}"))
            else:
                row = {c: v.strip() for c, v in zip(columns, cells, strict=True)}
                for column, value in row.items():
                    if len(value) > MAX_CELL_LENGTH:
                        problems.append(Problem(number, column, f"is longer than {MAX_CELL_LENGTH} characters"))
                yield number, row
    except csv.Error as exc:
        raise InvalidFile([Problem(reader.line_num, "file", f"is not valid CSV: {exc}")]) from None
    if number == 0:
        raise InvalidFile([Problem(0, "file", "has a header but no data rows")])


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, one at a time (``io.StringIO`` would copy the whole text, at up to
    four bytes a character). Old Mac files end lines with a lone carriage return."""
    if "\n" not in text:
        yield from text.splitlines(keepends=True)
        return
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop


def data_rows(text: str) -> int:
    """About how many data rows ``text`` holds (its lines less the header), for progress reports."""
    return max(text.count("\n") - (0 if text.endswith("\n") else -1) - 1, 0)


def _header_problems(columns: list[str], required: list[str], allowed: set[str]) -> list[Problem]:
    problems, seen = [], set()
    for name in columns:
        if not name:
            problems.append(Problem(0, "header", "has an empty column name"))
        elif name in seen:
            problems.append(Problem(0, name, "duplicate column in the header"))
        elif name not in allowed:
            problems.append(Problem(0, name, f"unknown column; allowed: {', '.join(sorted(allowed))}"))
        seen.add(name)
    problems += [Problem(0, name, "required column is missing") for name in required if name not in seen]
    return problems


@functools.cache
def _platforms() -> frozenset[str]:
    return frozenset(Platform.values)


@functools.cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _ in countries)


class RowReader:
    """Typed access to one row's cells that records a Problem instead of raising."""

    def __init__(self, number: int, cells: dict[str, str], problems: list[Problem]) -> None:
        self.number, self.cells, self.problems = number, cells, problems

    def error(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int = 200) -> str:
        value = self.cells.get(column, "")
        if required and not value:
            self.error(column, "is required")
        elif len(value) > max_length:
            self.error(column, f"is longer than {max_length} characters")
        return value

    def integer(self, column: str, *, required: bool = False) -> int | None:
        value = self.cells.get(column, "")
        if not value:
            if required:
                self.error(column, "is required")
            return None
        if value.startswith("-") and _INTEGER.match(value[1:]):
            self.error(column, f"must not be negative (got {value!r})")
            return None
        if not _INTEGER.match(value) or len(value) > 15:
            self.error(column, f"must be a whole number (got {value!r})")
            return None
        return int(value)

    def decimal(self, column: str) -> Decimal | None:
        value = self.cells.get(column, "")
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.error(column, f"must be a decimal number (got {value!r})")
            return None
        if not number.is_finite():
            self.error(column, f"must be a decimal number (got {value!r})")
        elif number < 0:
            self.error(column, f"must not be negative (got {value!r})")
        # The magnitude first: quantizing 1E+400 or a 27-digit number is itself an error.
        elif number >= 10**10 or number != number.quantize(Decimal("0.01")):
            self.error(column, f"must have at most 2 decimals and 10 digits (got {value!r})")
        else:
            return number.quantize(Decimal("0.01"))
        return None

    def email(self, column: str) -> str:
        value = self.text(column, required=True, max_length=254).lower()
        if value and not _PLAIN_EMAIL.match(value):
            try:
                validate_email(value)
            except ValidationError:
                self.error(column, f"is not a valid email address (got {value!r})")
        return value

    def url(self, column: str, *, required: bool = False) -> str:
        value = self.text(column, required=required, max_length=500)
        plain = _PLAIN_URL.match(value)
        if value and not (plain and len(plain["host"]) <= 253):
            try:
                _url(value)
            except ValidationError:
                self.error(column, f"is not a valid http(s) URL (got {value!r})")
        return value

    def platform(self, column: str = "platform") -> str:
        value = self.text(column, required=True).lower()
        if value and value not in _platforms():
            self.error(column, f"unknown platform {value!r}; one of: {', '.join(Platform.values)}")
        return value

    def handle(self, column: str = "handle") -> str:
        value = self.text(column, required=True, max_length=101).removeprefix("@")
        if self.cells.get(column) and (not value or any(ch.isspace() for ch in value)):
            self.error(column, f"is not a valid handle (got {self.cells[column]!r})")
        elif len(value) > 100:
            self.error(column, "is longer than 100 characters")
        return value

    def country(self, column: str = "country") -> str:
        value = self.text(column).upper()
        if value and value not in _country_codes():
            self.error(column, f"is not an ISO 3166-1 alpha-2 country code (got {value!r})")
        return value

    def timestamp(self, column: str) -> datetime | None:
        value = self.text(column, required=True, max_length=40)
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.error(column, f"is not an ISO 8601 date or date-time (got {value!r})")
            return None
        # The same years the platform sync accepts; within them no offset can overflow the calendar.
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            self.error(column, f"must be a date between {FIRST_YEAR} and {LAST_YEAR} (got {value!r})")
            return None
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
