"""Reads of the creator base: export rows and the queries pages share."""

import csv
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django_countries import countries

from config.spreadsheets import safe_row

from . import hooks, metrics
from .models import Creator, FollowerSnapshot, Niche, Post, SocialAccount

# The directory's sort parameter (CONTRACT section 6): label, order, tie-break. "-x" is descending, as in Django.
SORTS = {
    "-followers": ("Followers, most first", "-followers", "-id"),
    "followers": ("Followers, fewest first", "followers", "id"),
    "-er": ("ER, highest first", "-engagement_rate", "-id"),
    "er": ("ER, lowest first", "engagement_rate", "id"),
    "name": ("Name A–Z", "name", "id"),
    "-name": ("Name Z–A", "-name", "-id"),
    "-added": ("Recently added", "-created_at", "-id"),
    "added": ("Oldest added", "created_at", "id"),
    # Without a brand there is no fit score (the fit order is the brand's, see hooks.register_directory_order): ER
    # stands in for it.
    "-fit": ("Best fit for my brand", "-engagement_rate", "-id"),
    "fit": ("Worst fit first", "engagement_rate", "id"),
}
DIRECTORY_LOOKUPS = {
    "tier": "tier",
    "country": "country",
    "city": "city__iexact",
    "min_followers": "followers__gte",
    "max_followers": "followers__lte",
    "min_er": "engagement_rate__gte",
    "max_er": "engagement_rate__lte",
    "min_rate": "rate__gte",
    "max_rate": "rate__lte",
}

EXPORT_COLUMNS = [
    "email",
    "name",
    "country",
    "niches",
    "status",
    "primary_platform",
    "primary_handle",
    "followers",
    "tier",
    "engagement_rate",
    "flagged",
    "accounts",
    "city",
    "rate",
    "cost_per_engagement",
]


def creators_for_export(queryset: QuerySet[Creator] | None = None) -> QuerySet[Creator]:
    """The creators with everything an export row needs, in a constant number of queries."""
    queryset = Creator.objects.all() if queryset is None else queryset
    return queryset.select_related("primary_account").prefetch_related(
        Prefetch("niches", queryset=Niche.objects.only("id", "name").order_by())
    )


