"""Syncing accounts from the platforms' APIs (CONTRACT section 8): the field mapping, once, and the services.

An account's sync is one transaction (followers, posts upserted by url, today's snapshot, its sync state); a batch
asks the platform for many accounts at once where the API allows it, and recalculates the batch's creators after.
An account that is not synced (failed or deferred) keeps everything stored; only its sync state says why.
"""

import hashlib
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from creators import services as creator_services
from creators.models import Creator, SocialAccount

from . import quota
from .errors import AccountError, CredentialsRefused, Deferral, NotFound, PlatformDown, QuotaExhausted, SyncError
from .http import get_bytes, new_client
from .instagram import Instagram, Profile
from .models import AccountSync, SyncRun
from .youtube import YouTube

log = logging.getLogger(__name__)
PLATFORMS = ("youtube", "instagram")


def credentials_missing(platform: str) -> str:
    """Why ``platform`` cannot be synced on this deployment ('' when it can)."""
    if platform == "youtube":
        return "" if settings.YOUTUBE_API_KEY else "YOUTUBE_API_KEY is not set"
    if platform == "instagram":
        missing = [name for name in ("INSTAGRAM_USER_ID", "INSTAGRAM_ACCESS_TOKEN") if not getattr(settings, name)]
        return f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set" if missing else ""
    return f"{platform} accounts come from CSV files; only {' and '.join(PLATFORMS)} are synced"


def configured_platforms() -> list[str]:
    return [platform for platform in PLATFORMS if not credentials_missing(platform)]


# --- The mapping of CONTRACT section 8 ------------------------------------------------------------


@dataclass
class Fetched:
    """What a platform says about one account, in Microreach's terms."""

    platform_id: str
    followers: int | None  # None: hidden; the stored followers stay
    following: int | None
    display_name: str
    picture_url: str
    posts: list[dict]
    uploads_playlist: str = ""


def _wanted(posts: list[dict], since: datetime) -> list[dict]:
    """Every post within ER_WINDOW_DAYS and the ER_POST_COUNT most recent."""
    posts = sorted(posts, key=lambda p: p["posted_at"], reverse=True)
    return [p for n, p in enumerate(posts) if n < settings.ER_POST_COUNT or p["posted_at"] >= since]


def _youtube_post(video) -> dict:
    return {
        "url": f"https://www.youtube.com/watch?v={video.id}",
        "posted_at": video.published_at,
        "likes": video.likes,
        "comments": video.comments,
        "shares": 0,
        "saves": 0,
        "views": video.views,
    }


def _instagram_fetched(profile: Profile, since: datetime) -> Fetched:
    posts = [
        {
            "url": media.permalink,
            "posted_at": media.timestamp,
            "likes": media.likes,
            "comments": media.comments,
            "shares": 0,
            "saves": 0,
            "views": 0,
        }
        for media in profile.media
    ]
    return Fetched(
        platform_id=profile.id,
        followers=profile.followers,
        following=profile.follows,
        display_name=profile.name or profile.username,
        picture_url=profile.picture_url,
        posts=_wanted(posts, since),
    )


# --- Asking the platforms, a batch at a time ------------------------------------------------------


def _window() -> tuple[datetime, int]:
    return timezone.now() - timedelta(days=settings.ER_WINDOW_DAYS), settings.ER_POST_COUNT


def youtube_client(http: httpx.Client, spend=quota.youtube_spend) -> YouTube:
    return YouTube(key=settings.YOUTUBE_API_KEY, base_url=settings.YOUTUBE_API_URL, http=http, spend=spend)


def instagram_client(http: httpx.Client, on_usage) -> Instagram:
    return Instagram(
        user_id=settings.INSTAGRAM_USER_ID,
        token=settings.INSTAGRAM_ACCESS_TOKEN,
        base_url=settings.INSTAGRAM_GRAPH_URL,
        http=http,
        on_usage=on_usage,
        on_call=quota.instagram_count,
    )


def _youtube_fetch(accounts: list[SocialAccount], http: httpx.Client) -> Iterator[tuple[SocialAccount, object]]:
    """Each account with its Fetched or the AccountError that stops it. Channels and videos are asked for 50 at
    a time; a Deferral or CredentialsRefused propagates (the caller defers what is left)."""
    budget = quota.YouTubeBudget()
    try:
        yield from _youtube_batch(accounts, youtube_client(http, spend=budget.spend))
    finally:
        budget.release()


