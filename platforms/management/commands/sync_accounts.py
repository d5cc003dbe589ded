"""``python manage.py sync_accounts [--platform P] [--handle H …] [--async]`` (CONTRACT section 8)."""

from django.core.management.base import BaseCommand, CommandError

from platforms import sync, tasks


class Command(BaseCommand):
    help = "Sync the active creators' YouTube and Instagram accounts (or the named ones) from the platforms' APIs."

    def add_arguments(self, parser):
        parser.add_argument("--platform", action="append", choices=sync.PLATFORMS, help="repeatable; default: all")
        parser.add_argument("--handle", action="append", default=[], help="only these handles (repeatable)")
        parser.add_argument("--async", action="store_true", dest="queue", help="queue the sync on Celery")

    def handle(self, *args, platform=None, handle=(), queue=False, **options):
        asked = platform or list(sync.PLATFORMS)
        for name in platform or ():
            if missing := sync.credentials_missing(name):
                raise CommandError(f"{name}: no credentials ({missing}).")
        platforms = [name for name in asked if not sync.credentials_missing(name)]
        for name in set(asked) - set(platforms):
            self.stdout.write(f"{name}: not configured ({sync.credentials_missing(name)}); skipped")
        if not platforms:
            raise CommandError("No platform has credentials: set YOUTUBE_API_KEY or the INSTAGRAM_* settings.")
        for name in platforms:
            if queue:
                result = tasks.sync_platform.delay(name, handle, "command")
                self.stdout.write(f"{name}: queued the sync as task {result.id}")
                continue
            ids = list(sync.accounts_to_sync(name, handles=handle).values_list("pk", flat=True))
            outcome = sync.sync_now(platform=name, account_ids=ids)
            if outcome.refused:
                raise CommandError(f"{name}: the platform refused the credentials ({outcome.refused.message}).")
            self.stdout.write(
                f"{name}: {len(outcome.synced)} synced, {len(outcome.failed)} failed, {len(outcome.deferred)} deferred"
            )
            for account, error in outcome.problems():
                self.stdout.write(f"{name} {account.handle}: {error}")
            if handle:
                found = {
                    a.lower() for a in sync.accounts_to_sync(name, handles=handle).values_list("handle", flat=True)
                }
                for wanted in handle:
                    if wanted.strip().lstrip("@").lower() not in found:
                        self.stdout.write(f"{name} {wanted.strip().lstrip('@')}: not in Microreach")
