"""Amounts with their currency. ``amount`` is the one formatting ("1,705.48 USD", "—" when unknown); ``in_currency``
shows a creator's rate in the deployment's currency (CONTRACT: setting CURRENCY)."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat

register = template.Library()


def amount(value, places: str, currency: str) -> str:
    """``value`` with thousands separators, ``places`` as floatformat takes them ("-2": cents only when there are
    any), and the currency code."""
    if value is None or value == "":
        return "—"
    return f"{intcomma(floatformat(Decimal(str(value)), places))} {currency}".strip()


@register.filter
def in_currency(value) -> str:
    return amount(value, "-2", settings.CURRENCY)
