"""The dashboard (``/``) and its charts, for the user's current brand."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from config.fragments import cached_fragment
from creators import charts, recalculation

from . import dashboard
from .forms import DashboardFilterForm
from .views import brand_required

CANDIDATES = 25


@require_GET
@brand_required
def home(request: HttpRequest, brand) -> HttpResponse:
    form = DashboardFilterForm(request.GET)
    filters = form.values()

    def body() -> str:
        context = {
            "form": form,
            "current_brand": brand,
            "candidates": dashboard.candidates(brand, filters, suspicious=False, limit=CANDIDATES),
            "suspicious": dashboard.candidates(brand, filters, suspicious=True, limit=10),
            "kpis": dashboard.kpis(brand),
            "attention": dashboard.attention(brand),
            "filtered": bool(filters),
        }
        return render_to_string("campaigns/dashboard_body.html", context)

    # Everything on it is stored values of the brand: the same until the next recalculation.
    content = cached_fragment(("dashboard", brand.pk, sorted(filters.items())), body)
    context = {"body": content, "recalc": recalculation.latest_runs()}
    return render(request, "campaigns/dashboard.html", context)


def _size(request: HttpRequest) -> str:
    """``?size=phone`` draws the chart at a phone's width (anything else: the default size)."""
    return "phone" if request.GET.get("size") == "phone" else ""


@require_GET
def tier_chart(request: HttpRequest) -> HttpResponse:
    return charts.svg_response(charts.tier_distribution(dashboard.tier_counts(), _size(request)))


@require_GET
@brand_required
def scatter_chart(request: HttpRequest, brand) -> HttpResponse:
    from django.conf import settings

    points = dashboard.scatter_points(brand)
    return charts.svg_response(
        charts.er_vs_followers(
            points,
            micro=dashboard.micro_bounds(),
            threshold=settings.HIGH_ENGAGEMENT_THRESHOLD,
            size=_size(request),
        )
    )


@require_GET
@brand_required
def funnel_chart(request: HttpRequest, brand) -> HttpResponse:
    return charts.svg_response(charts.pipeline_funnel(dashboard.funnel(brand), _size(request)))


@require_GET
@brand_required
def interactions_chart(request: HttpRequest, brand) -> HttpResponse:
    return charts.svg_response(charts.interactions_over_time(dashboard.interactions_by_month(brand), _size(request)))
