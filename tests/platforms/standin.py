"""A local HTTP server that answers like the YouTube Data API v3 and the Instagram Graph API (Business Discovery).

Shapes follow the official references: ``channels.list`` (``forHandle`` / ``id``), ``playlistItems.list`` and
``videos.list`` with ``nextPageToken`` paging, counts as decimal strings, ``hiddenSubscriberCount``, ``likeCount``
absent when hidden, Google's error bodies (``quotaExceeded``, ``keyInvalid``); the Graph API's field expansion with
``media.after(cursor)`` paging (``paging.cursors.after``), its error bodies (codes 4/17/32/613, 100, 110/2207013, 190)
and the ``X-App-Usage`` / ``X-Business-Use-Case-Usage`` headers. Tests and ``bench_sync`` start it on 127.0.0.1.
"""

import contextlib
import io
import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

YOUTUBE_PREFIX = "/youtube/v3"
GRAPH_PREFIX = "/v25.0"


@dataclass
class Item:
    """A video or an Instagram media."""

    id: str
    published_at: datetime
    likes: int | None = 100  # None: hidden
    comments: int = 10
    views: int = 1000


@dataclass
class Channel:
    id: str
    handle: str
    title: str = "A channel"
    subscribers: int = 10_000
    hidden_subscribers: bool = False
    videos: list[Item] = field(default_factory=list)  # newest first


@dataclass
class IgAccount:
    id: str
    username: str
    name: str = "An account"
    followers: int = 10_000
    follows: int = 300
    media: list[Item] = field(default_factory=list)  # newest first
    business: bool = True


def recent_items(prefix: str, count: int, *, likes=100, comments=10, days_apart: float = 3.0) -> list[Item]:
    now = datetime.now(UTC)
    return [
        Item(f"{prefix}{n}", now - timedelta(days=1 + n * days_apart), likes, comments, 1000 + n) for n in range(count)
    ]


def picture_bytes(color=(200, 80, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 320), color).save(out, "JPEG")
    return out.getvalue()


class World:
    """What the stand-in platforms hold, and what they should do wrong next."""

    def __init__(self):
        self.channels: dict[str, Channel] = {}
        self.ig: dict[str, IgAccount] = {}
        self.keys = {"test-key"}
        self.tokens = {"test-token"}
        self.ig_user_id = "17841400000000000"
        self.quota_exhausted = False
        self.ig_error: dict | None = None  # a Graph API error body to answer every request with
        self.ig_errors_for: dict[str, dict] = {}  # per username
        self.usage = {"call_count": 5, "total_cputime": 2, "total_time": 3}
        self.down = False
        self.modern_key_error = False  # answer a bad key in today's form instead of the classic keyInvalid
        self.latency = 0.0  # seconds each API answer waits, as a round trip to the real platforms would
        self.requests: Counter = Counter()
        self.paths: list[str] = []
        self.picture = picture_bytes()
        self.lock = threading.Lock()
        self.frozen = False  # True: the channels no longer change (the benchmark), so videos are looked up by id
        self._video_index: dict[str, Item] | None = None

    def videos(self, ids: set[str]) -> list[Item]:
        if self.frozen:
            if self._video_index is None:
                self._video_index = {v.id: v for c in self.channels.values() for v in c.videos}
            return [self._video_index[i] for i in ids if i in self._video_index]
        return [v for c in self.channels.values() for v in c.videos if v.id in ids]

    def add_channel(self, handle: str, **values) -> Channel:
        channel = Channel(id=values.pop("id", f"UC{handle}"), handle=handle, **values)
        self.channels[channel.id] = channel
        return channel

    def add_ig(self, username: str, **values) -> IgAccount:
        account = IgAccount(id=values.pop("id", f"1784{abs(hash(username)) % 10**10}"), username=username, **values)
        self.ig[username.lower()] = account
        return account


