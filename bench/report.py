"""Where a benchmark's table goes: printed, and written to a file beside the others (bench-results/)."""

from collections.abc import Callable
from pathlib import Path


def publish(lines: list[str], output: str, write: Callable[[str], object]) -> None:
    write("\n".join(lines))
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    write(f"\nWritten to {path}.")
