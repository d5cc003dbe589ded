from bench import dataset, recalc
from bench.command import BenchCommand


class Command(BenchCommand):
    help = "Benchmark the full recalculation (1 and 2 workers) against a one-statement SQL floor; prints a table."
    output = "bench-results/recalc.md"

    def run(self, size: int) -> list[str]:
        self.stdout.write(f"Preparing a data set of {size:,} creators…")
        dataset.ensure_dataset(size, log=self.stdout.write)
        return recalc.run_benchmark(size, log=self.stdout.write)