def _google_error(status: int, reason: str, message: str, domain: str = "youtube.quota") -> tuple[int, dict]:
    return status, {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real APIs
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms wait for a delayed ACK
    world: World
    base_url: str

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self.world.lock:
            self.world.paths.append(self.path)
        if self.world.down:
            return self._send(503, b"<html>Service Unavailable</html>", "text/html")
        if parts.path.startswith("/pictures/"):
            self._count("picture")
            return self._send(200, self.world.picture, "image/jpeg")
        if self.world.latency:
            time.sleep(self.world.latency)
        if parts.path.startswith(YOUTUBE_PREFIX + "/"):
            status, body = self._youtube(parts.path[len(YOUTUBE_PREFIX) + 1 :], query)
            return self._send_json(status, body)
        if parts.path.startswith(GRAPH_PREFIX + "/"):
            status, body = self._graph(parts.path[len(GRAPH_PREFIX) + 1 :], query)
            return self._send_json(status, body, {"X-App-Usage": json.dumps(self.world.usage)})
        return self._send_json(404, {"error": "no such path"})

    def _count(self, kind: str) -> None:
        with self.world.lock:
            self.world.requests[kind] += 1

    def _send(self, status: int, data: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _send_json(self, status: int, body: dict, headers: dict | None = None) -> None:
        self._send(status, json.dumps(body).encode(), "application/json; charset=UTF-8", headers)

    # --- YouTube ------------------------------------------------------------------------------

    def _youtube(self, resource: str, query: dict) -> tuple[int, dict]:
        self._count(f"youtube.{resource}")
        if query.get("key") not in self.world.keys:
            if self.world.modern_key_error:  # today's form: reason badRequest, the detail in status and details
                status, body = _google_error(
                    400, "badRequest", "API key not valid. Please pass a valid API key.", "global"
                )
                body["error"]["status"] = "INVALID_ARGUMENT"
                body["error"]["details"] = [
                    {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}
                ]
                return status, body
            return _google_error(400, "keyInvalid", "API key not valid. Please pass a valid API key.", "usageLimits")
        if self.world.quota_exhausted:
            return _google_error(
                403, "quotaExceeded", "The request cannot be completed because you have exceeded your quota."
            )
        if resource == "channels":
            return 200, self._channels(query)
        if resource == "playlistItems":
            return self._playlist_items(query)
        if resource == "videos":
            return 200, self._videos(query)
        return 404, {"error": {"code": 404, "message": "Not Found", "errors": []}}

    def _channel_json(self, channel: Channel) -> dict:
        statistics = {
            "viewCount": "123456",
            "hiddenSubscriberCount": channel.hidden_subscribers,
            "videoCount": str(len(channel.videos)),
        }
        if not channel.hidden_subscribers:
            statistics["subscriberCount"] = str(channel.subscribers)
        return {
            "kind": "youtube#channel",
            "etag": "x",
            "id": channel.id,
            "snippet": {
                "title": channel.title,
                "customUrl": f"@{channel.handle.lower()}",
                "thumbnails": {
                    "default": {"url": f"{self.base_url}/pictures/{channel.id}-88.jpg", "width": 88, "height": 88},
                    "high": {"url": f"{self.base_url}/pictures/{channel.id}.jpg", "width": 800, "height": 800},
                },
            },
            "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": f"UU{channel.id[2:]}"}},
            "statistics": statistics,
        }

    def _channels(self, query: dict) -> dict:
        if "forHandle" in query:
            handle = query["forHandle"].lstrip("@").lower()
            found = [c for c in self.world.channels.values() if c.handle.lower() == handle]
        else:
            ids = query.get("id", "").split(",")
            found = [self.world.channels[i] for i in ids if i in self.world.channels]
        body = {
            "kind": "youtube#channelListResponse",
            "etag": "x",
            "pageInfo": {"totalResults": len(found), "resultsPerPage": 5},
        }
        if found:  # the API leaves ``items`` out when nothing matched
            body["items"] = [self._channel_json(c) for c in found]
        return body

    def _playlist_items(self, query: dict) -> tuple[int, dict]:
        channel = self.world.channels.get("UC" + query.get("playlistId", "")[2:])
        if channel is None:
            return _google_error(
                404,
                "playlistNotFound",
                "The playlist identified with the request's playlistId parameter cannot be found.",
                "youtube.playlistItem",
            )
        size = min(int(query.get("maxResults", 5)), 50)
        start = int(query.get("pageToken", "0") or 0)
        page = channel.videos[start : start + size]
        body = {
            "kind": "youtube#playlistItemListResponse",
            "items": [
                {
                    "kind": "youtube#playlistItem",
                    "id": f"PI{v.id}",
                    "contentDetails": {
                        "videoId": v.id,
                        "videoPublishedAt": v.published_at.isoformat().replace("+00:00", "Z"),
                    },
                }
                for v in page
            ],
            "pageInfo": {"totalResults": len(channel.videos), "resultsPerPage": size},
        }
        if start + size < len(channel.videos):
            body["nextPageToken"] = str(start + size)
        return 200, body

    def _videos(self, query: dict) -> dict:
        wanted = set(query.get("id", "").split(","))
        items = []
        for v in self.world.videos(wanted):
            statistics = {"viewCount": str(v.views), "favoriteCount": "0", "commentCount": str(v.comments)}
            if v.likes is not None:
                statistics["likeCount"] = str(v.likes)
            items.append(
                {
                    "kind": "youtube#video",
                    "id": v.id,
                    "snippet": {
                        "publishedAt": v.published_at.isoformat().replace("+00:00", "Z"),
                        "title": f"Video {v.id}",
                    },
                    "statistics": statistics,
                }
            )
        return {"kind": "youtube#videoListResponse", "items": items, "pageInfo": {"totalResults": len(items)}}

    # --- Graph API ----------------------------------------------------------------------------

    def _graph(self, user_id: str, query: dict) -> tuple[int, dict]:
        self._count("instagram")
        if query.get("access_token") not in self.world.tokens:
            return 400, {
                "error": {
                    "message": "Error validating access token: Session has expired.",
                    "type": "OAuthException",
                    "code": 190,
                    "error_subcode": 463,
                    "fbtrace_id": "A1",
                }
            }
        if self.world.ig_error:
            return 400, self.world.ig_error
        match = re.match(r"^business_discovery\.username\(([^)]*)\)\{(.*)\}$", query.get("fields", ""))
        if user_id != self.world.ig_user_id or not match:
            return 400, {
                "error": {
                    "message": "(#100) Invalid parameter",
                    "type": "OAuthException",
                    "code": 100,
                    "fbtrace_id": "A2",
                }
            }
        username, fields = match.group(1), match.group(2)
        if username.lower() in self.world.ig_errors_for:
            return 400, self.world.ig_errors_for[username.lower()]
        account = self.world.ig.get(username.lower())
        if account is None or not account.business:
            return 400, {
                "error": {
                    "message": "Invalid user id",
                    "type": "OAuthException",
                    "code": 110,
                    "error_subcode": 2207013,
                    "is_transient": False,
                    "error_user_title": "Cannot find User",
                    "error_user_msg": f"The user with username: {username} cannot be found.",
                    "fbtrace_id": "A3",
                }
            }
        found = {"id": account.id}
        media = re.search(r"media(?:\.after\(([^)]*)\))?(?:\.limit\((\d+)\))?\{", fields)
        top = fields[: media.start()] if media else fields
        values = {
            "username": account.username,
            "name": account.name,
            "followers_count": account.followers,
            "follows_count": account.follows,
            "media_count": len(account.media),
            "profile_picture_url": f"{self.base_url}/pictures/ig-{account.id}.jpg?sig=abc&exp=1",
        }
        for name in top.strip(",").split(","):
            if name in values:
                found[name] = values[name]
        if media:
            start = int(media.group(1) or 0) if (media.group(1) or "0").isdigit() else 0
            size = int(media.group(2) or 25)
            page = account.media[start : start + size]
            data = []
            for m in page:
                item = {
                    "id": m.id,
                    "permalink": f"https://www.instagram.com/p/{m.id}/",
                    "timestamp": m.published_at.strftime("%Y-%m-%dT%H:%M:%S+0000"),
                    "comments_count": m.comments,
                    "media_type": "IMAGE",
                }
                if m.likes is not None:
                    item["like_count"] = m.likes
                data.append(item)
            edge = {"data": data, "paging": {"cursors": {"before": str(start)}}}
            if start + size < len(account.media):
                edge["paging"]["cursors"]["after"] = str(start + size)
            found["media"] = edge
        return 200, {"business_discovery": found, "id": self.world.ig_user_id}


