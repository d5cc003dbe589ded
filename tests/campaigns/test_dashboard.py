"""The dashboard: the flagged list equals the CONTRACT definition; fit parts one by one; charts; query counts."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.utils import timezone

from campaigns import fit
from campaigns.models import FitScore
from creators import services
from creators.models import Creator, TierBenchmark
from tests.factories import (
    CollaborationFactory,
    CreatorFactory,
    NicheFactory,
    PartnershipFactory,
    PostFactory,
    SocialAccountFactory,
)

pytestmark = pytest.mark.django_db


def account_with_er(followers, per_post, *, creator=None, platform="instagram", posts=3):
    account = SocialAccountFactory(creator=creator or CreatorFactory(), followers=followers, platform=platform)
    comments = max(per_post // 20, 1)  # a normal likes-to-comments ratio; interactions stay exactly per_post
    for k in range(posts):
        PostFactory(
            account=account,
            likes=per_post - comments,
            comments=comments,
            posted_at=timezone.now() - timedelta(days=k + 1),
        )
    return account


def shown(response) -> list[str]:
    return [f.creator.name for f in response.context["candidates"]]


def test_the_flagged_list_is_exactly_the_contract_definition(alice_client, brand_a):
    cases = {
        "at 999 followers": (999, 40),  # emerging: no
        "at 1,000 followers": (1000, 40),  # yes (ER 4 %)
        "at 100,000 followers": (100_000, 4000),  # yes
        "at 100,001 followers": (100_001, 4000),  # macro: no
        "at exactly 3 %": (10_000, 300),  # yes
        "just under 3 %": (10_000, 299),  # no
    }
    for name, (followers, per_post) in cases.items():
        account_with_er(followers, per_post, creator=CreatorFactory(name=name))
    two_posts = account_with_er(5000, 250, creator=CreatorFactory(name="two posts only"), posts=2)
    archived = account_with_er(5000, 250, creator=CreatorFactory(name="archived", status="archived"))
    services.recalculate()
    expected = {"at 1,000 followers", "at 100,000 followers", "at exactly 3 %"}
    assert set(shown(alice_client.get("/"))) == expected
    assert set(Creator.objects.filter(is_flagged=True).values_list("name", flat=True)) == expected
    assert two_posts.creator.name not in expected and archived.creator.name not in expected


def test_candidates_are_ordered_by_fit_and_filtered(alice_client, brand_a):
    travel = NicheFactory(name="Travel", slug="travel")
    brand_a.target_niches.add(travel)
    brand_a.target_countries = ["ES"]
    brand_a.save()
    best = account_with_er(5000, 250, creator=CreatorFactory(name="Best", country="ES"))
    best.creator.niches.add(travel)
    account_with_er(5000, 250, creator=CreatorFactory(name="Other", country="US"), platform="tiktok")
    services.recalculate()
    assert shown(alice_client.get("/")) == ["Best", "Other"]
    assert shown(alice_client.get("/?niche=travel")) == ["Best"]
    assert shown(alice_client.get("/?platform=tiktok")) == ["Other"]
    assert shown(alice_client.get("/?country=us")) == ["Other"]
    CollaborationFactory(campaign__brand=brand_a, creator=best.creator, stage="contacted")
    assert shown(alice_client.get("/?not_contacted=on")) == ["Other"]
    assert alice_client.get("/?niche=nope&platform=myspace&country=toolong").status_code == 200


def test_works_with_badges(alice_client, brand_a):
    account = account_with_er(5000, 250)
    PartnershipFactory(brand=brand_a, creator=account.creator)
    services.recalculate()
    row = alice_client.get("/").context["candidates"][0]
    assert row.partner and not row.in_campaign


def test_suspicious_candidates_are_shown_apart_with_the_reason(alice_client, brand_a):
    account_with_er(5000, 250, creator=CreatorFactory(name="Honest"))
    shady = account_with_er(5000, 250, creator=CreatorFactory(name="Shady"))
    shady.following = 50_000
    shady.save()
    services.recalculate()
    response = alice_client.get("/")
    assert shown(response) == ["Honest"]
    assert [f.creator.name for f in response.context["suspicious"]] == ["Shady"]
    assert "mass following" in response.content.decode()


def parts(creator, brand):
    """The creator's fit after an incremental recalculation (which keeps the stored tier medians)."""
    services.recalculate(creator_ids=[creator.pk])
    return FitScore.objects.get(creator=creator, brand=brand)


