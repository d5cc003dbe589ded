"""A creator's own changes to their profile, from the portal."""

from decimal import Decimal

from django.db import transaction

from creators.models import Creator
from creators.services import recalculate_soon


@transaction.atomic
def profile_update(*, creator: Creator, rate: Decimal | None, city: str) -> Creator:
    creator.rate, creator.city = rate, " ".join(city.split())
    creator.full_clean(exclude=["email"])
    creator.save(update_fields=["rate", "city", "updated_at"])
    recalculate_soon(creator_ids=[creator.pk])  # the cost per engagement follows the rate
    return creator