def _youtube_batch(accounts: list[SocialAccount], client: YouTube) -> Iterator[tuple[SocialAccount, object]]:
    since, at_least = _window()
    known = [a for a in accounts if a.sync.platform_id]
    channels = {}
    for start in range(0, len(known), 50):
        channels |= client.channels(a.sync.platform_id for a in known[start : start + 50])
    resolved: list[tuple[SocialAccount, object]] = []
    for account in accounts:
        try:
            if account.sync.platform_id:
                channel = channels.get(account.sync.platform_id)
                if channel is None:
                    raise NotFound(f"the channel {account.sync.platform_id} no longer exists")
            else:
                channel = client.channel_for_handle(account.handle)
        except AccountError as error:
            yield account, error
            continue
        resolved.append((account, channel))
    playlists = [channel.uploads_playlist for _, channel in resolved if channel.uploads_playlist]
    uploads = client.uploads_many(playlists, since=since, at_least=at_least) if playlists else {}
    wanted: list[tuple[SocialAccount, object, list[str]]] = []
    for account, channel in resolved:
        found = uploads.get(channel.uploads_playlist, [])
        if isinstance(found, AccountError):
            yield account, found
            continue
        if isinstance(found, SyncError):
            raise found  # a quota, rate limit, refusal or outage holds for the whole batch
        dated = sorted((u for u in found if u.published_at), key=lambda u: u.published_at, reverse=True)
        ids = [u.video_id for n, u in enumerate(dated) if n < at_least or u.published_at >= since]
        wanted.append((account, channel, ids))
    # The videos of every account of the batch, 50 a request.
    videos = {video.id: video for video in client.videos([i for _, _, ids in wanted for i in ids])}
    for account, channel, ids in wanted:
        posts = [_youtube_post(videos[i]) for i in ids if i in videos]
        yield (
            account,
            Fetched(
                platform_id=channel.id,
                followers=channel.subscribers,
                following=None,
                display_name=channel.title,
                picture_url=channel.picture_url,
                posts=_wanted(posts, since),
                uploads_playlist=channel.uploads_playlist,
            ),
        )


def _instagram_fetch(accounts: list[SocialAccount], http: httpx.Client) -> Iterator[tuple[SocialAccount, object]]:
    last_headers: list = []
    client = instagram_client(http, on_usage=last_headers.append)
    since, at_least = _window()
    for account in accounts:
        if last_headers:
            quota.instagram_pace(last_headers[-1])  # slows down, or stops (RateLimited) before Meta refuses
        try:
            yield account, _instagram_fetched(client.profile(account.handle, since=since, at_least=at_least), since)
        except AccountError as error:
            yield account, error


FETCHERS = {"youtube": _youtube_fetch, "instagram": _instagram_fetch}


# --- Storing one account --------------------------------------------------------------------------


