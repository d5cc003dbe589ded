from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_schedules(sender, **kwargs) -> None:
    from .schedules import ensure_default_schedules

    ensure_default_schedules()


class CreatorsConfig(AppConfig):
    name = "creators"
    verbose_name = "Creator base"

    def ready(self) -> None:
        from config import lookups

        lookups.register()  # field__any_of, which a recalculation's scope of ids uses
        # After every migrate, so a fresh database has the default schedules (idempotent).
        post_migrate.connect(_ensure_schedules, sender=self)
        from audit.tracking import track

        from .models import Creator, Niche, Post, SocialAccount

        for model in (Creator, SocialAccount, Niche):
            track(model)
        track(Post, deletes=False)  # a creator's deletion removes its posts in one statement
