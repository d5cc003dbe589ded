"""The campaign board's cards, drawn in Python: a board holds dozens of cards, each with a stage menu, and
the same markup through template loops cost most of the page's time."""

from functools import cache

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from campaigns.models import Collaboration, Stage
from creators.templatetags.avatars import avatar_html

register = template.Library()
_PK = 2_147_000_001  # a placeholder primary key for URLs built once


@cache
def _url(name: str) -> str:
    return reverse(name, args=[_PK]).replace(str(_PK), "{}")


@cache
def _stage_options() -> dict[str, str]:
    """For each stage, the whole menu with that stage selected."""
    return {
        selected: "".join(
            format_html('<option value="{}"{}>{}</option>', value, " selected" if value == selected else "", label)
            for value, label in Stage.choices
        )
        for selected in Stage.values
    }


@register.simple_tag(takes_context=True)
def board_card(context, collaboration: Collaboration, currency: str = "") -> SafeString:
    """One card: a box to select it for a bulk move, the creator, tier and ER, the fee, and its stage menu (the
    keyboard's way to move it, and the way without JavaScript)."""
    creator = collaboration.creator
    facts = creator.get_tier_display() or "—"
    if creator.engagement_rate is not None:
        facts += f" · ER {creator.engagement_rate:.2f} %"
    fee = f"fee {intcomma(round(collaboration.fee))} {currency}" if collaboration.fee is not None else "no fee yet"
    return format_html(
        '<li class="board-card" data-id="{pk}" data-creator="{name}" data-move="{move}">'
        '<div class="card-head"><input type="checkbox" name="collaboration" value="{pk}" form="bulk-move" '
        'id="pick-{pk}"><label class="sr-only" for="pick-{pk}">Select {name}</label>'
        '{avatar}<a href="{detail}">{name}</a></div>'
        '<div class="muted small">{facts}</div><div class="fee small">{fee}</div>'
        '<form method="post" action="{move}" class="move">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '<label class="sr-only" for="move-{pk}">Stage of {name}</label>'
        '<select name="stage" id="move-{pk}">{options}</select> <button type="submit">Move'
        '<span class="sr-only"> {name}</span></button></form></li>',
        name=creator.name,
        avatar=avatar_html(creator.avatar, creator.name),
        detail=_url("campaigns:collaboration_detail").format(collaboration.pk),
        facts=facts,
        fee=fee,
        move=_url("campaigns:collaboration_move").format(collaboration.pk),
        token=str(context.get("csrf_token", "")),
        pk=collaboration.pk,
        options=mark_safe(_stage_options().get(collaboration.stage, "")),
    )