class StandIn:
    """The server on 127.0.0.1 and a free port, in a thread; ``world`` is what it answers from."""

    def __init__(self, world: World | None = None, port: int = 0):
        self.world = world or World()
        handler = type("BoundHandler", (Handler,), {"world": self.world})
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        handler.base_url = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def youtube_url(self) -> str:
        return self.url + YOUTUBE_PREFIX

    @property
    def graph_url(self) -> str:
        return self.url + GRAPH_PREFIX

    def settings(self) -> dict:
        return {
            "YOUTUBE_API_KEY": "test-key",
            "YOUTUBE_API_URL": self.youtube_url,
            "INSTAGRAM_USER_ID": self.world.ig_user_id,
            "INSTAGRAM_ACCESS_TOKEN": "test-token",
            "INSTAGRAM_GRAPH_URL": self.graph_url,
        }

    def __enter__(self) -> "StandIn":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def bench_world(accounts: int, videos: int = 20) -> World:
    """The benchmark's platforms: ``accounts`` YouTube channels ``UCbench<n>`` with ``videos`` recent videos each."""
    world = World()
    for n in range(accounts):
        world.add_channel(f"bench{n}", id=f"UCbench{n}", subscribers=5000 + n, videos=recent_items(f"b{n}x", videos))
    world.frozen = True
    return world


def main() -> None:
    """``python -m tests.platforms.standin --accounts N``: serve the benchmark's world until stopped; the first line
    printed is the base URL."""
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--videos", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    options = parser.parse_args()
    world = bench_world(options.accounts, options.videos)
    world.latency = options.latency_ms / 1000
    server = StandIn(world)
    print(server.url, flush=True)
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        server.server.serve_forever()


if __name__ == "__main__":
    main()
