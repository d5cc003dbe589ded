"""The default periodic schedules, kept in django-celery-beat's database so admins can see and change them."""

from django.db import transaction

# name -> (task, crontab fields or an interval in seconds)
DEFAULT_SCHEDULES = {
    "Nightly full recalculation": ("creators.tasks.recalculate_all", {"minute": "0", "hour": "3"}),
    "Incremental recalculation catch-up": ("creators.tasks.recalculate_requested", 60),
    "Resume stalled recalculations": ("creators.tasks.recalculate_watch", 60),
    "Resume stalled imports": ("creators.tasks.import_watch", 60),
    "Daily follower snapshot": ("creators.tasks.snapshot_followers", {"minute": "30", "hour": "0"}),
    "Follower history partitions and retention": ("creators.tasks.snapshot_partitions", {"minute": "10", "hour": "0"}),
}


def register_schedule(name: str, task: str, when: dict | int) -> None:
    """Add a default schedule (another app's, for example)."""
    DEFAULT_SCHEDULES[name] = (task, when)


@transaction.atomic
def ensure_default_schedules() -> int:
    """Create each default schedule that does not exist yet (an admin's edits are kept); return how many."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    created = 0
    for name, (task, when) in DEFAULT_SCHEDULES.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if isinstance(when, int):
            interval, _ = IntervalSchedule.objects.get_or_create(every=when, period=IntervalSchedule.SECONDS)
            PeriodicTask.objects.create(name=name, task=task, interval=interval)
        else:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC", **when
            )
            PeriodicTask.objects.create(name=name, task=task, crontab=crontab)
        created += 1
    return created