def test_fit_niche_points(brand_a):
    a, b, c = NicheFactory(), NicheFactory(), NicheFactory()
    brand_a.target_niches.set([a, b])
    creator = account_with_er(5000, 200).creator
    assert parts(creator, brand_a).niche_points == 0
    creator.niches.add(c)
    assert parts(creator, brand_a).niche_points == 0
    creator.niches.add(a)
    assert parts(creator, brand_a).niche_points == 17.5
    creator.niches.add(b)
    assert parts(creator, brand_a).niche_points == 35


def test_fit_country_points(brand_a):
    brand_a.target_countries = ["ES", "FR"]
    brand_a.save()
    creator = account_with_er(5000, 200, creator=CreatorFactory(country="FR")).creator
    assert parts(creator, brand_a).country_points == 15
    Creator.objects.filter(pk=creator.pk).update(country="US")
    assert parts(creator, brand_a).country_points == 0


# 100 per post is 6.25 points, kept to a tenth: 6.3.
@pytest.mark.parametrize(("per_post", "points"), [(100, 6.3), (200, 12.5), (400, 25.0), (800, 25.0)])
def test_fit_er_points_against_the_tier_benchmark(brand_a, per_post, points):
    creator = account_with_er(5000, per_post).creator  # micro: benchmark 4 %
    assert parts(creator, brand_a).er_points == pytest.approx(points)


def test_the_parts_are_kept_to_a_tenth_and_add_up_to_the_score(brand_a):
    a = NicheFactory()
    brand_a.target_niches.set([a])
    account = account_with_er(4999, 150)  # ER 3.0006 %: 9.378… engagement points
    account.creator.niches.set([a])
    fit = parts(account.creator, brand_a)
    assert fit.er_points == 9.4
    assert fit.score == pytest.approx(
        fit.niche_points + fit.country_points + fit.er_points + fit.authenticity_points + fit.affordability_points,
        abs=1e-9,
    )
    assert round(fit.score, 1) == fit.score


