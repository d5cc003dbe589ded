from django.core.management.base import BaseCommand, CommandError

from bench import dataset, recalc, report


class Command(BaseCommand):
    help = "Benchmark the full recalculation (1 and 2 workers) against a one-statement SQL floor; prints a table."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--creators", type=int, default=100_000, help="size of the synthetic data set")
        parser.add_argument("--output", default="bench-results/recalc.md", help="also write the table here")

    def handle(self, *args, creators: int, output: str, **options) -> None:
        if creators < 1:
            raise CommandError("--creators must be at least 1")
        try:
            self.stdout.write(f"Preparing a data set of {creators:,} creators…")
            dataset.ensure_dataset(creators, log=self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        lines = recalc.run_benchmark(creators, log=self.stdout.write)
        report.publish(lines, output, self.stdout.write)
