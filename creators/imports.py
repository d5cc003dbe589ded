"""The CSV imports of CONTRACT section 4, inside the caller's transaction: every row is validated in Python as it is
read (the same ``row N: column: message`` problems as always), the file's rows go into temporary staging tables
(``COPY`` on PostgreSQL), and the checks that span the file and every write are a few set-based statements on them,
so an import costs a number of statements that does not grow with its rows, and memory holds the file's text and
one row at a time (creators: one small record per creator, to compare the rows of one e-mail).

``services.creators_import`` and ``services.posts_import`` wrap these in the import lock and the audit trail.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from . import csvfiles, staging
from .models import Creator, Niche, SocialAccount
from .problemlog import ProblemLog

CREATOR_COLUMNS = {
    "required": ["name", "email", "platform", "handle", "followers"],
    "optional": ["country", "niches", "following", "profile_url", "city", "rate"],
}
POST_COLUMNS = {
    "required": ["platform", "handle", "posted_at", "url"],
    "optional": ["likes", "comments", "shares", "saves", "views"],
}
POST_COUNTS = ("likes", "comments", "shares", "saves", "views")
BATCH = 5_000
# Called now and then by an import: (phase, done, in all), rows while it checks; while it writes, the parts of the
# writing done, in all, and the part it writes now (``part=``, one of CREATOR_PARTS or POST_PARTS).
Progress = Callable[..., None]
PROGRESS_EVERY = 5000  # rows
CREATOR_PARTS = ("creators and their niches", "accounts", "follower snapshots")
POST_PARTS = ("changed posts", "new posts")


def no_progress(phase: str, done: int, total: int, part: str = "") -> None:
    """The progress callback of an import nobody watches."""


def writing(progress: Progress, parts: tuple[str, ...], part: str) -> None:
    """Tell ``progress`` that the import now writes ``part``, one of its ``parts`` (the ones before it done)."""
    progress("writing", parts.index(part), len(parts), part=part)


@dataclass
class ImportSummary:
    """What an import wrote, as counts per kind of object and action ("accounts created"); a key ending in
    " unchanged" counts rows that wrote nothing (``ImportJob.changed`` reads the stored counts so)."""

    counts: dict[str, int] = field(default_factory=dict)
    creator_ids: set[int] = field(default_factory=set)
    account_ids: list[int] = field(default_factory=list)
    rows: int = 0  # data rows in the file

    def add(self, key: str, number: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + number

    def __str__(self) -> str:
        return "; ".join(f"{key}: {value}" for key, value in self.counts.items())


def _fetch(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _rows(sql: str, params=()) -> Iterator[tuple]:
    """The rows of a query in order, ``BATCH`` at a time (a problem check can match every row of a big file)."""
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY 1", params)
        while batch := cursor.fetchmany(BATCH):
            yield from batch


def _execute(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _now() -> str:
    return connection.ops.adapt_datetimefield_value(timezone.now())


def _plan(setting: str, value: str) -> None:
    """A planner setting for the rest of the import's transaction (PostgreSQL; nothing elsewhere)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {setting} = {value}")


def _plan_for_lookups() -> None:
    """Tell PostgreSQL that an index lookup costs little more than reading the next page (``random_page_cost`` 1.1
    instead of 4, the usual value for data on SSDs or in memory). With the default it matched the staged rows with a
    database of 1,000,000 creators by reading and hashing every account (1.6 M rows) in each of six statements: 8.1 s
    of a 100,000-row re-import, 2.2 s with index lookups."""
    _plan("random_page_cost", "1.1")


def _defaults(model: type[Model], given: tuple[str, ...]) -> tuple[list[str], list]:
    """The columns of ``model`` an INSERT must fill besides ``given`` and the timestamps, with their defaults as
    Django would save them (the model's defaults live in Python, not in the database)."""
    columns, values = [], []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.generated or model_field.attname in given:
            continue
        if model_field.attname in ("created_at", "updated_at"):
            continue
        columns.append(model_field.column)
        values.append(model_field.get_db_prep_save(model_field.get_default(), connection))
    return columns, values


def _stage_rows(
    text: str,
    columns: dict,
    stage: staging.StagingTable,
    problems: ProblemLog,
    progress: Progress,
    check: Callable[[csvfiles.RowReader], None],
) -> None:
    """Read the file's rows one at a time and ``check`` each (which stages what it needs in ``stage``), telling
    ``progress`` how far it is; a row's problems go to ``problems``."""
    total = csvfiles.data_rows(text)
    rows = csvfiles.read_rows(text, **columns, problems=problems)
    next(rows)  # the header, checked
    with stage.filling():
        for number, cells in rows:
            if stage.rows % PROGRESS_EVERY == 0:
                progress("checking", stage.rows, total)
            check(csvfiles.RowReader(number, cells, problems))
    progress("matching", stage.rows, stage.rows)


