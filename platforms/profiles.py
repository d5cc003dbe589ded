"""Adding creators from the profile URLs or handles people paste, then syncing them."""

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import transaction

from creators.models import Creator, SocialAccount

log = logging.getLogger(__name__)
HANDLES = {
    # YouTube handles: 3–30 letters, digits, underscores, hyphens and periods; Instagram usernames: 1–30 of
    # letters, digits, underscores and periods.
    "youtube": re.compile(r"^[A-Za-z0-9_.\-]{3,30}$"),
    "instagram": re.compile(r"^[A-Za-z0-9_.]{1,30}$"),
}
HOSTS = {
    "youtube.com": "youtube",
    "m.youtube.com": "youtube",
    "music.youtube.com": "youtube",
    "instagram.com": "instagram",
    "m.instagram.com": "instagram",
    "instagr.am": "instagram",
}
INSTAGRAM_NOT_PROFILES = {"p", "reel", "reels", "tv", "stories", "explore", "accounts", "direct", "about"}


def profile_url(platform: str, handle: str) -> str:
    return f"https://www.youtube.com/@{handle}" if platform == "youtube" else f"https://www.instagram.com/{handle}/"


def parse(text: str, platform: str = "") -> tuple[str, str]:
    """(platform, handle) from a profile URL, or from ``@handle`` / ``handle`` with ``platform``; ValueError
    with a message a person can act on otherwise."""
    text = text.strip().strip("<>\"'")
    if not text:
        raise ValueError("empty")
    looks_like_url = "/" in text or text.lower().startswith(("http:", "https:", "www."))
    if not looks_like_url:
        if platform not in HANDLES:
            raise ValueError("a bare handle needs a platform: choose YouTube or Instagram, or paste the profile URL")
        return platform, _handle(platform, text.lstrip("@"))
    parts = urlsplit(text if "//" in text else f"https://{text}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    found = HOSTS.get(host)
    if found is None:
        raise ValueError(f"{host or text!r} is not a YouTube or Instagram address")
    segments = [s for s in parts.path.split("/") if s]
    if found == "youtube":
        if not segments or not segments[0].startswith("@"):
            raise ValueError("use the channel's handle URL, like https://www.youtube.com/@name (see the channel page)")
        return found, _handle(found, segments[0][1:])
    if not segments or segments[0].lower() in INSTAGRAM_NOT_PROFILES:
        raise ValueError("that is not a profile: use https://www.instagram.com/<username>/")
    return found, _handle(found, segments[0].lstrip("@"))


def _handle(platform: str, handle: str) -> str:
    if not HANDLES[platform].match(handle):
        raise ValueError(f"@{handle[:40]} is not a valid {'YouTube handle' if platform == 'youtube' else 'username'}")
    return handle


@dataclass
class Added:
    created: list[SocialAccount] = field(default_factory=list)
    found: list[SocialAccount] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, message)

    @property
    def accounts(self) -> list[SocialAccount]:
        return self.created + self.found


def accounts_add(*, text: str, platform: str = "", limit: int = 500) -> Added:
    """Add an account (and a creator, named after it until the sync) for each line of ``text`` that is new; find
    the existing one (any case) for the others. All or nothing: with any problem, nothing is added. The new
    accounts are synced once the transaction commits."""
    result = Added()
    wanted: dict[tuple[str, str], str] = {}
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) > limit:
        result.problems.append((0, "", f"at most {limit} profiles at a time ({len(lines)} given)"))
        return result
    for number, line in lines:
        try:
            key_platform, handle = parse(line, platform)
        except ValueError as error:
            result.problems.append((number, line, str(error)))
            continue
        wanted.setdefault((key_platform, handle.lower()), handle)
    if result.problems or not wanted:
        return result
    with transaction.atomic():
        for (key_platform, lower), handle in wanted.items():
            existing = SocialAccount.objects.filter(platform=key_platform, handle__iexact=lower).first()
            if existing:
                result.found.append(existing)
                continue
            creator = Creator.objects.create(name=f"@{handle}", email="")
            result.created.append(
                SocialAccount.objects.create(
                    creator=creator, platform=key_platform, handle=handle, profile_url=profile_url(key_platform, handle)
                )
            )
        accounts_sync_soon(result.created)
    return result


def accounts_sync_soon(accounts: list[SocialAccount]) -> None:
    """Sync new accounts once the transaction commits (those of a configured platform; the others stay as given)."""
    from . import sync, tasks

    sync.ensure_states(a.pk for a in accounts)
    for name in sync.configured_platforms():
        ids = [a.pk for a in accounts if a.platform == name]
        if ids:
            transaction.on_commit(lambda name=name, ids=ids: _queue(tasks, name, ids))


def _queue(tasks, platform: str, ids: list[int]) -> None:
    try:
        tasks.enqueue(platform, ids, trigger="added")
    except Exception:  # the broker is down: the accounts are due now, and the next scheduled slice takes them
        log.exception("Could not queue the sync of new accounts")
