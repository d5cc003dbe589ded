"""The shape of a benchmark command: one size option, ``--output``, and the table printed and written beside the
others (``report.publish``)."""

from django.core.management.base import BaseCommand, CommandError

from . import report


class BenchCommand(BaseCommand):
    size_option = "--creators"
    size_default = 100_000
    size_help = "size of the synthetic data set"
    output = "bench-results/bench.md"

    def add_arguments(self, parser) -> None:
        size = {"type": int, "default": self.size_default, "help": self.size_help}
        parser.add_argument(self.size_option, dest="size", metavar=self.size_option.lstrip("-").upper(), **size)
        parser.add_argument("--output", default=self.output, help="also write the table here")

    def handle(self, *args, size: int, output: str, **options) -> None:
        if size < 1:
            raise CommandError(f"{self.size_option} must be at least 1")
        try:
            lines = self.run(size)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        report.publish(lines, output, self.stdout.write)

    def run(self, size: int) -> list[str]:
        """The benchmark at ``size``: the lines of its table (a RuntimeError is the user's message)."""
        raise NotImplementedError