def _refuse(problems: ProblemLog) -> None:
    """All or nothing: any problem, and nothing is written (the problems in row order, a row's own checks first)."""
    if problems:
        raise csvfiles.InvalidFile(problems)


# --- Creators -------------------------------------------------------------------------------------


@dataclass
class _CreatorRow:
    fields: dict[str, object]
    first_row: dict[str, int]
    niches: dict[str, str] = field(default_factory=dict)  # lower-case name -> the file's spelling


_CREATOR_STAGE = "import_creators_stage"
_ACCOUNT_STAGE = "import_accounts_stage"
_NICHE_STAGE = "import_niches_stage"
_STAGES = {
    _CREATOR_STAGE: (
        ("email", "text"),
        ("name", "text"),
        ("country", "text"),
        ("city", "text"),
        ("rate", "decimal(12, 2)"),
    ),
    _ACCOUNT_STAGE: (
        ("row_no", "integer"),
        ("email", "text"),
        ("platform", "text"),
        ("handle", "text"),
        ("handle_lower", "text"),
        ("followers", "bigint"),
        ("following", "bigint"),
        ("profile_url", "text"),
    ),
    _NICHE_STAGE: (("email", "text"), ("niche_id", "integer")),
}
# A stored creator by the file's (lower-case) e-mail: the columns of the partial unique index on lower(email).
# The staged side is wrapped in LOWER() too (a no-op, the file's values are lower-case already): SQLite uses an
# expression index only when the other side carries no column affinity, and a partial index only when the query
# repeats its condition as written (NOT (email = '')).
_BY_EMAIL = "NOT (c.email = '') AND LOWER(c.email) = LOWER({stage}.email)"
_BY_HANDLE = "a.platform = {stage}.platform AND LOWER(a.handle) = LOWER({stage}.handle_lower)"
_CREATOR_SQL = {
    # An account of the file stored under another creator (one with an e-mail, or an e-mail-less one when the file's
    # e-mail is already a creator's).
    "taken": f"""
        SELECT s.row_no, s.platform, s.handle, c.email
        FROM {_ACCOUNT_STAGE} s
        JOIN creators_socialaccount a ON {_BY_HANDLE.format(stage="s")}
        JOIN creators_creator c ON c.id = a.creator_id
        WHERE LOWER(c.email) <> s.email AND (c.email <> '' OR EXISTS (
            SELECT 1 FROM creators_creator e WHERE NOT (e.email = '') AND LOWER(e.email) = LOWER(s.email)))""",
    # A creator added from a profile URL has no e-mail yet: the file's row of its account gives it one.
    "adopt": f"""
        UPDATE creators_creator SET email = adopted.email, updated_at = %s
        FROM (
            SELECT s.email, MIN(a.creator_id) AS id
            FROM {_ACCOUNT_STAGE} s
            JOIN creators_socialaccount a ON {_BY_HANDLE.format(stage="s")}
            JOIN creators_creator o ON o.id = a.creator_id AND o.email = ''
            WHERE NOT EXISTS (SELECT 1 FROM creators_creator c WHERE {_BY_EMAIL.format(stage="s")})
            GROUP BY s.email
        ) adopted
        WHERE creators_creator.id = adopted.id
        RETURNING creators_creator.id""",
    # The file's values where given and different (an empty cell keeps what is stored).
    "update": f"""
        UPDATE creators_creator SET
            email = s.email,
            name = s.name,
            country = CASE WHEN s.country <> '' THEN s.country ELSE creators_creator.country END,
            city = CASE WHEN s.city <> '' THEN s.city ELSE creators_creator.city END,
            rate = COALESCE(s.rate, creators_creator.rate),
            updated_at = %s
        FROM {_CREATOR_STAGE} s
        WHERE NOT (creators_creator.email = '') AND LOWER(creators_creator.email) = LOWER(s.email)
          AND (creators_creator.email <> s.email OR creators_creator.name <> s.name
               OR (s.country <> '' AND creators_creator.country <> s.country)
               OR (s.city <> '' AND creators_creator.city <> s.city)
               OR (s.rate IS NOT NULL AND (creators_creator.rate IS NULL OR creators_creator.rate <> s.rate)))
        RETURNING creators_creator.id""",
    "insert": f"""
        INSERT INTO creators_creator (email, name, country, city, rate, {{columns}}, created_at, updated_at)
        SELECT s.email, s.name, s.country, s.city, s.rate, {{values}}, %s, %s FROM {_CREATOR_STAGE} s
        WHERE NOT EXISTS (SELECT 1 FROM creators_creator c WHERE {_BY_EMAIL.format(stage="s")})
        RETURNING id""",
    "tag": f"""
        INSERT INTO creators_creator_niches (creator_id, niche_id)
        SELECT DISTINCT c.id, n.niche_id
        FROM {_NICHE_STAGE} n JOIN creators_creator c ON {_BY_EMAIL.format(stage="n")}
        WHERE NOT EXISTS (
            SELECT 1 FROM creators_creator_niches t WHERE t.creator_id = c.id AND t.niche_id = n.niche_id)
        RETURNING creator_id""",
    "account_update": f"""
        UPDATE creators_socialaccount SET
            followers = s.followers,
            following = COALESCE(s.following, creators_socialaccount.following),
            profile_url = CASE WHEN s.profile_url <> '' THEN s.profile_url ELSE creators_socialaccount.profile_url END,
            updated_at = %s
        FROM {_ACCOUNT_STAGE} s
        WHERE creators_socialaccount.platform = s.platform
          AND LOWER(creators_socialaccount.handle) = LOWER(s.handle_lower)
          AND (creators_socialaccount.followers <> s.followers
               OR (s.following IS NOT NULL AND creators_socialaccount.following IS DISTINCT FROM s.following)
               OR (s.profile_url <> '' AND creators_socialaccount.profile_url <> s.profile_url))
        RETURNING creators_socialaccount.creator_id""",
    "account_insert": f"""
        INSERT INTO creators_socialaccount (creator_id, platform, handle, followers, following, profile_url,
                                            {{columns}}, created_at, updated_at)
        SELECT c.id, s.platform, s.handle, s.followers, s.following, s.profile_url, {{values}}, %s, %s
        FROM {_ACCOUNT_STAGE} s JOIN creators_creator c ON {_BY_EMAIL.format(stage="s")}
        WHERE NOT EXISTS (SELECT 1 FROM creators_socialaccount a WHERE {_BY_HANDLE.format(stage="s")})
        RETURNING creator_id""",
    "accounts": f"SELECT a.id FROM {_ACCOUNT_STAGE} s JOIN creators_socialaccount a ON {_BY_HANDLE.format(stage='s')}",
}


