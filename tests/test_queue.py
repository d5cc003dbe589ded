"""Product code queues tasks by name through config.queue: sent to the broker, or run at once when tasks are eager."""

from unittest import mock

import pytest
from django.utils import timezone

from config import queue
from config.celery_app import app
from creators.models import RecalcRequest
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_it_sends_the_task_by_name_with_its_options():
    with mock.patch.object(app, "send_task", return_value=mock.Mock(id="abc")) as send:
        result = queue.enqueue("creators.tasks.recalculate_all", kwargs={"trigger": "test"}, countdown=5)
    assert result.id == "abc"
    send.assert_called_once_with("creators.tasks.recalculate_all", (), {"trigger": "test"}, countdown=5)


def test_eager_tasks_run_at_once_without_the_broker(celery_eager):
    account = SocialAccountFactory()
    RecalcRequest.objects.create(creator_id=account.creator_id, requested_at=timezone.now())
    with mock.patch.object(app, "send_task") as send:
        result = queue.enqueue("creators.tasks.recalculate_requested")
    assert result.get() == 1 and not send.called
    assert not RecalcRequest.objects.exists()