def _kept(value: float) -> float:
    """The definition: a part's decimal value (15 significant digits) to a tenth, half up."""
    return float(Decimal(f"{value:.15g}").quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_the_rounding_in_sql_keeps_every_part_as_the_definition_does():
    # Every tie up to 35 points, written and computed (1.3499999999999999 is the tie 1.35), and parts as the
    # engagement and affordability parts compute them.
    ties = [(2 * m + 1) / 20 for m in range(700)] + [m * 0.1 + 0.05 for m in range(700)]
    engagement = [25.0 * (i / 10_000) / (2 * b) for i in range(0, 200_000, 3) for b in (5.0, 4.0, 2.0, 1.5)]
    affordability = [10.0 * (m / 100 / 2) / (c / 100) for m in range(1, 300, 7) for c in range(1, 300, 3)]
    values = ties + engagement + affordability
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE part_values (n INTEGER, x DOUBLE PRECISION)")
        cursor.executemany("INSERT INTO part_values VALUES (%s, %s)", list(enumerate(values)))
        cursor.execute(f"SELECT n, {fit._rounded('x')} FROM part_values ORDER BY n")
        kept = [rounded for _, rounded in cursor.fetchall()]
        cursor.execute("DROP TABLE part_values")
    wrong = [(x, got) for x, got in zip(values, kept, strict=True) if got != _kept(x)]
    assert len(values) > 250_000 and wrong == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a row's version is PostgreSQL's ctid")
def test_a_change_that_moves_no_part_by_a_tenth_rewrites_no_score(brand_a):
    account = account_with_er(5000, 200)  # 12.5 engagement points
    before = parts(account.creator, brand_a)
    version = _row_version(before.pk)
    account.followers = 5005  # 12.4875 points: still 12.5 as kept
    account.save()
    after = parts(account.creator, brand_a)
    assert after.er_points == 12.5 and _row_version(after.pk) == version
    account.followers = 5100  # 12.25: moves
    account.save()
    assert parts(account.creator, brand_a).er_points == 12.3 and _row_version(after.pk) != version


def _row_version(pk: int):
    """Where PostgreSQL keeps a score row's current version (a written row is a new version elsewhere)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ctid::text FROM campaigns_fitscore WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_fit_authenticity_points(brand_a):
    account = account_with_er(5000, 200)
    assert parts(account.creator, brand_a).authenticity_points == 15
    account.following = 20_000
    account.save()
    assert parts(account.creator, brand_a).authenticity_points == 0


def test_fit_affordability_points_against_the_tier_median(brand_a):
    creator = account_with_er(5000, 200, creator=CreatorFactory(rate="100")).creator  # CPE 100 / 200 = 0.5
    assert parts(creator, brand_a).affordability_points == 5  # no median yet: neutral
    TierBenchmark.objects.update_or_create(tier="micro", defaults={"median_cpe": 1.0})
    assert parts(creator, brand_a).affordability_points == 10  # half the median or less
    TierBenchmark.objects.filter(tier="micro").update(median_cpe=0.5)
    assert parts(creator, brand_a).affordability_points == pytest.approx(5)


def test_tier_benchmarks_are_medians_of_the_tier():
    for rate in ["100", "200", "300"]:
        account_with_er(5000, 200, creator=CreatorFactory(rate=rate))
    services.recalculate()
    fit.tier_benchmarks_refresh()
    micro = TierBenchmark.objects.get(tier="micro")
    assert (micro.creators, micro.median_cpe) == (3, pytest.approx(1.0))


def test_tier_median_of_an_even_count_is_the_lower_middle_value():
    for rate in ["100", "200", "300", "400"]:
        account_with_er(5000, 200, creator=CreatorFactory(rate=rate))
    account_with_er(5000, 200, creator=CreatorFactory(rate=None))  # active, no cost: counted, not priced
    services.recalculate()
    fit.tier_benchmarks_refresh()
    micro = TierBenchmark.objects.get(tier="micro")
    assert (micro.creators, micro.median_cpe) == (5, 1.0)  # 0.5, 1.0, 1.5, 2.0
    assert TierBenchmark.objects.get(tier="macro").median_cpe is None


def test_a_tier_median_is_replaced_only_when_it_moved_by_more_than_five_percent():
    """A night in which one creator's cost moved by a hair keeps the median, so no other score is rewritten."""
    creators = [account_with_er(5000, 200, creator=CreatorFactory(rate=rate)).creator for rate in ["100", "240", "300"]]
    services.recalculate()
    fit.tier_benchmarks_refresh()
    assert TierBenchmark.objects.get(tier="micro").median_cpe == pytest.approx(1.2)
    Creator.objects.filter(pk=creators[1].pk).update(rate="250")  # median 1.25: +4.2 %, kept
    services.recalculate()
    fit.tier_benchmarks_refresh()
    assert TierBenchmark.objects.get(tier="micro").median_cpe == pytest.approx(1.2)
    Creator.objects.filter(pk=creators[1].pk).update(rate="254")  # median 1.27: +5.8 %, replaced
    services.recalculate()
    fit.tier_benchmarks_refresh()
    assert TierBenchmark.objects.get(tier="micro").median_cpe == pytest.approx(1.27)


@pytest.mark.parametrize(
    ("stored", "median", "moved"),
    [
        (None, 1.0, True),
        (1.0, None, True),
        (None, None, False),
        (1.0, 1.049, False),
        (1.0, 0.951, False),
        (1.0, 1.0501, True),
        (1.0, 0.9499, True),
    ],
)
def test_median_moved_boundaries(stored, median, moved):
    assert fit.median_moved(stored, median) is moved


@pytest.mark.parametrize("start", [50, 150, 300, 700])
def test_a_higher_er_never_lowers_fit(brand_a, start):
    TierBenchmark.objects.update_or_create(tier="micro", defaults={"median_cpe": 1.0})
    account = account_with_er(5000, start, creator=CreatorFactory(rate="150"))
    before = parts(account.creator, brand_a).score
    account.posts.update(likes=start * 2)
    assert parts(account.creator, brand_a).score >= before


def test_a_matching_niche_never_lowers_fit(brand_a):
    niches = [NicheFactory() for _ in range(3)]
    brand_a.target_niches.set(niches)
    creator = account_with_er(5000, 200).creator
    scores = [parts(creator, brand_a).score]
    for niche in niches:
        creator.niches.add(niche)
        scores.append(parts(creator, brand_a).score)
    assert scores == sorted(scores)


@pytest.mark.parametrize(
    "url", ["/charts/tiers.svg", "/charts/scatter.svg", "/charts/funnel.svg", "/charts/interactions.svg"]
)
def test_charts_are_svg_without_scripts(alice_client, url):
    account_with_er(5000, 250)
    services.recalculate()
    fit.tier_benchmarks_refresh()
    response = alice_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.lstrip().startswith("<svg") and "<script" not in body and "http://kozea" not in body


def test_the_creator_page_has_growth_and_er_charts_with_spikes_marked(alice_client):
    from tests.factories import FollowerSnapshotFactory

    account = account_with_er(5000, 250)
    today = timezone.localdate()
    values = [4000 + 10 * n for n in range(10)]
    values[7:] = [v * 2 for v in values[7:]]
    for n, value in enumerate(values):
        FollowerSnapshotFactory(
            account=account, date=today - timedelta(days=9 - n), followers=value, engagement_rate=4.0
        )
    services.recalculate()
    page = alice_client.get(f"/creators/{account.creator_id}/").content.decode()
    assert "Suspicious." in page and "follower spike" in page
    growth = alice_client.get(f"/creators/{account.creator_id}/accounts/{account.pk}/growth.svg").content.decode()
    assert "spike" in growth
    assert alice_client.get(f"/creators/{account.creator_id}/er.svg").status_code == 200
    other = SocialAccountFactory()
    assert alice_client.get(f"/creators/{account.creator_id}/accounts/{other.pk}/growth.svg").status_code == 404


@pytest.mark.parametrize("url", ["/", "/creators/", "/creators/?sort=-fit&flagged=true", "/creators/{pk}/"])
def test_query_counts_are_constant_in_the_number_of_creators(alice_client, brand_a, django_assert_max_num_queries, url):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = account_with_er(5000, 250)
    PartnershipFactory(brand=brand_a, creator=first.creator)
    CollaborationFactory(campaign__brand=brand_a, creator=first.creator)
    services.recalculate()
    url = url.format(pk=first.creator_id)
    cache.clear()  # measure the uncached page: fragments are cached until the next recalculation
    with CaptureQueriesContext(connection) as few:
        alice_client.get(url)
    for n in range(25):
        account = account_with_er(2000 + n, 100)
        account.creator.niches.add(NicheFactory())
    services.recalculate()
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert alice_client.get(url).status_code == 200


def test_flagged_creators_are_plotted_at_their_qualifying_account_inside_the_zone(brand_a):
    """Issue 15, defect 3: a creator flagged through a secondary micro account sat outside the outlined zone."""
    from campaigns import dashboard

    mega = CreatorFactory(name="Mega with a micro side account")
    account_with_er(2_000_000, 10_000, creator=mega, platform="youtube")  # primary: mega, 0.5 %
    account_with_er(20_000, 1_000, creator=mega, platform="instagram")  # micro, 5 %: flags the creator
    account_with_er(50_000, 100)  # micro, 0.2 %: not flagged
    services.recalculate()
    mega.refresh_from_db()
    assert mega.is_flagged and mega.followers == 2_000_000
    low, high = dashboard.micro_bounds()
    points = dashboard.scatter_points(brand_a)
    flagged = [(followers, er) for followers, er, is_flagged in points if is_flagged]
    assert flagged == [(20_000, pytest.approx(5.0))]
    assert all(low <= f <= high and er >= 3 for f, er in flagged)


def test_the_funnel_lists_stages_in_pipeline_order_with_whole_number_ticks(alice_client, brand_a):
    import re

    CollaborationFactory(campaign__brand=brand_a, campaign__status="active", stage="contacted")
    svg = alice_client.get("/charts/funnel.svg").content.decode()
    stages = "Shortlisted|Contacted|Negotiating|Contracted|Content in review|Published|Paid|Declined"
    labels = re.findall(rf">({stages})<", svg)
    # pygal writes a horizontal bar chart's labels bottom-up: reversed, they read as the pipeline from the top.
    assert labels[::-1][:8] == [
        "Shortlisted", "Contacted", "Negotiating", "Contracted", "Content in review", "Published", "Paid", "Declined"
    ]  # fmt: skip
    value_axis = re.search(r'class="axis x[^"]*".*?</g></g>', svg, re.S).group(0)  # horizontal: values run along x
    ticks = re.findall(r">([^<>]+)<", value_axis)
    assert ticks == ["0", "1"]  # whole creators, no 0.2 steps
