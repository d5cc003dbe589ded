from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        from creators import schedules

        schedules.register_schedule("Outreach follow-ups", "outreach.tasks.send_due", {"minute": "*/10"})
        schedules.register_schedule("Outreach replies by IMAP", "outreach.tasks.poll_replies", {"minute": "*/5"})
