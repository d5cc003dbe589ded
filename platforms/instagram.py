"""The Instagram Graph API client: Business Discovery of another professional account, with its media, typed.

Everything comes from one field-expanded request per page of media on the deployment's own IG user:
``GET /{ig-user-id}?fields=business_discovery.username(<handle>){…,media.limit(50){…}}``; later pages ask for
``media.after(<cursor>)``. After every answer ``on_usage`` sees the response headers (Meta's usage percentages).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx

from . import wire
from .errors import BadAnswer, CredentialsRefused, NotBusiness, NotFound, PlatformDown, RateLimited
from .http import Answer, get_json

PAGE = 50
MAX_PAGES = 20
USERNAME = re.compile(r"^[A-Za-z0-9._]{1,30}$")
PROFILE_FIELDS = "id,username,name,profile_picture_url,followers_count,follows_count,media_count"
MEDIA_FIELDS = "id,permalink,timestamp,like_count,comments_count,media_type"


@dataclass(frozen=True)
class Media:
    id: str
    permalink: str
    timestamp: datetime
    likes: int | None  # None: the owner hides the like count
    comments: int


@dataclass(frozen=True)
class Profile:
    id: str
    username: str
    name: str
    picture_url: str
    followers: int
    follows: int | None
    media: list[Media]


class Instagram:
    def __init__(
        self,
        *,
        user_id: str,
        token: str,
        base_url: str,
        http: httpx.Client,
        on_usage: Callable[[httpx.Headers], None] = lambda headers: None,
        on_call: Callable[[], None] = lambda: None,
    ):
        self.user_id, self.token, self.base_url, self.http = user_id, token, base_url.rstrip("/"), http
        self.on_usage, self.on_call = on_usage, on_call

    def _discover(self, username: str, fields: str) -> dict:
        self.on_call()
        answer = get_json(
            self.http,
            f"{self.base_url}/{self.user_id}",
            {"fields": f"business_discovery.username({username}){{{fields}}}", "access_token": self.token},
        )
        if answer.status != 200 or "error" in answer.body:
            raise _error(answer, username)
        self.on_usage(answer.headers)
        discovered = wire.obj(answer.body.get("business_discovery"), "business_discovery")
        if not discovered:
            raise NotBusiness(f"no business or creator account @{username}")
        return discovered

    def profile(self, username: str, *, since: datetime, at_least: int) -> Profile:
        """The account and its media, newest first, until ``at_least`` are known and the rest are older than
        ``since`` (or the media end)."""
        if not USERNAME.match(username):
            raise NotFound(f"@{username} is not an Instagram username")
        found = self._discover(username, f"{PROFILE_FIELDS},media.limit({PAGE}){{{MEDIA_FIELDS}}}")
        edge = wire.obj(found.get("media"), "media")
        media = [_media(item) for item in wire.items(edge.get("data"), "media.data")]
        for _ in range(MAX_PAGES - 1):
            cursor = wire.obj(wire.obj(edge.get("paging"), "paging").get("cursors"), "cursors").get("after")
            enough = len(media) >= at_least and media and min(m.timestamp for m in media) < since
            if not cursor or enough or not edge.get("data"):
                break
            page = self._discover(username, f"media.after({cursor}).limit({PAGE}){{{MEDIA_FIELDS}}}")
            edge = wire.obj(page.get("media"), "media")
            media += [_media(item) for item in wire.items(edge.get("data"), "media.data")]
        followers = wire.count(found.get("followers_count"), "followers_count")
        if followers is None:
            raise BadAnswer("followers_count is missing")
        return Profile(
            id=wire.text(found.get("id"), "id", required=True, limit=100),
            username=wire.text(found.get("username"), "username", limit=100) or username,
            name=wire.text(found.get("name"), "name", limit=200),
            picture_url=wire.text(found.get("profile_picture_url"), "profile_picture_url", limit=2000),
            followers=followers,
            follows=wire.count(found.get("follows_count"), "follows_count"),
            media=media,
        )


def _media(item: dict) -> Media:
    return Media(
        id=wire.text(item.get("id"), "id", required=True, limit=100),
        permalink=wire.text(item.get("permalink"), "permalink", required=True, limit=500),
        timestamp=wire.timestamp(item.get("timestamp"), "timestamp"),
        likes=wire.count(item.get("like_count"), "like_count"),
        comments=wire.count(item.get("comments_count"), "comments_count") or 0,
    )


_RATE_CODES = {4, 17, 32, 613, 80002}
_CREDENTIAL_CODES = {102, 190, 10} | set(range(200, 300))


def _error(answer: Answer, username: str) -> Exception:
    """The error a Graph API answer means (``{"error": {"code", "error_subcode", "message"}}``)."""
    error = answer.body.get("error") if isinstance(answer.body.get("error"), dict) else {}
    code, subcode = error.get("code"), error.get("error_subcode")
    message = str(error.get("error_user_msg") or error.get("message") or f"HTTP {answer.status}")[:300]
    if code in _RATE_CODES or answer.status == 429:
        return RateLimited(f"code {code}: {message}", retry_after=3600)
    if code in _CREDENTIAL_CODES:
        return CredentialsRefused(f"code {code}: {message}")
    if code == 110 or subcode == 2207013:
        return NotBusiness(f"@{username} is no business or creator account (or does not exist, or is age-gated)")
    if code == 100:
        return NotFound(f"code 100: {message}")
    if code in (1, 2) or answer.status >= 500:
        return PlatformDown(f"code {code}: {message}")
    return BadAnswer(f"code {code}: {message}")
