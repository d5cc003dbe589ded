from django.core.management.base import CommandError

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

        parser.add_argument(
            "--scenes",
            default=",".join(recalc.DEFAULT_SCENES),
            help="which scenes to time, comma-separated, among "
            f"{', '.join(recalc.SCENARIOS)} (daily: every account gained followers, as after a daily sync)",
        )
        parser.add_argument("--workers", default="1,2", help="worker process counts to time, comma-separated")
        parser.add_argument(
            "--with-history",
            action="store_true",
            help="time the scenes with 90 days of daily follower snapshots for every account, generated once and "
            "kept in the database for later runs (--snapshots compares with and without them, then removes them)",
        )

    def handle(
        self, *args, snapshots: bool, with_history: bool, output: str, scenes: str, workers: str, **options
    ) -> None:
        if snapshots and with_history:
            raise CommandError("--snapshots and --with-history exclude each other: --snapshots removes the history")
        self.snapshots = snapshots
        self.with_history = with_history
        self.scenes = [scene.strip() for scene in scenes.split(",") if scene.strip()]
        if unknown := [scene for scene in self.scenes if scene not in recalc.SCENARIOS]:
            raise CommandError(f"unknown scene {unknown[0]!r}; choose among {', '.join(recalc.SCENARIOS)}")
        try:
            self.worker_counts = [int(w) for w in workers.split(",")]
        except ValueError:
            raise CommandError("--workers takes whole numbers, e.g. 1,2") from None
        if not self.worker_counts or min(self.worker_counts) < 1:
            raise CommandError("--workers takes whole numbers of 1 or more, e.g. 1,2")
        if snapshots and output == self.output:
            output = "bench-results/recalc-history.md"
        super().handle(*args, output=output, **options)

    def run(self, size: int) -> list[str]:
        self.stdout.write(f"Preparing a data set of {size:,} creators…")
        dataset.ensure_dataset(size, log=self.stdout.write)
        if self.snapshots:
            return recalc.run_history_benchmark(size, log=self.stdout.write)
        if self.with_history:
            dataset.history_ensure(log=self.stdout.write)
        return recalc.run_benchmark(size, log=self.stdout.write, scenes=self.scenes, worker_counts=self.worker_counts)
