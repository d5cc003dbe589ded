from bench import imports
from bench.command import BenchCommand


class Command(BenchCommand):
    help = (
        "Benchmark import_creators (N account rows) and import_posts (10 x N rows), first import and re-import, "
        "against PostgreSQL's COPY of the same file; prints a table. Run it on a scratch database."
    )
    size_option = "--rows"
    size_default = 10_000
    size_help = "creator account rows (posts: 10 x this)"
    output = "bench-results/import.md"

    def run(self, size: int) -> list[str]:
        return imports.run_benchmark(size, log=self.stdout.write)
