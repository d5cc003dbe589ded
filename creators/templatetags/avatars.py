"""A creator's or an account's profile picture (downloaded by the platform sync), or a neutral placeholder."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def avatar_html(picture, name: str, *, large: bool = False) -> SafeString:
    """``picture``: an ImageField value (empty when there is none). Decorative: the name is always beside it."""
    size = "avatar large" if large else "avatar"
    if picture:
        return format_html(
            '<img class="{}" src="{}" alt="" width="{}" height="{}" loading="lazy">',
            size,
            reverse("media", args=[picture.name]),
            64 if large else 32,
            64 if large else 32,
        )
    initial = (name or "?").lstrip("@")[:1].upper() or "?"
    return format_html('<span class="{} placeholder" aria-hidden="true">{}</span>', size, initial)


@register.simple_tag
def avatar(obj, large: bool = False) -> SafeString:
    """The avatar of a Creator (its largest account's picture) or a SocialAccount."""
    name = getattr(obj, "name", None) or getattr(obj, "handle", "")
    return avatar_html(obj.avatar, name, large=large)
