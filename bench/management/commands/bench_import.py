from django.core.management.base import BaseCommand, CommandError

from bench import imports, report


class Command(BaseCommand):
    help = (
        "Benchmark import_creators (N account rows) and import_posts (10 x N rows), first import and re-import, "
        "against PostgreSQL's COPY of the same file; prints a table. Run it on a scratch database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, default=10_000, help="creator account rows (posts: 10 x this)")
        parser.add_argument("--output", default="bench-results/import.md", help="also write the table here")

    def handle(self, *args, rows: int, output: str, **options) -> None:
        if rows < 1:
            raise CommandError("--rows must be at least 1")
        try:
            lines = imports.run_benchmark(rows, log=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        report.publish(lines, output, self.stdout.write)
