from bench import dataset, recalc
from bench.command import BenchCommand


class Command(BenchCommand):
    help = "Benchmark the full recalculation (1 and 2 workers) against a one-statement SQL floor; prints a table."
    output = "bench-results/recalc.md"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--snapshots",
            action="store_true",
            help="measure with 90 days of daily follower snapshots for every account (2 %% with a spike) against "
            "the same run without them (writes bench-results/recalc-history.md unless --output says otherwise)",
        )

    def handle(self, *args, snapshots: bool, output: str, **options) -> None:
        self.snapshots = snapshots
        if snapshots and output == self.output:
            output = "bench-results/recalc-history.md"
        super().handle(*args, output=output, **options)

    def run(self, size: int) -> list[str]:
        self.stdout.write(f"Preparing a data set of {size:,} creators…")
        dataset.ensure_dataset(size, log=self.stdout.write)
        if self.snapshots:
            return recalc.run_history_benchmark(size, log=self.stdout.write)
        return recalc.run_benchmark(size, log=self.stdout.write)