def export_row(creator: Creator) -> list[str]:
    """One CSV row of CONTRACT section 4's export, from stored values only."""
    primary = creator.primary_account
    er = creator.engagement_rate
    return [
        creator.email,
        creator.name,
        str(creator.country),
        ";".join(sorted(niche.name for niche in creator.niches.all())),
        creator.status,
        primary.platform if primary else "",
        primary.handle if primary else "",
        "" if creator.followers is None else str(creator.followers),
        creator.tier,
        "" if er is None else f"{er:.2f}",
        "true" if creator.is_flagged else "false",
        str(creator.accounts_count),
        creator.city,
        "" if creator.rate is None else str(creator.rate),
        "" if creator.cost_per_engagement is None else f"{creator.cost_per_engagement:.4f}",
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_lines(creators: Iterable[Creator], *, for_spreadsheets: bool = False) -> Iterator[str]:
    """The export as CSV lines, header first, produced lazily so any size streams in constant memory.

    ``for_spreadsheets`` (every download from the browser) neutralizes cells a spreadsheet would run as formulas;
    without it the values are raw, as CONTRACT section 4 defines them (the command line, for scripts)."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow(EXPORT_COLUMNS)
    for creator in creators:
        row = export_row(creator)
        yield writer.writerow(safe_row(row) if for_spreadsheets else row)


# The columns ``export_row`` reads: an export neither fetches nor parses the others (a fifth of its time).
EXPORT_FIELDS = [
    *("email", "name", "country", "status", "followers", "tier", "engagement_rate", "is_flagged", "accounts_count"),
    *("city", "rate", "cost_per_engagement", "primary_account__platform", "primary_account__handle"),
]


def iterate(queryset: QuerySet[Creator], chunk_size: int = 2000) -> Iterator[Creator]:
    """Iterate a large export queryset in chunks, prefetching per chunk, reading only the export's columns."""
    return queryset.only(*EXPORT_FIELDS).iterator(chunk_size=chunk_size)


def creators_directory(filters: dict, brand=None) -> QuerySet[Creator]:
    """Creators matching the directory's cleaned filters, in the requested order (fit: for ``brand``)."""

    queryset = Creator.objects.all()
    if q := filters.get("q", "").strip().lstrip("@"):
        queryset = creators_matching(queryset, q)
    if niches := filters.get("niche"):
        tagged = Creator.niches.through.objects.filter(creator_id=OuterRef("pk"), niche__slug__in=niches)
        queryset = queryset.filter(Exists(tagged))
    if platform := filters.get("platform"):
        queryset = queryset.filter(Exists(SocialAccount.objects.filter(creator=OuterRef("pk"), platform=platform)))
    for key, lookup in DIRECTORY_LOOKUPS.items():
        if key in filters:
            queryset = queryset.filter(**{lookup: filters[key]})
    if "tier" in filters:
        # The tier's followers range too: with it, a tier walks the followers index (no index per tier needed).
        queryset = queryset.filter(metrics.tier_followers(filters["tier"]))
    for key in ("flagged", "suspicious"):
        if key in filters:
            queryset = queryset.filter(**{f"is_{key}": filters[key] == "true"})
    queryset = hooks.directory_filtered(queryset, filters, brand)
    sort = filters.get("sort") or "-followers"
    if order := hooks.directory_order(sort, brand):
        return order(queryset, brand, sort.startswith("-"))
    _, field, tiebreak = SORTS[sort]
    column = F(field.lstrip("-"))
    primary = column.desc(nulls_last=True) if field.startswith("-") else column.asc(nulls_last=True)
    return queryset.order_by(primary, tiebreak)


def creator_profile(creator: Creator) -> dict:
    """A creator's accounts and recent posts, from stored values (a bounded number of rows)."""
    return {
        "accounts": list(creator.accounts.order_by("-followers", "created_at", "id")),
        "recent_posts": list(Post.objects.filter(account__creator=creator).select_related("account")[:12]),
        "niches": list(creator.niches.all()),
    }


def creator_countries() -> list[str]:
    """The country codes creators are in, sorted by name; cached ten minutes (a scan of the country index)."""

    def read() -> list[str]:
        codes = Creator.objects.exclude(country="").order_by().values_list("country", flat=True).distinct()
        return sorted(codes, key=lambda code: countries.name(code))

    try:
        return cache.get_or_set("creators:countries", read, 600)
    except Exception:  # a cache that is down means reading them each time, never an error page
        return read()


def account_snapshots_query(account, days: int = 90):
    """An account's daily snapshots of the last ``days`` days up to today, oldest first: bounded on both sides, so
    that PostgreSQL reads only the months of the follower history they fall in."""
    today = timezone.localdate()
    return FollowerSnapshot.objects.filter(
        account=account, date__gte=today - timedelta(days=days), date__lte=today
    ).order_by("date")


def account_snapshots(account, days: int = 90) -> list:
    return list(account_snapshots_query(account, days))


def _like_pattern(text: str) -> str:
    """``text`` as a LIKE substring pattern, its wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Name and e-mail share one trigram index (migration 0010), joined by a line break so no match spans both.
_MATCHING_SQL = (
    "SELECT creator_id FROM creators_creatorsearch WHERE (name || E'\\n' || email) ILIKE %s "
    "UNION SELECT creator_id FROM creators_socialaccount WHERE handle ILIKE %s"
)


def creators_matching(queryset: QuerySet[Creator], text: str) -> QuerySet[Creator]:
    """Creators whose name, email or any handle contains ``text`` (any case).

    On PostgreSQL the matches are a UNION of two trigram-index scans (names and e-mails in
    ``creators_creatorsearch``, see ``CreatorSearch``), so the search stays fast at a million creators; elsewhere
    a plain OR does the same.
    """
    if connection.vendor != "postgresql":
        handles = SocialAccount.objects.filter(creator=OuterRef("pk"), handle__icontains=text)
        return queryset.filter(Q(name__icontains=text) | Q(email__icontains=text) | Exists(handles))
    pattern = _like_pattern(text)
    return queryset.filter(pk__in=RawSQL(_MATCHING_SQL, (pattern, pattern)))


def creator_ids_matching(text: str, *, limit: int) -> list[int]:
    """The ids of at most ``limit`` creators matching ``text`` (as ``creators_matching``), searched once.

    For a page that would otherwise run the search twice (its count and its rows), e.g. the admin list.
    """
    if connection.vendor != "postgresql":
        return list(creators_matching(Creator.objects.order_by(), text).values_list("pk", flat=True)[:limit])
    pattern = _like_pattern(text)
    with connection.cursor() as cursor:
        cursor.execute(f"{_MATCHING_SQL} LIMIT %s", (pattern, pattern, limit))
        return [row[0] for row in cursor.fetchall()]


SUGGESTION_MIN_LENGTH = 2


def creator_suggestions(text: str, *, limit: int = 10) -> list[Creator]:
    """Active creators matching ``text`` (name, e-mail, a handle) for a picker: the best known first."""
    text = " ".join(text.split()).lstrip("@")
    if len(text) < SUGGESTION_MIN_LENGTH:
        return []
    ids = creator_ids_matching(text, limit=500)
    return list(
        Creator.objects.filter(pk__in=ids, status=Creator.Status.ACTIVE)
        .select_related("primary_account")
        .order_by(F("followers").desc(nulls_last=True), "name", "id")[:limit]
    )


def creator_summary(creator: Creator) -> str:
    """ "Instagram @ana · 12,400 followers" — what tells two creators of one name apart."""
    account = creator.primary_account
    parts = [f"{account.get_platform_display()} @{account.handle}"] if account else []
    if creator.followers is not None:
        parts.append(f"{creator.followers:,} followers")
    if creator.email:
        parts.append(creator.email)
    return " · ".join(parts)