def _avatar(http: httpx.Client, account: SocialAccount, url: str) -> str | None:
    """The stored name of the account's profile picture, downloaded now when it is missing or older than
    AVATAR_REFRESH_DAYS; None to keep what is stored. Never raises: a picture is no reason to fail a sync."""
    fetched_at = account.sync.avatar_fetched_at
    fresh = fetched_at and timezone.now() - fetched_at < timedelta(days=settings.AVATAR_REFRESH_DAYS)
    if not url or (account.avatar and fresh):
        return None
    try:
        data = get_bytes(http, url, limit=settings.AVATAR_MAX_BYTES)
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (400, 400))
            picture = image.convert("RGB")
        picture.thumbnail((160, 160))
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=85)
    except (PlatformDown, UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        log.warning("No profile picture for %s: %s", account, error)
        return None
    content = out.getvalue()
    name = f"avatars/{hashlib.sha256(content).hexdigest()[:24]}.jpg"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    return name


def _store(account: SocialAccount, fetched: Fetched, avatar: str | None, now: datetime, existing: dict) -> None:
    """Write one account's sync, all of it or nothing."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # What a sync writes can be asked for again: a crash may lose the last moments of syncs (whole
            # transactions, each with its sync state), never half of one, so the commit need not wait for the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        values = {"display_name": fetched.display_name[:200], "synced_at": now}
        if fetched.followers is not None:
            values["followers"] = fetched.followers
        if fetched.following is not None:
            values["following"] = fetched.following
        if avatar:
            values["avatar"] = avatar
        SocialAccount.objects.filter(pk=account.pk).update(**values, updated_at=now)
        if fetched.display_name and account.creator.name == f"@{account.handle}":
            # A creator added from a profile URL is named after its account until now.
            Creator.objects.filter(pk=account.creator_id, name=f"@{account.handle}").update(
                name=fetched.display_name[:200]
            )
        if avatar:
            # The creator's picture is that of its largest account that has one.
            largest = (
                SocialAccount.objects.filter(creator_id=account.creator_id).exclude(avatar="").order_by("-followers")
            ).first()
            Creator.objects.filter(pk=account.creator_id).update(avatar=largest.avatar.name if largest else avatar)
        creator_services.posts_store(account=account, posts=fetched.posts, existing=existing)
        creator_services.snapshots_record(account_ids=[account.pk])
        AccountSync.objects.filter(pk=account.pk).update(
            platform_id=fetched.platform_id[:100],
            uploads_playlist=fetched.uploads_playlist[:100],
            status=AccountSync.Status.SYNCED,
            last_attempt_at=now,
            last_synced_at=now,
            next_attempt_at=now + timedelta(hours=settings.SYNC_INTERVAL_HOURS),
            failures=0,
            error_reason="",
            error_message="",
            **({"avatar_fetched_at": now} if avatar else {}),
        )


def _mark(account: SocialAccount, error: SyncError, now: datetime) -> None:
    """Record why an account was not synced and when to try again; nothing else of it changes."""
    state = account.sync
    if isinstance(error, Deferral):
        status, failures = AccountSync.Status.DEFERRED, state.failures
        retry = timedelta(seconds=error.retry_after or 3600)
    else:
        status, failures = AccountSync.Status.FAILED, state.failures + 1
        if isinstance(error, PlatformDown):
            retry = timedelta(minutes=min(15 * 2 ** (failures - 1), 24 * 60))
        else:  # the account itself: ask again on the next daily round
            retry = timedelta(hours=settings.SYNC_INTERVAL_HOURS)
    AccountSync.objects.filter(pk=account.pk).update(
        status=status,
        failures=failures,
        last_attempt_at=now,
        next_attempt_at=now + retry,
        error_reason=error.reason,
        error_message=error.message[:500],
    )


def mark_all(into: list, accounts: Iterable[SocialAccount], error: SyncError) -> None:
    now = timezone.now()
    for account in accounts:
        _mark(account, error, now)
        into.append((account, error))


# --- A batch --------------------------------------------------------------------------------------


@dataclass
class Outcome:
    platform: str
    synced: list[SocialAccount] = field(default_factory=list)
    failed: list[tuple[SocialAccount, SyncError]] = field(default_factory=list)
    deferred: list[tuple[SocialAccount, SyncError]] = field(default_factory=list)
    refused: CredentialsRefused | None = None
    deferral: Deferral | None = None  # the quota or rate limit that stopped the batch
    down: PlatformDown | None = None  # the platform stopped answering: ``remaining`` were not asked
    remaining: list[int] = field(default_factory=list)

    def add(self, other: "Outcome") -> None:
        self.synced += other.synced
        self.failed += other.failed
        self.deferred += other.deferred
        self.refused = self.refused or other.refused
        self.deferral = self.deferral or other.deferral
        self.down = other.down
        self.remaining = other.remaining

    def problems(self) -> list[tuple[SocialAccount, SyncError]]:
        return self.failed + self.deferred


def ensure_states(account_ids: Iterable[int]) -> None:
    AccountSync.objects.bulk_create(
        [AccountSync(account_id=pk, next_attempt_at=timezone.now()) for pk in account_ids], ignore_conflicts=True
    )


def sync_batch(*, platform: str, account_ids: Iterable[int], http: httpx.Client | None = None) -> Outcome:
    """Sync these accounts of ``platform`` (about SYNC_BATCH_SIZE of them), then recalculate their creators.

    Failing accounts are recorded and the others go on; a quota or rate limit defers every account not yet
    synced; refused credentials stop the batch (``refused``); so does a platform that stops answering (``down``:
    the accounts it was not asked about are ``remaining``, for the task to retry with backoff)."""
    ids = list(account_ids)
    ensure_states(ids)
    accounts = list(
        SocialAccount.objects.filter(pk__in=ids, platform=platform).select_related("sync", "creator").order_by("pk")
    )
    outcome = Outcome(platform)
    own_http = http is None
    http = http or new_client()
    fetched: list[tuple[SocialAccount, object]] = []
    stop: SyncError | None = None
    try:
        # Everything is asked for first (the network waits overlap where the API allows), then stored account by
        # account; a refusal part-way stops the asking, and what was fetched before it is still stored.
        fetched.extend(FETCHERS[platform](accounts, http))
    except SyncError as error:
        stop = error
    posts = [post for _, result in fetched if isinstance(result, Fetched) for post in result.posts]
    existing = creator_services.posts_by_url(
        (post["url"] for post in posts),
        account_ids=[account.pk for account, result in fetched if isinstance(result, Fetched)],
        since=min((post["posted_at"] for post in posts), default=None),
    )
    try:
        for account, result in fetched:
            if isinstance(result, SyncError):
                mark_all(outcome.failed, [account], result)
                continue
            _store(account, result, _avatar(http, account, result.picture_url), timezone.now(), existing)
            outcome.synced.append(account)
    finally:
        if own_http:
            http.close()
    done = {account.pk for account, _ in fetched}
    rest = [a for a in accounts if a.pk not in done]
    if isinstance(stop, QuotaExhausted) and platform == "youtube":
        quota.youtube_exhausted()  # whoever said so, today's quota is gone: later slices wait for the reset
    if isinstance(stop, Deferral):
        outcome.deferral = stop
        mark_all(outcome.deferred, rest, stop)
    elif isinstance(stop, CredentialsRefused):
        outcome.refused = stop
        mark_all([], rest, stop)
    elif isinstance(stop, PlatformDown):
        outcome.down = stop
        outcome.remaining = [a.pk for a in rest]
    elif stop is not None:  # an answer about the whole batch (a malformed channel list, say)
        mark_all(outcome.failed, rest, stop)
    if outcome.synced:
        creator_services.recalculate(creator_ids={a.creator_id for a in outcome.synced})
    return outcome


# --- Which accounts, and a whole run --------------------------------------------------------------


def accounts_to_sync(platform: str, *, handles: Iterable[str] = (), due_only: bool = False):
    """The accounts of ``platform`` a run covers: the named handles (any creator), or the active creators' accounts
    (with ``due_only``, those whose next attempt has come), least recently attempted first."""
    accounts = SocialAccount.objects.filter(platform=platform)
    handles = [h.strip().lstrip("@").lower() for h in handles if h.strip().lstrip("@")]
    if handles:
        q = Q()
        for handle in handles:
            q |= Q(handle__iexact=handle)
        return accounts.filter(q).order_by("pk")
    accounts = accounts.filter(creator__status=Creator.Status.ACTIVE)
    if due_only:
        accounts = accounts.filter(Q(sync__isnull=True) | Q(sync__next_attempt_at__lte=timezone.now()))
    return accounts.order_by(F("sync__next_attempt_at").asc(nulls_first=True), "pk")


def batches(ids: list[int]) -> Iterator[list[int]]:
    size = settings.SYNC_BATCH_SIZE
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def run_start(*, platform: str, accounts: int, trigger: str) -> SyncRun:
    return SyncRun.objects.create(platform=platform, accounts=accounts, trigger=trigger)


def run_record(run_id: int, outcome: Outcome) -> None:
    """Add a batch's counts to its run (concurrent batches add with F expressions)."""
    values = {
        "synced": F("synced") + len(outcome.synced),
        "failed": F("failed") + len(outcome.failed),
        "deferred": F("deferred") + len(outcome.deferred),
    }
    if outcome.refused:
        values["error"] = str(outcome.refused)[:500]
    SyncRun.objects.filter(pk=run_id).update(**values)


def accounts_by_id(ids: list[int]) -> list[SocialAccount]:
    return list(SocialAccount.objects.filter(pk__in=ids).select_related("sync").order_by("pk"))


def sync_now(*, platform: str, account_ids: list[int], trigger: str = "command") -> Outcome:
    """Sync these accounts in the foreground, batch after batch, into one recorded run."""
    run = run_start(platform=platform, accounts=len(account_ids), trigger=trigger)
    ensure_states(account_ids)
    total = Outcome(platform)
    with new_client() as http:
        for number, batch in enumerate(batches(account_ids)):
            outcome = sync_batch(platform=platform, account_ids=batch, http=http)
            if outcome.down:
                # A foreground run does not wait: what the platform was not asked about is left for a later run.
                mark_all(outcome.failed, accounts_by_id(outcome.remaining), outcome.down)
            run_record(run.pk, outcome)
            total.add(outcome)
            if outcome.refused:
                break
            if outcome.deferral:
                # The limit holds for the accounts still to come too: defer them without asking.
                later = [pk for rest in list(batches(account_ids))[number + 1 :] for pk in rest]
                deferred = Outcome(platform)
                mark_all(deferred.deferred, accounts_by_id(later), outcome.deferral)
                run_record(run.pk, deferred)
                total.add(deferred)
                break
    SyncRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    return total
