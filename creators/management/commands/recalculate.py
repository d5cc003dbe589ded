import sys

from django.core.management.base import BaseCommand, CommandError

from config import queue
from config.words import counted
from creators import recalculation
from creators.models import RecalcRun


class Command(BaseCommand):
    help = "Recompute every stored metric (ER, tiers, flags, scores, rollups) for all creators."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--async", dest="run_async", action="store_true", help="queue it on Celery instead")

    def handle(self, *args, run_async: bool, **options) -> None:
        if run_async:
            result = queue.enqueue("creators.tasks.recalculate_all", kwargs={"trigger": "command"})
            self.stdout.write(f"Queued the full recalculation as task {result.id}.")
            return
        show = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()
        run = recalculation.run_in_foreground(trigger="command", on_progress=self.progress if show else None)
        if run is None:
            raise CommandError("A full recalculation is already running; nothing was done.")
        if show:
            self.stdout.write("")
        self.stdout.write(
            f"Recalculated {counted(run.creators_updated, 'creator')} in {run.duration.total_seconds():.1f} s."
        )

    def progress(self, run: RecalcRun) -> None:
        filled = run.percent // 4
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (25 - filled)}] {run.percent:3d}%  {run.creators_updated} creators", ending=""
        )
        self.stdout.flush()
