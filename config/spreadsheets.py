"""CSV cells that are safe to open in a spreadsheet (OWASP's CSV injection guidance).

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by spreadsheet programs as a
formula; such a cell is prefixed with ``'`` so it is shown as text. Numbers (``-5``, ``+1.5e3``) are left as they are.
Only files a browser downloads are neutralized; the command-line export keeps the raw values for scripts.
"""

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]
