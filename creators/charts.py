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


def tier_distribution(counts: list[tuple[str, int]]) -> bytes:
    chart = pygal.Bar(title="Creators by tier", show_legend=False, print_values=True, **BASE)
    chart.x_labels = [label for label, _ in counts]
    chart.add("creators", [count for _, count in counts])
    return _svg(chart)


def er_vs_followers(points: Iterable[tuple[int, float, bool]], *, micro: tuple[int, int], threshold: float) -> bytes:
    """A scatter of (followers, ER) on a log scale, with the flagged zone outlined."""
    chart = pygal.XY(
        title="ER vs followers (flagged zone outlined)",
        logarithmic=True,
        stroke=False,
        dots_size=2.5,
        x_title="followers (log scale)",
        y_title="ER %",
        legend_at_bottom=True,
        **BASE,
    )
    flagged, others = [], []
    for followers, er, is_flagged in points:
        (flagged if is_flagged else others).append((max(followers, 1), max(er, 0.01)))
    low, high = micro
    top = max([er for _, er in flagged + others] + [threshold * 2])
    chart.add("other creators", others)
    chart.add("flagged", flagged)
    chart.add(
        f"flagged zone: {low:,}–{high:,} followers, ER ≥ {threshold:g} %",
        [(low, threshold), (high, threshold), (high, top), (low, top), (low, threshold)],
        stroke=True,
        show_dots=False,
        stroke_style={"width": 2, "dasharray": "6,4"},
    )
    return _svg(chart)


def pipeline_funnel(stages: list[tuple[str, int]]) -> bytes:
    chart = pygal.HorizontalBar(title="Pipeline: creators per stage", show_legend=False, print_values=True, **BASE)
    chart.x_labels = [label for label, _ in stages]
    chart.add("creators", [count for _, count in stages])
    return _svg(chart)


def interactions_over_time(months: list[tuple[date, int]]) -> bytes:
    chart = pygal.Bar(
        title="Interactions on campaign posts, by month",
        show_legend=False,
        print_values=True,
        x_label_rotation=0,
        **BASE,
    )
    chart.x_labels = [month.strftime("%Y-%m") for month, _ in months]
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
