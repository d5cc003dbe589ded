"""Celery tasks: thin interfaces that call the services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def recalculate_all() -> int:
    """Recompute every stored metric; safe to run twice."""
    return services.recalculate()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def recalculate_creators(creator_ids: list[int]) -> int:
    """Recompute the metrics of the given creators; safe to run twice."""
    return services.recalculate(creator_ids=creator_ids)
