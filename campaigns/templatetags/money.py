"""Amounts with their currency: ``{{ campaign.spend|money:campaign.currency }}`` → "1,705.48 EUR"; ``whole_money``
rounds to units ("1,706 EUR"); ``rate`` shows per-engagement costs with three decimals ("0.042 EUR")."""

from django import template

from creators.templatetags.rates import amount

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    return amount(value, "-2", currency)


@register.filter
def whole_money(value, currency: str = "") -> str:
    return amount(value, "0", currency)


@register.filter
def rate(value, currency: str = "") -> str:
    return amount(value, "3", currency)
