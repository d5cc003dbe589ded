from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = "Platform data"

    def ready(self) -> None:
        from creators import schedules

        # Every quarter of an hour a slice of the due accounts is synced, so a day's syncs are spread over the day.
        schedules.register_schedule("Platform sync of due accounts", "platforms.tasks.sync_due", 15 * 60)
