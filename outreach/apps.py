from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        from campaigns.models import Collaboration
        from campaigns.signals import collaboration_moved
        from creators import schedules

        from . import services

        collaboration_moved.connect(services.collaboration_moved, sender=Collaboration, dispatch_uid="outreach.stop")

        schedules.register_schedule("Outreach follow-ups", "outreach.tasks.send_due", {"minute": "*/10"})
        schedules.register_schedule("Outreach replies by IMAP", "outreach.tasks.poll_replies", {"minute": "*/5"})
