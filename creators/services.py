"""Writes to the creator base: curation, CSV imports, follower snapshots and recalculation."""

from collections.abc import Iterable, Iterator
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from audit import context as audit_context
from audit.tracking import record_import, record_many

from . import importguard, imports, metrics
from .imports import POST_COUNTS, ImportSummary
from .models import Creator, Post, SocialAccount

BATCH = 2000  # rows per statement: PostgreSQL allows 65,535 parameters, a creator row has ~20


def _chunks(values: Iterable, size: int = BATCH) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def creators_import(
    *,
    text: str,
    today: date | None = None,
    wait: float = importguard.WAIT_SECONDS,
    name: str = "",
    progress: imports.Progress = imports.no_progress,
) -> ImportSummary:
    """Import creators and accounts from CSV text, all or nothing; raise InvalidFile listing every problem.
    Waits up to ``wait`` seconds for an import already running (then InvalidFile says so). The audit trail
    records the file (``name``) as one event. ``progress`` hears how far the import is."""
    return importguard.one_at_a_time(
        _audited(_creators_import, "creators", name, Creator), wait=wait, text=text, today=today, progress=progress
    )


def _audited(work, kind: str, name: str, model):
    def run(**kwargs) -> ImportSummary:
        actor = audit_context.current()
        with audit_context.acting(actor.user, actor.source, bulk=True):
            summary = work(**kwargs)
        record_import(kind=kind, name=name or "(unnamed)", summary=str(summary), model=model)
        return summary

    return run


def _creators_import(
    *, text: str, today: date | None, progress: imports.Progress = imports.no_progress
) -> ImportSummary:
    summary = imports.creators_from_text(text=text, progress=progress)
    imports.writing(progress, imports.CREATOR_PARTS, "follower snapshots")
    if recorded := snapshots_record(account_ids=summary.account_ids, day=today):
        summary.add("follower snapshots recorded", recorded)
    return summary


# --- Posts ----------------------------------------------------------------------------------------


def posts_import(
    *,
    text: str,
    wait: float = importguard.WAIT_SECONDS,
    name: str = "",
    progress: imports.Progress = imports.no_progress,
) -> ImportSummary:
    """Import posts from CSV text, all or nothing; raise InvalidFile listing every problem (as creators_import)."""
    return importguard.one_at_a_time(
        _audited(imports.posts_from_text, "posts", name, Post), wait=wait, text=text, progress=progress
    )


