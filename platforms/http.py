"""The one HTTP client both platform clients use: timeouts on every call, pooled connections, JSON answers."""

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
from django.conf import settings

from .errors import BadAnswer, PlatformDown, SyncError

USER_AGENT = "Microreach (+https://github.com/microreach)"


def new_client() -> httpx.Client:
    """A pooled client with the deployment's timeout on connect, read, write and pool waits."""
    return httpx.Client(
        timeout=httpx.Timeout(settings.PLATFORM_TIMEOUT),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
    )


@dataclass(frozen=True)
class Answer:
    status: int
    headers: httpx.Headers
    body: dict


def get_json(client: httpx.Client, url: str, params: dict) -> Answer:
    """GET ``url`` and decode its JSON object; network failures and non-JSON server errors become PlatformDown."""
    try:
        response = client.get(url, params=params)
    except httpx.TimeoutException as error:
        raise PlatformDown(f"no answer within {settings.PLATFORM_TIMEOUT} s ({type(error).__name__})") from error
    except httpx.HTTPError as error:
        raise PlatformDown(f"network error ({type(error).__name__})") from error
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        if response.status_code >= 500:
            raise PlatformDown(f"HTTP {response.status_code}") from None
        raise BadAnswer(f"HTTP {response.status_code} without a JSON body") from None
    if not isinstance(body, dict):
        raise BadAnswer(f"HTTP {response.status_code}: a JSON {type(body).__name__} instead of an object")
    return Answer(response.status_code, response.headers, body)


def get_bytes(client: httpx.Client, url: str, *, limit: int) -> bytes:
    """Download at most ``limit`` bytes from ``url`` (a profile picture); anything wrong raises PlatformDown."""
    try:
        with client.stream("GET", url, follow_redirects=True) as response:
            if response.status_code != 200:
                raise PlatformDown(f"HTTP {response.status_code} for the picture")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise PlatformDown(f"the picture is larger than {limit} bytes")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as error:
        raise PlatformDown(f"network error ({type(error).__name__})") from error


def get_many(client: httpx.Client, calls: list[tuple[str, dict]]) -> list[Answer | SyncError]:
    """``get_json`` for each (url, params), up to PLATFORM_CONCURRENCY at a time on the client's pool (the network
    waits overlap); each result is the answer or the SyncError its request ran into, in the order of ``calls``."""

    def one(call: tuple[str, dict]) -> Answer | SyncError:
        try:
            return get_json(client, *call)
        except SyncError as error:
            return error

    if len(calls) <= 1 or settings.PLATFORM_CONCURRENCY <= 1:
        return [one(call) for call in calls]
    with ThreadPoolExecutor(max_workers=min(settings.PLATFORM_CONCURRENCY, len(calls))) as pool:
        return list(pool.map(one, calls))
