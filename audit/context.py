"""Who is acting: the signed-in user of the request (set by the middleware), or a named process."""

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class Actor:
    user: object | None
    source: str
    bulk: bool = False  # an import or sync writes many rows: one event for all of them, not one per row


SYSTEM = Actor(None, "task")
_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)


def current() -> Actor:
    return _current.get() or SYSTEM


@contextmanager
def acting(user, source: str, *, bulk: bool = False) -> Iterator[None]:
    token = _current.set(Actor(user, source, bulk))
    try:
        yield
    finally:
        _current.reset(token)


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        source = "admin" if request.path_info.startswith("/admin/") else "web"
        with acting(user, source):
            return self.get_response(request)