def _posts_write(rows: Iterable[tuple[SocialAccount, str, dict]], existing: dict[str, Post]) -> tuple[int, int]:
    """Create the posts whose url is new and update those whose values changed, a statement per BATCH rows (the
    objects of one batch at a time in memory); a url that belongs to another account is left alone. Return how
    many were created and updated."""
    new_posts, changed_posts, created, updated = [], [], 0, 0
    now = timezone.now()
    for account, url, values in rows:
        post = existing.get(url)
        if post is None:
            new_posts.append(Post(account_id=account.pk, url=url, **values))
        elif post.account_id == account.pk and any(getattr(post, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(post, name, value)
            post.updated_at = now
            changed_posts.append(post)
        if len(new_posts) >= BATCH:
            created += len(Post.objects.bulk_create(new_posts))
            new_posts = []
        if len(changed_posts) >= BATCH:
            updated += Post.objects.bulk_update(changed_posts, ["posted_at", *POST_COUNTS, "updated_at"])
            changed_posts = []
    created += len(Post.objects.bulk_create(new_posts))
    updated += (
        Post.objects.bulk_update(changed_posts, ["posted_at", *POST_COUNTS, "updated_at"]) if changed_posts else 0
    )
    return created, updated


def posts_by_url(urls: Iterable[str], *, account_ids: Iterable[int] = (), since=None) -> dict[str, Post]:
    """The stored posts with these urls, a few queries however many. With ``account_ids`` (the accounts the urls
    come from) and ``since`` (the oldest of their times), those accounts' posts are read first, along the
    (account, posted_at) index, and only the urls not found there are looked up in the url index."""
    urls = set(urls)
    found: dict[str, Post] = {}
    if account_ids and urls and since is not None:
        recent = Post.objects.filter(account_id__in=list(account_ids), posted_at__gte=since)
        found = {p.url: p for p in recent if p.url in urls}
    for chunk in _chunks(urls - found.keys()):
        # Only what _posts_write compares and writes (a file's worth of whole rows would dominate its memory).
        stored = Post.objects.filter(url__in=chunk).only("url", "account_id", "posted_at", *POST_COUNTS)
        found |= {post.url: post for post in stored}
    return found


def posts_store(
    *, account: SocialAccount, posts: list[dict], existing: dict[str, Post] | None = None
) -> tuple[int, int]:
    """Upsert an account's posts by url (each a dict of ``url``, ``posted_at`` and the counts of POST_COUNTS,
    ``likes`` None when hidden); a url already stored for another account is left alone. ``existing``: the stored
    posts of these urls when the caller read them already (``posts_by_url``). Return (created, updated).
    """
    rows = [(account, post["url"], {k: v for k, v in post.items() if k != "url"}) for post in posts]
    if existing is None:
        existing = posts_by_url(url for _, url, _ in rows)
    return _posts_write(rows, existing)


# --- Curation -------------------------------------------------------------------------------------


def creators_set_status(*, creator_ids: Iterable[int], status: str) -> int:
    """Archive or restore creators (nothing is deleted) and recalculate their flags; return how many changed."""
    ids = list(creator_ids)
    with transaction.atomic():
        to_change = list(Creator.objects.filter(pk__in=ids).exclude(status=status).only("pk", "name", "status"))
        changed = Creator.objects.filter(pk__in=[c.pk for c in to_change]).update(
            status=status, updated_at=timezone.now()
        )
        record_many(Creator, to_change, "changed", lambda c: {"status": [c.status, status]})
        recalculate(creator_ids=ids)
    return changed


def recalculate(*, creator_ids: Iterable[int] | None = None) -> int:
    """Recompute every stored metric (every registered step); return how many creators were recalculated.

    All creators: a full run, recorded and under the full-run lock (raises RuntimeError while another holds it).
    Given creators: at once, inside the caller's transaction.
    """
    from . import recalculation

    if creator_ids is None:
        run = recalculation.run_in_foreground(trigger="service")
        if run is None:
            raise RuntimeError("A full recalculation is already running.")
        return run.creators_updated
    ids = list(creator_ids)
    recalculation.recalculate_scope(metrics.Scope(ids=ids))
    return Creator.objects.filter(pk__any_of=ids).count()  # one array parameter, however many ids


def recalculate_soon(*, creator_ids: Iterable[int]) -> None:
    """Have the given creators recalculated shortly after the current transaction commits (coalesced)."""
    from .recalculation import request_recalculation

    request_recalculation(creator_ids)


_SNAPSHOT_SQL = """
INSERT INTO creators_followersnapshot (account_id, date, followers, engagement_rate)
SELECT id, %s, followers, engagement_rate FROM creators_socialaccount WHERE {where}
ON CONFLICT (account_id, date) DO UPDATE
SET followers = excluded.followers, engagement_rate = excluded.engagement_rate
WHERE creators_followersnapshot.followers IS DISTINCT FROM excluded.followers
   OR creators_followersnapshot.engagement_rate IS DISTINCT FROM excluded.engagement_rate
"""


def snapshots_daily() -> int:
    """Today's snapshot of every account, and every account's growth window moved on to today; return how many
    snapshots were added or changed."""
    recorded = snapshots_record()
    metrics.growth_expire()
    return recorded


@transaction.atomic
def snapshots_record(*, account_ids: Iterable[int] | None = None, day: date | None = None) -> int:
    """Record the current followers (and ER) of the given accounts, every account when None, as their snapshot
    for ``day`` (today), set-based, and take them into the accounts' growth figures; return how many snapshots
    were added or changed."""
    day = day or timezone.localdate()
    day_value = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        changed = 0
        for where, params, ids in _snapshot_batches(account_ids):
            cursor.execute(_SNAPSHOT_SQL.format(where=where), [day_value, *params])
            changed += cursor.rowcount
            metrics.growth_record(day=day, account_ids=ids)
        return changed


def _snapshot_batches(account_ids: Iterable[int] | None) -> Iterator[tuple[str, list, list[int] | None]]:
    """(condition on the accounts, its parameters, the accounts or None for all) per statement. PostgreSQL takes
    every account in one array parameter: a statement per batch would find the batches before it among the day's
    snapshots each time (the growth figures read them by day), a cost quadratic in the file."""
    if account_ids is None:
        yield "TRUE", [], None
        return
    given = sorted(set(account_ids))
    if given and connection.vendor == "postgresql":
        yield "id = ANY(%s)", [given], given
        return
    for ids in _chunks(given):
        yield f"id IN ({', '.join(['%s'] * len(ids))})", ids, ids
