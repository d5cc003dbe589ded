"""Charts as server-side SVG, drawn by pygal from stored values. Values are printed, so no hover is needed."""

import re
from collections.abc import Iterable
from datetime import date

import pygal
from django.http import HttpResponse
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#5a6470",
    colors=("#0b6e4f", "#c0392b", "#0a5a8c", "#8a5300", "#6c3483"),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    title_font_size=16,
    legend_font_size=13,
)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def _svg(chart) -> bytes:
    """The chart's SVG without pygal's inline tooltip configuration script (the charts need no script)."""
    return _SCRIPT.sub("", chart.render(is_unicode=True)).encode()


SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def svg_response(content: bytes) -> HttpResponse:
    """A chart as its own document: pygal styles its SVG inline, so it gets a policy of its own (no script)."""
    response = HttpResponse(content, content_type="image/svg+xml")
    response["Content-Security-Policy"] = SVG_POLICY
    response["Cache-Control"] = "private, max-age=60"
    return response


BASE = {"style": STYLE, "js": [], "disable_xml_declaration": True, "width": 640, "height": 360, "explicit_size": True}
# A phone shows the chart about 340 px wide: drawn at that size, its labels keep their size instead of shrinking.
PHONE = {"width": 360, "height": 420}


def base(size: str = "") -> dict:
    return {**BASE, **(PHONE if size == "phone" else {})}


def integer_ticks(top: int, most: int = 8) -> list[int]:
    """Whole-number axis labels from 0 past ``top``: counts have no fractions."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000):
        step = candidate
        if top / candidate <= most:
            break
    else:
        step = max(1, 10 ** (len(str(top)) - 1))
    return list(range(0, top + step, step))


def short_number(value: float) -> str:
    """1200 → "1.2k", 100000 → "100k", 2500000 → "2.5M"."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}".removesuffix(".0") + suffix
    return f"{value:g}"


def _counts(chart, values: list[int]) -> None:
    chart.y_labels = integer_ticks(max([*values, 1]))
    chart.value_formatter = lambda v: f"{v:,.0f}"


def tier_distribution(counts: list[tuple[str, int]], size: str = "") -> bytes:
    chart = pygal.Bar(title="Creators by tier", show_legend=False, print_values=True, truncate_label=-1, **base(size))
    chart.x_labels = [label for label, _ in counts]
    _counts(chart, [count for _, count in counts])
    chart.add("creators", [count for _, count in counts])
    return _svg(chart)


def er_vs_followers(
    points: Iterable[tuple[int, float, bool]], *, micro: tuple[int, int], threshold: float, size: str = ""
) -> bytes:
    """A scatter of (followers, ER) on a log scale, with the flagged zone outlined. A flagged creator is plotted at
    the account that qualifies it, so every flagged point lies in the zone, as the definition says."""
    chart = pygal.XY(
        title="ER vs followers (flagged zone outlined)",
        x_labels=[100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000],
        x_value_formatter=short_number,
        value_formatter=lambda v: f"{v:g}",
        logarithmic=True,
        stroke=False,
        dots_size=2.5,
        x_title="followers (log scale)",
        y_title="ER %",
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        **base(size),
    )
    flagged, others = [], []
    for followers, er, is_flagged in points:
        (flagged if is_flagged else others).append((max(followers, 1), max(er, 0.01)))
    low, high = micro
    top = max([er for _, er in flagged + others] + [threshold * 2])
    chart.add("other creators", others)
    chart.add("flagged", flagged)
    chart.add(
        f"flagged zone: {short_number(low)}–{short_number(high)} followers, ER ≥ {threshold:g} %",
        [(low, threshold), (high, threshold), (high, top), (low, top), (low, threshold)],
        stroke=True,
        show_dots=False,
        stroke_style={"width": 2, "dasharray": "6,4"},
    )
    return _svg(chart)


def pipeline_funnel(stages: list[tuple[str, int]], size: str = "") -> bytes:
    """Stages top to bottom in pipeline order (pygal draws a horizontal bar chart's first label at the bottom)."""
    chart = pygal.HorizontalBar(
        title="Pipeline: creators per stage", show_legend=False, print_values=True, **base(size)
    )
    stages = stages[::-1]
    chart.x_labels = [label for label, _ in stages]
    _counts(chart, [count for _, count in stages])
    chart.add("creators", [count for _, count in stages])
    return _svg(chart)


def interactions_over_time(months: list[tuple[date, int]], size: str = "") -> bytes:
    chart = pygal.Bar(
        title="Interactions on campaign posts, by month",
        show_legend=False,
        print_values=True,
        x_label_rotation=0,
        **base(size),
    )
    chart.x_labels = [month.strftime("%b %Y") for month, _ in months]
    _counts(chart, [value for _, value in months])
    chart.value_formatter = short_number
    chart.add("interactions", [value for _, value in months])
    return _svg(chart)


def follower_growth(snapshots: list[tuple[date, int]], spikes: set[date], title: str) -> bytes:
    """Followers per day with the spike days marked."""
    chart = pygal.DateLine(title=title, x_label_rotation=20, legend_at_bottom=True, dots_size=1.5, **BASE)
    chart.add("followers", snapshots)
    marked = [(day, followers) for day, followers in snapshots if day in spikes]
    if marked:
        chart.add("spike", marked, stroke=False, dots_size=7)
    return _svg(chart)


def er_trend(snapshots: list[tuple[date, float]], title: str) -> bytes:
    chart = pygal.DateLine(title=title, x_label_rotation=20, show_legend=False, dots_size=1.5, y_title="ER %", **BASE)
    chart.add("ER %", snapshots)
    return _svg(chart)
