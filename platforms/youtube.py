"""The YouTube Data API v3 client: channels, their uploads and the videos' statistics, in typed results.

Every list call costs 1 quota unit (``spend`` is asked before each request is sent); channels and videos are asked
for up to 50 at a time, so a known channel's daily sync costs about 1 + (its recent videos)/50 + 1/50 units. The
uploads of many channels and the videos' pages are asked for side by side (``PLATFORM_CONCURRENCY``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import httpx

from . import wire
from .errors import BadAnswer, CredentialsRefused, NotFound, PlatformDown, QuotaExhausted, RateLimited, SyncError
from .http import Answer, get_json, get_many

PAGE = 50  # the API's maxResults ceiling for channels, playlistItems and videos
MAX_PAGES = 20  # of an uploads playlist per sync: 1,000 videos is far beyond what the ER needs
CHANNEL_PARTS = "snippet,statistics,contentDetails"


@dataclass(frozen=True)
class Channel:
    id: str
    handle: str
    title: str
    picture_url: str
    subscribers: int | None  # None: the channel hides its subscriber count
    uploads_playlist: str


@dataclass(frozen=True)
class Upload:
    video_id: str
    published_at: datetime | None


@dataclass(frozen=True)
class Video:
    id: str
    published_at: datetime
    views: int
    likes: int | None  # None: the owner hides the like count
    comments: int


class YouTube:
    def __init__(self, *, key: str, base_url: str, http: httpx.Client, spend: Callable[[int], None] = lambda n: None):
        self.key, self.base_url, self.http, self.spend = key, base_url.rstrip("/"), http, spend

    def _get(self, resource: str, params: dict) -> dict:
        self.spend(1)
        answer = get_json(self.http, f"{self.base_url}/{resource}", {**params, "key": self.key})
        if answer.status != 200:
            raise _error(answer)
        return answer.body

    def channel_for_handle(self, handle: str) -> Channel:
        body = self._get("channels", {"part": CHANNEL_PARTS, "forHandle": f"@{handle}"})
        found = [_channel(item) for item in wire.items(body.get("items"), "items")]
        if not found:
            raise NotFound(f"no channel with the handle @{handle}")
        return found[0]

    def channels(self, ids: Iterable[str]) -> dict[str, Channel]:
        """The channels with these ids (at most 50); a channel that no longer exists is missing from the result."""
        ids = list(ids)
        if len(ids) > PAGE:
            raise ValueError(f"at most {PAGE} channels at a time")
        body = self._get("channels", {"part": CHANNEL_PARTS, "id": ",".join(ids), "maxResults": PAGE})
        channels = [_channel(item) for item in wire.items(body.get("items"), "items")]
        return {channel.id: channel for channel in channels}

    def _get_many(self, resource: str, params: list[dict]) -> list[dict | SyncError]:
        """Several requests to ``resource`` at once (their units counted first); each body or its error."""
        self.spend(len(params))
        url = f"{self.base_url}/{resource}"
        answers = get_many(self.http, [(url, {**p, "key": self.key}) for p in params])
        return [a if isinstance(a, SyncError) else (a.body if a.status == 200 else _error(a)) for a in answers]

    def uploads(self, playlist: str, *, since: datetime, at_least: int) -> list[Upload]:
        result = self.uploads_many([playlist], since=since, at_least=at_least)[playlist]
        if isinstance(result, SyncError):
            raise result
        return result

    def uploads_many(
        self, playlists: list[str], *, since: datetime, at_least: int
    ) -> dict[str, list[Upload] | SyncError]:
        """Each playlist's videos, newest first, until ``at_least`` of them are known and the rest are older than
        ``since`` (or the playlist ends); the playlists are paged side by side. A playlist that does not exist
        (a channel that never uploaded) has no videos; any other error is that playlist's result."""
        uploads: dict[str, list[Upload]] = {p: [] for p in playlists}
        tokens: dict[str, str] = {}
        results: dict[str, list[Upload] | SyncError] = {}
        pending = list(uploads)
        for _ in range(MAX_PAGES):
            if not pending:
                break
            base = {"part": "contentDetails", "maxResults": PAGE}
            bodies = self._get_many(
                "playlistItems",
                [{**base, "playlistId": p, **({"pageToken": tokens[p]} if p in tokens else {})} for p in pending],
            )
            still = []
            for playlist, body in zip(pending, bodies, strict=True):
                if isinstance(body, NotFound):
                    results[playlist] = uploads[playlist]
                    continue
                if isinstance(body, SyncError):
                    results[playlist] = body
                    continue
                try:
                    token = _upload_page(body, uploads[playlist])
                except BadAnswer as error:
                    results[playlist] = error
                    continue
                dated = [u.published_at for u in uploads[playlist] if u.published_at]
                if not token or (len(uploads[playlist]) >= at_least and dated and min(dated) < since):
                    results[playlist] = uploads[playlist]
                else:
                    tokens[playlist] = token
                    still.append(playlist)
            pending = still
        return {**{p: uploads[p] for p in pending}, **results}

    def videos(self, ids: Iterable[str]) -> list[Video]:
        """The statistics of these videos, 50 a request, requests side by side; private or deleted ones are missing
        from the result. The first error any request ran into is raised."""
        ids = list(ids)
        chunks = [ids[start : start + PAGE] for start in range(0, len(ids), PAGE)]
        if not chunks:
            return []
        bodies = self._get_many(
            "videos", [{"part": "snippet,statistics", "id": ",".join(chunk), "maxResults": PAGE} for chunk in chunks]
        )
        videos = []
        for body in bodies:
            if isinstance(body, SyncError):
                raise body
            videos += [_video(item) for item in wire.items(body.get("items"), "items")]
        return videos


