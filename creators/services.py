"""Writes to the creator base: curation, CSV imports, follower snapshots and recalculation."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from audit import context as audit_context
from audit.tracking import record_import, record_many

from . import csvfiles, importguard, metrics, staging
from .models import Creator, Niche, Post, SocialAccount

BATCH = 2000  # rows per statement: PostgreSQL allows 65,535 parameters, a creator row has ~20

CREATOR_COLUMNS = {
    "required": ["name", "email", "platform", "handle", "followers"],
    "optional": ["country", "niches", "following", "profile_url", "city", "rate"],
}
POST_COLUMNS = {
    "required": ["platform", "handle", "posted_at", "url"],
    "optional": ["likes", "comments", "shares", "saves", "views"],
}
Progress = Callable[[str, int, int], None]  # (phase, rows done, rows in all), called now and then by an import
PROGRESS_EVERY = 5000  # rows


def no_progress(phase: str, done: int, total: int) -> None:
    """The progress callback of an import nobody watches."""


POST_COUNTS = ("likes", "comments", "shares", "saves", "views")
CREATOR_FIELDS = ("name", "email", "country", "city", "rate")
ACCOUNT_FIELDS = ("followers", "following", "profile_url")


@dataclass
class ImportSummary:
    """What an import wrote, as counts per kind of object and action."""

    counts: dict[str, int] = field(default_factory=dict)
    creator_ids: set[int] = field(default_factory=set)
    rows: int = 0  # data rows in the file

    def add(self, key: str, number: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + number

    def __str__(self) -> str:
        return "; ".join(f"{key}: {value}" for key, value in self.counts.items())


def _chunks(values: Iterable, size: int = BATCH) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _accounts_by_key(keys: set[tuple[str, str]]) -> dict[tuple[str, str], SocialAccount]:
    """Existing accounts keyed by (platform, lower-case handle)."""
    found: dict[tuple[str, str], SocialAccount] = {}
    by_platform: dict[str, set[str]] = defaultdict(set)
    for platform, handle in keys:
        by_platform[platform].add(handle)
    for platform, handles in by_platform.items():
        # By platform and lower-case handle: the columns of the unique index, so each chunk is an index lookup.
        for chunk in _chunks(handles, 2000):
            accounts = SocialAccount.objects.annotate(handle_lower=Lower("handle")).filter(
                platform=platform, handle_lower__in=chunk
            )
            # Only what the import compares and writes: a file's worth of full rows would dominate its time.
            wanted = ("platform", "handle", "creator__email", "creator__name", *ACCOUNT_FIELDS)
            for account in accounts.select_related("creator").only(*wanted):
                found[(platform, account.handle_lower)] = account
    return found


# --- Creators -------------------------------------------------------------------------------------


@dataclass
class _AccountRow:
    number: int
    platform: str
    handle: str
    followers: int
    following: int | None
    profile_url: str


@dataclass
class _CreatorRow:
    email: str
    fields: dict[str, object]
    first_row: dict[str, int]
    niches: list[str] = field(default_factory=list)
    accounts: list[_AccountRow] = field(default_factory=list)


def _parse_creators(
    table: csvfiles.Table, problems: list[csvfiles.Problem], progress: Progress
) -> dict[str, _CreatorRow]:
    creators: dict[str, _CreatorRow] = {}
    seen_accounts: dict[tuple[str, str], int] = {}
    total = len(table.rows)
    for index, (number, cells) in enumerate(table.rows):
        if index % PROGRESS_EVERY == 0:
            progress("checking", index, total)
        row = csvfiles.RowReader(number, cells, problems)
        values = {
            "name": row.text("name", required=True),
            "country": row.country(),
            "city": row.text("city", max_length=100),
            "rate": row.decimal("rate"),
        }
        email = row.email("email")
        niches = [name.strip() for name in row.text("niches", max_length=2000).split(";") if name.strip()]
        for name in niches:
            if len(name) > 80:
                row.error("niches", f"niche name {name[:20]!r}… is longer than 80 characters")
        account = _AccountRow(
            number=number,
            platform=row.platform(),
            handle=row.handle(),
            followers=row.integer("followers", required=True),
            following=row.integer("following"),
            profile_url=row.url("profile_url"),
        )
        key = (account.platform, account.handle.lower())
        if account.handle and key in seen_accounts:
            row.error(
                "handle",
                f"the same account ({account.platform} @{account.handle}) is already in row {seen_accounts[key]}",
            )
        seen_accounts.setdefault(key, number)
        if not email:
            continue
        creator = creators.setdefault(email, _CreatorRow(email=email, fields={}, first_row={}))
        for column, value in values.items():
            if value in ("", None):
                continue
            if column in creator.fields and creator.fields[column] != value:
                row.error(column, f"differs from row {creator.first_row[column]} for the same email")
            else:
                creator.fields.setdefault(column, value)
                creator.first_row.setdefault(column, number)
        creator.niches += [n for n in niches if n.lower() not in {m.lower() for m in creator.niches}]
        creator.accounts.append(account)
    return creators


def _niches_by_name(names: set[str], summary: ImportSummary) -> dict[str, Niche]:
    """Niches keyed by lower-case name; unknown names are created."""
    found = {}
    for chunk in _chunks({n.lower() for n in names}):
        for niche in Niche.objects.annotate(name_lower=Lower("name")).filter(name_lower__in=chunk):
            found[niche.name_lower] = niche
    for name in sorted(names, key=str.lower):
        if name.lower() not in found:
            found[name.lower()] = niche_create(name=name)
            summary.add("niches created")
    return found


def niche_create(*, name: str, description: str = "") -> Niche:
    """Create a niche with a unique slug derived from its name."""
    base = slugify(name)[:70] or "niche"
    slug, n = base, 1
    while Niche.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    niche = Niche(name=name, slug=slug, description=description)
    niche.full_clean()
    niche.save()
    return niche


def creators_import(
    *,
    text: str,
    today: date | None = None,
    wait: float = importguard.WAIT_SECONDS,
    name: str = "",
    progress: Progress = no_progress,
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


def _creators_import(*, text: str, today: date | None, progress: Progress = no_progress) -> ImportSummary:
    problems: list[csvfiles.Problem] = []
    table = csvfiles.read_table(text, **CREATOR_COLUMNS)
    rows = len(table.rows)
    parsed = _parse_creators(table, problems, progress)
    progress("matching", rows, rows)
    existing_creators: dict[str, Creator] = {}
    for emails in _chunks(parsed, 2000):
        # ``email <> ''`` lets PostgreSQL use the partial unique index on lower(email).
        matching = Creator.objects.exclude(email="").annotate(email_lower=Lower("email"))
        for creator in matching.filter(email_lower__in=emails).only(*CREATOR_FIELDS):
            existing_creators[creator.email_lower] = creator
    keys = {(a.platform, a.handle.lower()) for c in parsed.values() for a in c.accounts}
    existing_accounts = _accounts_by_key(keys)
    for row in parsed.values():
        for account in row.accounts:
            owner = existing_accounts.get((account.platform, account.handle.lower()))
            if owner and not owner.creator.email and row.email not in existing_creators:
                # A creator added from a profile URL has no e-mail yet: the file's row gives it one.
                existing_creators[row.email] = owner.creator
            elif owner and owner.creator.email.lower() != row.email:
                problems.append(
                    csvfiles.Problem(
                        account.number,
                        "handle",
                        f"{account.platform} @{account.handle} belongs to another creator ({owner.creator.email})",
                    )
                )
    if problems:
        raise csvfiles.InvalidFile(sorted(problems, key=lambda p: p.row))

    # The writes: a few set-based statements per file (every value was validated above, row by row).
    progress("writing", 0, rows)
    summary = ImportSummary(rows=rows)
    niches = _niches_by_name({n for c in parsed.values() for n in c.niches}, summary)
    through = Creator.niches.through
    tagged: dict[int, set[int]] = defaultdict(set)
    for ids in _chunks([c.pk for c in existing_creators.values()]):
        for creator_id, niche_id in through.objects.filter(creator_id__in=ids).values_list("creator_id", "niche_id"):
            tagged[creator_id].add(niche_id)
    now = timezone.now()
    new_creators, changed_creators = [], {}
    for row in parsed.values():
        creator = existing_creators.get(row.email)
        if creator is None:
            new_creators.append(Creator(email=row.email, **row.fields))
        elif _assign(creator, {**row.fields, "email": row.email}):
            creator.updated_at = now
            changed_creators[creator.pk] = creator
    Creator.objects.bulk_create(new_creators, batch_size=BATCH)
    Creator.objects.bulk_update(changed_creators.values(), [*CREATOR_FIELDS, "updated_at"], batch_size=BATCH)
    creators = {**existing_creators, **{c.email: c for c in new_creators}}
    new_tags, retagged = [], set()
    for row in parsed.values():
        creator = creators[row.email]
        missing = {niches[n.lower()].pk for n in row.niches} - tagged[creator.pk]
        new_tags += [through(creator_id=creator.pk, niche_id=niche_id) for niche_id in missing]
        if missing:
            retagged.add(creator.pk)
        summary.creator_ids.add(creator.pk)
    through.objects.bulk_create(new_tags, batch_size=BATCH, ignore_conflicts=True)
    summary.add("creators created", len(new_creators))
    updated = len(set(changed_creators) | (retagged - {c.pk for c in new_creators}))
    summary.add("creators updated", updated)
    summary.add("creators unchanged", len(existing_creators) - updated)
    account_ids = _accounts_write(parsed.values(), creators, existing_accounts, summary, now)
    if recorded := snapshots_record(account_ids=account_ids, day=today):
        summary.add("follower snapshots recorded", recorded)
    summary.counts = {key: value for key, value in summary.counts.items() if value}
    return summary


def _assign(instance, values: dict) -> bool:
    """Set the given attributes; return whether any value changed."""
    changed = False
    for name, value in values.items():
        if value not in ("", None) and getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _accounts_write(rows, creators: dict[str, Creator], existing: dict, summary: ImportSummary, now) -> list[int]:
    """Create the new accounts and update the changed ones in bulk; return the ids of every account of the file."""
    new_accounts, changed, unchanged = [], [], []
    for row in rows:
        for line in row.accounts:
            account = existing.get((line.platform, line.handle.lower()))
            values = {"followers": line.followers, "following": line.following, "profile_url": line.profile_url}
            if account is None:
                creator = creators[row.email]
                new_accounts.append(
                    SocialAccount(creator_id=creator.pk, platform=line.platform, handle=line.handle, **values)
                )
            elif _assign(account, values):
                account.updated_at = now
                changed.append(account)
            else:
                unchanged.append(account)
    SocialAccount.objects.bulk_create(new_accounts, batch_size=BATCH)
    SocialAccount.objects.bulk_update(changed, [*ACCOUNT_FIELDS, "updated_at"], batch_size=BATCH)
    summary.add("accounts created", len(new_accounts))
    summary.add("accounts updated", len(changed))
    summary.add("accounts unchanged", len(unchanged))
    return [a.pk for a in (*new_accounts, *changed, *unchanged)]


# --- Posts ----------------------------------------------------------------------------------------


def posts_import(
    *, text: str, wait: float = importguard.WAIT_SECONDS, name: str = "", progress: Progress = no_progress
) -> ImportSummary:
    """Import posts from CSV text, all or nothing; raise InvalidFile listing every problem (as creators_import)."""
    return importguard.one_at_a_time(
        _audited(_posts_import, "posts", name, Post), wait=wait, text=text, progress=progress
    )


_POST_STAGE = "import_posts_stage"
_POST_STAGE_COLUMNS = (
    ("row_no", "integer"),
    ("platform", "text"),
    ("handle", "text"),
    ("handle_lower", "text"),
    ("url", "text"),
    ("posted_at", "timestamp with time zone"),
    *((name, "bigint") for name in POST_COUNTS),
)
# The file's rows matched with their accounts (by the columns of the (platform, lower(handle)) unique index).
_STAGED_ACCOUNTS = f"""{_POST_STAGE} s JOIN creators_socialaccount a
    ON a.platform = s.platform AND LOWER(a.handle) = s.handle_lower"""
_POST_PROBLEM_SQL = {
    "duplicate": f"""
        SELECT row_no, first FROM (
            SELECT row_no, MIN(row_no) OVER (PARTITION BY url) AS first FROM {_POST_STAGE} WHERE url <> ''
        ) d WHERE row_no <> first""",
    "unknown": f"""
        SELECT s.row_no, s.platform, s.handle FROM {_POST_STAGE} s
        WHERE s.platform <> '' AND s.handle_lower <> '' AND NOT EXISTS (
            SELECT 1 FROM creators_socialaccount a WHERE a.platform = s.platform AND LOWER(a.handle) = s.handle_lower
        )""",
    "another": f"""
        SELECT s.row_no FROM {_STAGED_ACCOUNTS} JOIN creators_post p ON p.url = s.url WHERE p.account_id <> a.id""",
}
_POST_WRITE_SQL = {
    "update": f"""
        UPDATE creators_post SET posted_at = s.posted_at, {", ".join(f"{c} = s.{c}" for c in POST_COUNTS)},
               updated_at = %s
        FROM {_POST_STAGE} s
        WHERE creators_post.url = s.url AND ({
        " OR ".join(f"creators_post.{c} IS DISTINCT FROM s.{c}" for c in ("posted_at", *POST_COUNTS))
    })""",
    "insert": f"""
        INSERT INTO creators_post (account_id, url, posted_at, {", ".join(POST_COUNTS)}, created_at, updated_at)
        SELECT a.id, s.url, s.posted_at, {", ".join(f"s.{c}" for c in POST_COUNTS)}, %s, %s
        FROM {_STAGED_ACCOUNTS}
        WHERE NOT EXISTS (SELECT 1 FROM creators_post p WHERE p.url = s.url)""",
    "creators": f"SELECT DISTINCT a.creator_id FROM {_STAGED_ACCOUNTS}",
}


def _posts_import(*, text: str, progress: Progress = no_progress) -> ImportSummary:
    """Rows are validated one at a time as they stream into a staging table; the checks across the file (the same
    url twice, unknown accounts, another account's post) and the writes are set-based statements on it."""
    problems: list[csvfiles.Problem] = []
    total = csvfiles.data_rows(text)
    rows = csvfiles.read_rows(text, **POST_COLUMNS, problems=problems)
    next(rows)  # the header, checked
    with staging.staging_table(_POST_STAGE, _POST_STAGE_COLUMNS) as stage:
        with stage.filling():
            for number, cells in rows:
                if stage.rows % PROGRESS_EVERY == 0:
                    progress("checking", stage.rows, total)
                row = csvfiles.RowReader(number, cells, problems)
                platform, handle = row.platform(), row.handle()
                posted_at = row.timestamp("posted_at")
                counts = [row.integer(name) or 0 for name in POST_COUNTS]
                url = row.url("url", required=True)
                stage.write((number, platform, handle, handle.lower(), url, posted_at, *counts))
        progress("matching", stage.rows, stage.rows)
        problems += _posts_problems()
        if problems:
            raise csvfiles.InvalidFile(sorted(problems, key=lambda p: p.row))
        progress("writing", 0, stage.rows)
        summary = ImportSummary(rows=stage.rows)
        with connection.cursor() as cursor:
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            cursor.execute(_POST_WRITE_SQL["update"], [now])
            updated = cursor.rowcount
            cursor.execute(_POST_WRITE_SQL["insert"], [now, now])
            created = cursor.rowcount
            cursor.execute(_POST_WRITE_SQL["creators"])
            summary.creator_ids = {creator_id for (creator_id,) in cursor.fetchall()}
    summary.counts = {"posts created": created, "posts updated": updated}
    if unchanged := summary.rows - created - updated:
        summary.add("posts unchanged", unchanged)
    return summary


def _posts_problems() -> list[csvfiles.Problem]:
    """The problems that span the file, from the staged rows (the same url twice, an account that does not exist,
    a url stored for another account), in the order the rows' own problems come."""
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(_POST_PROBLEM_SQL["duplicate"])
        for number, first in cursor.fetchall():
            problems.append(csvfiles.Problem(number, "url", f"the same post is already in row {first}"))
        cursor.execute(_POST_PROBLEM_SQL["unknown"])
        for number, platform, handle in cursor.fetchall():
            message = f"no {platform} account @{handle}; import it with import_creators first"
            problems.append(csvfiles.Problem(number, "handle", message))
        cursor.execute(_POST_PROBLEM_SQL["another"])
        problems += [csvfiles.Problem(number, "url", "this post belongs to another account") for (number,) in cursor]
    return problems


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
    return Creator.objects.filter(pk__in=ids).count()


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
        if account_ids is None:
            cursor.execute(_SNAPSHOT_SQL.format(where="TRUE"), [day_value])
            changed = cursor.rowcount
            metrics.growth_record(day=day)
            return changed
        changed = 0
        for ids in _chunks(sorted(set(account_ids))):
            placeholders = ", ".join(["%s"] * len(ids))
            cursor.execute(_SNAPSHOT_SQL.format(where=f"id IN ({placeholders})"), [day_value, *ids])
            changed += cursor.rowcount
            metrics.growth_record(day=day, account_ids=ids)
        return changed
