"""Per-user (or per-address) limits on the expensive paths: exports, searches, password-reset e-mails.

A fixed window counted in the cache (Redis in production): ``allow`` answers whether one more request fits, and
``limited`` turns a refusal into the 429 page. When the cache is down the request is allowed (pages survive Redis
going down; the limits are a guard against abuse, not a quota).
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .clientip import client_ip

log = logging.getLogger(__name__)


def _now() -> float:
    return time.time()


def allow(scope: str, who: str, *, limit: int, window: int) -> bool:
    """Count one request of ``who`` in ``scope``; False once ``limit`` were counted in the current ``window`` s."""
    slot = int(_now() // window)
    key = f"ratelimit:{scope}:{who}:{slot}"
    try:
        cache.add(key, 0, window + 1)
        count = cache.incr(key)
    except Exception:  # the cache is unavailable: let the request through
        log.warning("rate limit %s not counted: the cache is unavailable", scope)
        return True
    return count <= limit


def requester(request: HttpRequest) -> str:
    return f"user:{request.user.pk}" if request.user.is_authenticated else f"ip:{client_ip(request) or 'unknown'}"


def limited(request: HttpRequest, scope: str) -> HttpResponse | None:
    """The 429 page when the requester went over ``settings.RATE_LIMITS[scope]`` ("N/seconds"), else None."""
    limit, window = settings.RATE_LIMITS[scope]
    if allow(scope, requester(request), limit=limit, window=window):
        return None
    response = render(request, "429.html", {"scope": scope, "window": window}, status=429)
    response["Retry-After"] = str(window - int(_now()) % window)
    return response
