"""A creator's own changes to their profile, from the portal."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from creators.models import Creator, SocialAccount
from creators.services import recalculate_soon
from platforms import profiles as platform_profiles


@transaction.atomic
def profile_update(*, creator: Creator, rate: Decimal | None, city: str) -> Creator:
    creator.rate, creator.city = rate, " ".join(city.split())
    creator.full_clean(exclude=["email"])
    creator.save(update_fields=["rate", "city", "updated_at"])
    recalculate_soon(creator_ids=[creator.pk])  # the cost per engagement follows the rate
    return creator


@transaction.atomic
def account_add(*, creator: Creator, url: str, platform: str = "") -> SocialAccount:
    """Add an account the creator names: it counts only once the platform's sync has read it (its figures are never
    the creator's word), and an account already in Microreach is never moved from another creator."""
    try:
        platform, handle = platform_profiles.parse(url.strip(), platform)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    existing = SocialAccount.objects.filter(platform=platform, handle__iexact=handle).first()
    if existing is not None:
        if existing.creator_id == creator.pk:
            raise ValidationError(f"@{existing.handle} is already one of your accounts.")
        raise ValidationError(f"@{handle} is in Microreach for another creator: ask a brand you work with to check it.")
    try:
        with transaction.atomic():  # the same account sent twice at once: the second meets the unique index
            account = SocialAccount.objects.create(
                creator=creator,
                platform=platform,
                handle=handle,
                profile_url=platform_profiles.profile_url(platform, handle),
            )
    except IntegrityError:
        raise ValidationError(f"@{handle} was just added; reload the page to see it.") from None
    platform_profiles.accounts_sync_soon([account])
    return account
