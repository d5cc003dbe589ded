from django.core.management.base import BaseCommand, CommandError

from bench import exports, report


class Command(BaseCommand):
    help = (
        "Benchmark the creators export (export_creators and /creators/export.csv) at N creators: seconds, rows/s "
        "and peak memory against PostgreSQL's COPY of the same rows; prints a table."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--creators", type=int, default=100_000, help="size of the synthetic data set")
        parser.add_argument("--output", default="bench-results/export.md", help="also write the table here")

    def handle(self, *args, creators: int, output: str, **options) -> None:
        if creators < 1:
            raise CommandError("--creators must be at least 1")
        try:
            lines = exports.run_benchmark(creators, log=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        report.publish(lines, output, self.stdout.write)
