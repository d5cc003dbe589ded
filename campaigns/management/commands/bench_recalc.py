from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns import benchdata
from creators import benchmark


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
            benchdata.ensure_dataset(creators, log=self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        lines = benchmark.run_benchmark(creators, log=self.stdout.write)
        self.stdout.write("\n".join(lines))
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
        self.stdout.write(f"\nWritten to {path}.")
