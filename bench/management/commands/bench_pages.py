from django.core.management.base import BaseCommand, CommandError

from bench import pages, report


class Command(BaseCommand):
    help = "Benchmark the pages under gunicorn and wrk at N creators; prints a table and writes it to a file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--creators", type=int, default=100_000)
        parser.add_argument("--clients", default="4,16,64", help="concurrent clients, comma-separated")
        parser.add_argument("--seconds", type=int, default=10, help="duration of each measurement")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        parser.add_argument("--output", default="bench-results/pages.md")

    def handle(self, *args, creators: int, clients: str, seconds: int, workers: int, output: str, **options) -> None:
        try:
            counts = [int(c) for c in clients.split(",") if c.strip()]
        except ValueError:
            raise CommandError("--clients takes numbers separated by commas, e.g. 4,16,64") from None
        if creators < 1 or not counts or min(counts) < 2 or seconds < 1:
            raise CommandError("--creators ≥ 1, --clients ≥ 2 each, --seconds ≥ 1")
        try:
            lines = pages.run(creators, clients=counts, seconds=seconds, workers=workers, log=self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        report.publish(lines, output, self.stdout.write)
