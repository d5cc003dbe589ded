from bench import exports
from bench.command import BenchCommand


class Command(BenchCommand):
    help = (
        "Benchmark the creators export (export_creators and /creators/export.csv) at N creators: seconds, rows/s "
        "and peak memory against PostgreSQL's COPY of the same rows; prints a table."
    )
    output = "bench-results/export.md"

    def run(self, size: int) -> list[str]:
        return exports.run_benchmark(size, log=self.stdout.write)
