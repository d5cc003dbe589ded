from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns import demo as brand_demo
from config.words import counted
from creators import demo, services
from creators.models import Creator


class Command(BaseCommand):
    help = "Create demo niches, creators, accounts, posts, follower history and the demo logins (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is false")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when any creator exists")
        parser.add_argument("--creators", type=int, default=300, help="how many creators (default 300)")

    def handle(self, *args, force: bool, if_empty: bool, creators: int, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo refuses to run with DEBUG=false (a production database?); add --force.")
        if if_empty and Creator.objects.exists():
            self.stdout.write("The database has creators already; demo data not seeded.")
            return
        created = demo.seed(creators=creators)
        services.recalculate()  # brands pick their demo creators by the fresh metrics
        brands = brand_demo.seed()
        updated = services.recalculate()
        self.stdout.write(
            f"Demo data: {counted(created, 'creator')} and {counted(brands, 'brand')} created; recalculated {updated}."
        )
        self.stdout.write("Logins: admin / admin (staff), marketer / marketer, marketer2 / marketer2.")
