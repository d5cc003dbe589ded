"""Rendered page fragments cached until the next recalculation (or 30 seconds, whichever comes first).

Every recalculation bumps the metrics version after it commits; a fragment's key includes the version, so a
page never shows a fragment older than the data it was rendered from by more than ``TIMEOUT`` seconds (the
web processes of a deployment share the version through Redis, each re-reading it at most once a second;
without Redis each process has its own).
"""

import hashlib
import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

log = logging.getLogger(__name__)
VERSION_KEY = "metrics-version"
TIMEOUT = 30


_local = {"version": 0, "read_at": 0.0}
LOCAL_SECONDS = 1.0  # a process re-reads the shared version at most once a second (a page uses it several times)


def metrics_version() -> int:
    now = time.monotonic()
    if _local["version"] and now - _local["read_at"] < LOCAL_SECONDS:
        return _local["version"]
    try:
        version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
    except Exception:  # a cache that is down means no caching, never an error page
        return 0
    _local.update(version=version, read_at=now)
    return version


def bump_metrics_version() -> None:
    _local.update(version=0, read_at=0.0)  # this process sees its own bump at once
    try:
        cache.add(VERSION_KEY, 1, timeout=None)
        cache.incr(VERSION_KEY)
    except Exception:
        log.warning("Could not bump the metrics version; cached fragments expire within %s s", TIMEOUT)


def _cached(kind: str, parts: tuple, compute: Callable[[], object]) -> object:
    """``compute()``'s result, cached under ``kind``, ``parts`` and the current metrics version for ``TIMEOUT``."""
    version = metrics_version()
    if not version:
        return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{kind}:{version}:{digest}"
    try:
        value = cache.get(key)
    except Exception:
        value = None
    if value is None:
        value = compute()
        try:
            cache.set(key, value, TIMEOUT)
        except Exception:
            log.warning("Could not cache a %s", kind)
    return value


def cached_fragment(parts: tuple, render: Callable[[], str]) -> SafeString:
    """The HTML ``render`` returns, cached under ``parts`` and the current metrics version."""
    return mark_safe(_cached("fragment", parts, render))


# --- Versions of a scope (a brand's objects) ------------------------------------------------------------------------
# A brand's pages may cache what they read of its objects under the brand's version, bumped after every request that
# may have written to the brand (campaigns.middleware); the metrics version and ``TIMEOUT`` bound the rest.


def scope_versions(*scopes: str) -> tuple[int, ...]:
    """The scopes' versions, read in one round trip (0s when the cache is down: then nothing is cached anyway)."""
    keys = [f"scope-version:{scope}" for scope in scopes]
    try:
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                cache.add(key, 1, timeout=None)
                found[key] = cache.get(key, 1)
    except Exception:
        return tuple(0 for _ in keys)
    return tuple(found[key] for key in keys)


def bump_scopes(scopes) -> None:
    keys = [f"scope-version:{scope}" for scope in scopes]
    try:
        for key in keys:
            cache.add(key, 1, timeout=None)
            cache.incr(key)
    except Exception:
        log.warning("Could not bump %s; cached fragments expire within %s s", keys, TIMEOUT)


def cached_value(parts: tuple, compute: Callable[[], object]) -> object:
    """``compute()``'s value (picklable), cached like a fragment: under ``parts`` and the metrics version."""
    return _cached("value", parts, compute)


# A cached fragment with forms holds this instead of a CSRF token; ``with_csrf`` puts the request's token in.
CSRF_PLACEHOLDER = "csrf-token-placeholder-7f3a9c"


def with_csrf(html: str, request) -> SafeString:
    from django.middleware.csrf import get_token

    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))