def creators_from_text(*, text: str, progress: Progress = no_progress) -> ImportSummary:
    """Import creators and accounts from CSV text, all or nothing (inside the caller's transaction); raise
    InvalidFile listing every problem. The summary's ``account_ids`` are the file's accounts."""
    problems = ProblemLog()
    _plan_for_lookups()
    creators: dict[str, _CreatorRow] = {}
    seen_accounts: dict[tuple[str, str], int] = {}
    with (
        staging.staging_table(_CREATOR_STAGE, _STAGES[_CREATOR_STAGE]) as creator_stage,
        staging.staging_table(_ACCOUNT_STAGE, _STAGES[_ACCOUNT_STAGE]) as account_stage,
        staging.staging_table(_NICHE_STAGE, _STAGES[_NICHE_STAGE]) as niche_stage,
    ):
        _stage_rows(
            text,
            CREATOR_COLUMNS,
            account_stage,
            problems,
            progress,
            lambda row: _creator_row(row, creators, seen_accounts, account_stage),
        )
        problems.extend(_taken_accounts())
        _refuse(problems)

        writing(progress, CREATOR_PARTS, "creators and their niches")
        summary = ImportSummary(rows=account_stage.rows)
        niches = _niches_by_name({name for c in creators.values() for name in c.niches.values()}, summary)
        with creator_stage.filling():
            for email, row in creators.items():
                values = row.fields
                creator_stage.write(
                    (email, values["name"], values.get("country", ""), values.get("city", ""), values.get("rate"))
                )
        with niche_stage.filling():
            for email, row in creators.items():
                for name in row.niches:
                    niche_stage.write((email, niches[name].pk))
        _creators_write(summary, creator_stage.rows)
        writing(progress, CREATOR_PARTS, "accounts")
        _accounts_write(summary, account_stage.rows)
    summary.counts = {key: value for key, value in summary.counts.items() if value}
    return summary


