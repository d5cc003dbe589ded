"""``/healthz``: whether the database and the broker answer (CONTRACT section 6)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery_app import app


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "not answering"
        return False


def broker_ok() -> bool:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # an unreachable broker raises driver-specific errors
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = database_ok()
    body = {"database": "ok" if database else "unavailable", "broker": "ok" if broker_ok() else "unavailable"}
    return JsonResponse(body, status=200 if database else 503)


def bench_floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: a logged-in request through the whole middleware stack that does nothing.

    It exists only while ``BENCH_FLOOR`` is on (``bench_pages`` turns it on for its server).
    """
    if not settings.BENCH_FLOOR:
        raise Http404("Not found.")
    return HttpResponse("ok", content_type="text/plain")
