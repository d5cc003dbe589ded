"""The shared shape of the import commands: read a file, import it all or nothing, report."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.context import acting
from config.words import counted
from creators import csvfiles, services

COMMAND_WAIT_SECONDS = 600  # for an import already running (a script can wait; a browser request cannot)


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
            text = csvfiles.decode(data)
            del data  # one copy of the file in memory, not two
            with acting(None, "command"):
                summary = self.import_service(text=text, wait=COMMAND_WAIT_SECONDS, name=path)
        except csvfiles.InvalidFile as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{counted(len(invalid.problems), 'problem')}; nothing was imported.") from None
        updated = services.recalculate(creator_ids=summary.creator_ids)
        self.stdout.write(f"Imported {path}: {summary}")
        self.stdout.write(f"Recalculated {counted(updated, 'creator')}.")
