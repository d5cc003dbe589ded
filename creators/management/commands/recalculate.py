from django.core.management.base import BaseCommand

from creators import services


class Command(BaseCommand):
    help = "Recompute every stored metric (ER, tiers, flags, scores, rollups) for all creators."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--async", dest="run_async", action="store_true", help="queue it on Celery instead")

    def handle(self, *args, run_async: bool, **options) -> None:
        if run_async:
            from creators.tasks import recalculate_all

            result = recalculate_all.delay()
            self.stdout.write(f"Queued the full recalculation as task {result.id}.")
            return
        updated = services.recalculate()
        self.stdout.write(f"Recalculated {updated} creator(s).")
