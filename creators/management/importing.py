"""The shared shape of the import commands: read a file, import it all or nothing, report."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from creators import csvfiles, services


class ImportCommand(BaseCommand):
    import_service = None

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="CSV file to import ('-' reads standard input)")

    def handle(self, *args, path: str, **options) -> None:
        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        try:
            summary = self.import_service(text=csvfiles.decode(data))
        except csvfiles.InvalidFile as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            self.stderr.write(f"{len(invalid.problems)} problem(s); nothing was imported.")
            sys.exit(1)
        updated = services.recalculate(creator_ids=summary.creator_ids)
        self.stdout.write(f"Imported {path}: {summary}")
        self.stdout.write(f"Recalculated {updated} creator(s).")