def _upload_page(body: dict, into: list[Upload]) -> str:
    """Add a playlistItems page's videos to ``into``; return the next page's token ('' at the end)."""
    for item in wire.items(body.get("items"), "items"):
        details = wire.obj(item.get("contentDetails"), "contentDetails")
        video_id = wire.text(details.get("videoId"), "videoId", required=True, limit=100)
        published = details.get("videoPublishedAt")  # absent for a private or deleted video
        into.append(Upload(video_id, wire.timestamp(published, "videoPublishedAt") if published else None))
    token = body.get("nextPageToken")
    return token if isinstance(token, str) else ""


def _channel(item: dict) -> Channel:
    snippet = wire.obj(item.get("snippet"), "snippet")
    statistics = wire.obj(item.get("statistics"), "statistics")
    related = wire.obj(wire.obj(item.get("contentDetails"), "contentDetails").get("relatedPlaylists"), "playlists")
    thumbnails = wire.obj(snippet.get("thumbnails"), "thumbnails")
    picture = next(
        (wire.obj(thumbnails[size], size) for size in ("high", "medium", "default") if size in thumbnails), {}
    )
    hidden = statistics.get("hiddenSubscriberCount") is True
    return Channel(
        id=wire.text(item.get("id"), "id", required=True, limit=100),
        handle=wire.text(snippet.get("customUrl"), "customUrl", limit=100).lstrip("@"),
        title=wire.text(snippet.get("title"), "title", limit=200),
        picture_url=wire.text(picture.get("url"), "thumbnail url", limit=2000),
        subscribers=None if hidden else wire.count(statistics.get("subscriberCount"), "subscriberCount"),
        uploads_playlist=wire.text(related.get("uploads"), "uploads", limit=100),
    )


def _video(item: dict) -> Video:
    snippet = wire.obj(item.get("snippet"), "snippet")
    statistics = wire.obj(item.get("statistics"), "statistics")
    return Video(
        id=wire.text(item.get("id"), "id", required=True, limit=100),
        published_at=wire.timestamp(snippet.get("publishedAt"), "publishedAt"),
        views=wire.count(statistics.get("viewCount"), "viewCount") or 0,
        likes=wire.count(statistics.get("likeCount"), "likeCount"),
        comments=wire.count(statistics.get("commentCount"), "commentCount") or 0,  # absent: comments are off
    )


_CREDENTIAL_REASONS = {"keyInvalid", "keyExpired", "accessNotConfigured", "forbidden", "ipRefererBlocked"}
_QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
_RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}


def _error(answer: Answer) -> Exception:
    """The error an answer other than 200 means (the body is Google's ``{"error": {"errors": [{"reason"}]}}``)."""
    error = answer.body.get("error") if isinstance(answer.body.get("error"), dict) else {}
    details = error.get("errors") if isinstance(error.get("errors"), list) else []
    reasons = {d.get("reason") for d in details if isinstance(d, dict)}
    message = str(error.get("message") or f"HTTP {answer.status}")[:300]
    if reasons & _QUOTA_REASONS:
        return QuotaExhausted(message)
    if reasons & _RATE_REASONS or answer.status == 429:
        return RateLimited(message, retry_after=60)
    if (
        reasons & _CREDENTIAL_REASONS
        or answer.status in (401, 403)
        or (error.get("status") == "INVALID_ARGUMENT" and ("API key" in message))
    ):
        return CredentialsRefused(f"{', '.join(sorted(r for r in reasons if r)) or answer.status}: {message}")
    if answer.status == 404:
        return NotFound(message)
    if answer.status >= 500:
        return PlatformDown(message)
    return BadAnswer(message)
