from django.core.management.base import BaseCommand, CommandError

from bench import report, sync


class Command(BaseCommand):
    help = "Benchmark the platform sync (1 and 2 workers) against a bare request loop's floor; prints a table."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--accounts", type=int, default=1000, help="YouTube accounts to sync")
        parser.add_argument(
            "--latency-ms", type=float, default=0.0, help="how long the stand-in waits before each answer"
        )
        parser.add_argument("--output", default="bench-results/sync.md", help="also write the table here")

    def handle(self, *args, accounts: int, latency_ms: float, output: str, **options) -> None:
        if accounts < 1:
            raise CommandError("--accounts must be at least 1")
        lines = sync.run_benchmark(accounts, latency_ms=latency_ms, log=self.stdout.write)
        report.publish(lines, output, self.stdout.write)
