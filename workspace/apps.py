from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = "Saved searches and notifications"

    def ready(self) -> None:
        from creators import hooks, schedules

        from . import views

        hooks.register_page_part("directory", views.directory_part)
        schedules.register_schedule("Saved-search counts", "workspace.tasks.saved_searches_refresh", {"minute": "*/30"})
        schedules.register_schedule("Notifications", "workspace.tasks.notifications_refresh", {"minute": "15"})
        schedules.register_schedule(
            "Notification e-mail digests", "workspace.tasks.digests_send", {"minute": "30", "hour": "7"}
        )
