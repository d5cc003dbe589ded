import sys

from django.core.management.base import BaseCommand, CommandError

from config.words import counted
from creators import selectors


class Command(BaseCommand):
    help = (
        "Export one CSV row per creator (CONTRACT section 4) to PATH, or to standard output. The values are raw, "
        "for scripts: unlike the browser's downloads, cells beginning with =, +, -, @ are not prefixed with ' "
        "(open the file in a spreadsheet program only as text, or use the download from the directory)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", default="-", help="output file; '-' or omitted for stdout")

    def handle(self, *args, path: str, **options) -> None:
        lines = selectors.export_lines(selectors.iterate(selectors.creators_for_export().order_by("email")))
        if path == "-":
            try:
                for line in lines:
                    sys.stdout.write(line)
                sys.stdout.flush()
            except BrokenPipeError:  # e.g. piped into `head`
                sys.stderr.close()
            return
        try:
            with open(path, "w", encoding="utf-8", newline="") as out:
                count = sum(1 for _ in map(out.write, lines)) - 1
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror}") from None
        self.stderr.write(f"Exported {counted(count, 'creator')} to {path}.")