def _creator_row(
    row: csvfiles.RowReader,
    creators: dict[str, _CreatorRow],
    seen_accounts: dict[tuple[str, str], int],
    stage: staging.StagingTable,
) -> None:
    """Check one row; stage its account and merge its creator's values with the other rows of the same e-mail."""
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
    platform, handle = row.platform(), row.handle()
    followers, following = row.integer("followers", required=True), row.integer("following")
    profile_url = row.url("profile_url")
    key = (platform, handle.lower())
    if handle and key in seen_accounts:
        row.error("handle", f"the same account ({platform} @{handle}) is already in row {seen_accounts[key]}")
    seen_accounts.setdefault(key, row.number)
    if not email:
        return
    stage.write((row.number, email, platform, handle, handle.lower(), followers, following, profile_url))
    creator = creators.setdefault(email, _CreatorRow(fields={}, first_row={}))
    for column, value in values.items():
        if value in ("", None):
            continue
        if column in creator.fields and creator.fields[column] != value:
            row.error(column, f"differs from row {creator.first_row[column]} for the same email")
        else:
            creator.fields.setdefault(column, value)
            creator.first_row.setdefault(column, row.number)
    for name in niches:
        creator.niches.setdefault(name.lower(), name)


def _taken_accounts() -> Iterator[csvfiles.Problem]:
    for number, platform, handle, owner in _rows(_CREATOR_SQL["taken"]):
        yield csvfiles.Problem(number, "handle", f"{platform} @{handle} belongs to another creator ({owner})")


def _creators_write(summary: ImportSummary, staged: int) -> None:
    now = _now()
    changed = {creator_id for (creator_id,) in _fetch(_CREATOR_SQL["adopt"], [now])}
    changed |= {creator_id for (creator_id,) in _fetch(_CREATOR_SQL["update"], [now])}
    columns, values = _defaults(Creator, ("email", "name", "country", "city", "rate"))
    insert = _CREATOR_SQL["insert"].format(columns=", ".join(columns), values=", ".join(["%s"] * len(values)))
    created = {creator_id for (creator_id,) in _fetch(insert, [*values, now, now])}
    changed |= {creator_id for (creator_id,) in _fetch(_CREATOR_SQL["tag"])}
    updated = len(changed - created)
    summary.add("creators created", len(created))
    summary.add("creators updated", updated)
    summary.add("creators unchanged", staged - len(created) - updated)
    summary.creator_ids |= changed | created


def _accounts_write(summary: ImportSummary, staged: int) -> None:
    now = _now()
    updated = [creator_id for (creator_id,) in _fetch(_CREATOR_SQL["account_update"], [now])]
    given = ("creator_id", "platform", "handle", "followers", "following", "profile_url")
    columns, values = _defaults(SocialAccount, given)
    insert = _CREATOR_SQL["account_insert"].format(columns=", ".join(columns), values=", ".join(["%s"] * len(values)))
    created = [creator_id for (creator_id,) in _fetch(insert, [*values, now, now])]
    summary.add("accounts created", len(created))
    summary.add("accounts updated", len(updated))
    summary.add("accounts unchanged", staged - len(created) - len(updated))
    summary.creator_ids |= {*created, *updated}  # the creators to recalculate: those whose data changed
    summary.account_ids = [account_id for (account_id,) in _fetch(_CREATOR_SQL["accounts"])]


def _niches_by_name(names: set[str], summary: ImportSummary) -> dict[str, Niche]:
    """Niches keyed by lower-case name; unknown names are created (with the file's first spelling)."""
    found = {}
    lowered = sorted({n.lower() for n in names})
    for start in range(0, len(lowered), 2000):
        chunk = lowered[start : start + 2000]
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


