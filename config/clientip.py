"""The client's IP address: the socket's peer, or X-Forwarded-For's entry added by our own proxies when
TRUSTED_PROXY_COUNT says how many there are (a header a client sends itself is never believed otherwise)."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            # Each trusted proxy appends the address it received from; the client's is the last one they added.
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