# --- Posts ----------------------------------------------------------------------------------------


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
    ON a.platform = s.platform AND LOWER(a.handle) = LOWER(s.handle_lower)"""
_POST_PROBLEM_SQL = {
    "duplicate": f"""
        SELECT row_no, first FROM (
            SELECT row_no, MIN(row_no) OVER (PARTITION BY url) AS first FROM {_POST_STAGE} WHERE url <> ''
        ) d WHERE row_no <> first""",
    "unknown": f"""
        SELECT s.row_no, s.platform, s.handle FROM {_POST_STAGE} s
        WHERE s.platform <> '' AND s.handle_lower <> '' AND NOT EXISTS (
            SELECT 1 FROM creators_socialaccount a
            WHERE a.platform = s.platform AND LOWER(a.handle) = LOWER(s.handle_lower)
        )""",
    "another": f"""
        SELECT s.row_no FROM {_STAGED_ACCOUNTS} JOIN creators_post p ON p.url = s.url WHERE p.account_id <> a.id""",
}
_POST_DIFFERS = " OR ".join(f"{{post}}.{c} IS DISTINCT FROM s.{c}" for c in ("posted_at", *POST_COUNTS))
_POST_WRITE_SQL = {
    # The creators whose posts the file creates or changes (read before the writes): those to recalculate.
    "creators": f"""
        SELECT DISTINCT a.creator_id FROM {_STAGED_ACCOUNTS}
        WHERE NOT EXISTS (
            SELECT 1 FROM creators_post p WHERE p.url = s.url AND NOT ({_POST_DIFFERS.format(post="p")}))""",
    "update": f"""
        UPDATE creators_post SET posted_at = s.posted_at, {", ".join(f"{c} = s.{c}" for c in POST_COUNTS)},
               updated_at = %s
        FROM {_POST_STAGE} s
        WHERE creators_post.url = s.url AND ({_POST_DIFFERS.format(post="creators_post")})""",
    "insert": f"""
        INSERT INTO creators_post (account_id, url, posted_at, {", ".join(POST_COUNTS)}, created_at, updated_at)
        SELECT a.id, s.url, s.posted_at, {", ".join(f"s.{c}" for c in POST_COUNTS)}, %s, %s
        FROM {_STAGED_ACCOUNTS}
        WHERE NOT EXISTS (SELECT 1 FROM creators_post p WHERE p.url = s.url)""",
}


def posts_from_text(*, text: str, progress: Progress = no_progress) -> ImportSummary:
    """Import posts from CSV text, all or nothing (inside the caller's transaction); raise InvalidFile listing every
    problem. The checks across the file (the same url twice, unknown accounts, another account's post) and the
    writes are set-based statements on the staged rows."""
    problems = ProblemLog()
    _plan_for_lookups()
    with staging.staging_table(_POST_STAGE, _POST_STAGE_COLUMNS) as stage:
        _stage_rows(text, POST_COLUMNS, stage, problems, progress, lambda row: _post_row(row, stage))
        for check in _posts_problems():
            problems.extend(check)
        _refuse(problems)
        writing(progress, POST_PARTS, "changed posts")
        summary = ImportSummary(rows=stage.rows)
        summary.creator_ids = {creator_id for (creator_id,) in _fetch(_POST_WRITE_SQL["creators"])}
        now = _now()
        # Each staged url looked up, never all the stored posts hashed: 1,000,000 staged rows against 20 M posts took
        # 10 s by hash, 1.3 s by lookups; on a small table the two cost about the same.
        _plan("enable_hashjoin", "off")
        updated = _execute(_POST_WRITE_SQL["update"], [now])
        _plan("enable_hashjoin", "on")
        writing(progress, POST_PARTS, "new posts")
        created = _execute(_POST_WRITE_SQL["insert"], [now, now])
    summary.counts = {"posts created": created, "posts updated": updated}
    if unchanged := summary.rows - created - updated:
        summary.add("posts unchanged", unchanged)
    return summary


def _post_row(row: csvfiles.RowReader, stage: staging.StagingTable) -> None:
    """Check one row and stage it (its values as read, so that the checks across the file see every row)."""
    platform, handle = row.platform(), row.handle()
    posted_at = row.timestamp("posted_at")
    counts = [row.integer(name) or 0 for name in POST_COUNTS]
    url = row.url("url", required=True)
    stage.write((row.number, platform, handle, handle.lower(), url, posted_at, *counts))


def _posts_problems() -> Iterator[Iterator[csvfiles.Problem]]:
    """The checks that span the file, from the staged rows (the same url twice, an account that does not exist, a
    url stored for another account), each one's problems in row order."""
    yield (
        csvfiles.Problem(number, "url", f"the same post is already in row {first}")
        for number, first in _rows(_POST_PROBLEM_SQL["duplicate"])
    )
    yield (
        csvfiles.Problem(number, "handle", f"no {platform} account @{handle}; import it with import_creators first")
        for number, platform, handle in _rows(_POST_PROBLEM_SQL["unknown"])
    )
    yield (
        csvfiles.Problem(number, "url", "this post belongs to another account")
        for (number,) in _rows(_POST_PROBLEM_SQL["another"])
    )
