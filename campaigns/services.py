"""Writes to a brand's workspace. Callers have already resolved every object through ``campaigns.access``."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.tracking import record_many
from config.fragments import bump_scopes
from creators.models import Creator, Post
from creators.services import recalculate_soon

from .middleware import brand_scope
from .models import (
    Brand,
    Campaign,
    Collaboration,
    Deliverable,
    Partnership,
    RelationshipEntry,
    Shortlist,
    ShortlistEntry,
    Stage,
    StageChange,
)
from .rollups import partnerships_recalculate
from .signals import collaboration_moved


@transaction.atomic
def collaborations_add(*, campaign: Campaign, creators: Iterable[Creator], user) -> int:
    """Put creators on a campaign's pipeline as shortlisted (those already on it are left); return how many. A
    completed or archived campaign takes no one (reopen it first)."""
    if campaign.status in (Campaign.Status.COMPLETED, Campaign.Status.ARCHIVED):
        raise ValidationError(
            f"“{campaign.name}” is {campaign.get_status_display().lower()}: set it to Active to add creators."
        )
    existing = set(campaign.collaborations.values_list("creator_id", flat=True))
    new = {c.pk: c for c in creators if c.pk not in existing and c.status == Creator.Status.ACTIVE}
    collaborations = Collaboration.objects.bulk_create(
        [Collaboration(campaign=campaign, creator=creator) for creator in new.values()]
    )
    StageChange.objects.bulk_create(
        [StageChange(collaboration=c, to_stage=Stage.SHORTLISTED, changed_by=user) for c in collaborations]
    )
    record_many(Collaboration, collaborations, "created", lambda c: {"creator_id": [None, c.creator_id]})
    if new:
        recalculate_soon(creator_ids=new)  # the campaign's rollups count its collaborations
    return len(new)


def collaboration_changed(collaboration: Collaboration) -> None:
    """The brand's cached reads start over once this commits (a creator's answer or a task is no member's request)."""
    brand_id = collaboration.campaign.brand_id
    transaction.on_commit(lambda: bump_scopes([brand_scope(brand_id)]))


@transaction.atomic
def collaboration_move(*, collaboration: Collaboration, stage: str, user, by_creator: bool = False) -> bool:
    """Move a collaboration to ``stage`` and record who did it (a member, or the creator in the portal) and when;
    return whether it moved."""
    if stage not in Stage.values:
        raise ValidationError(f"Unknown stage {stage!r}.")
    # A conditional update, so two marketers moving the same card record one change each, not a lost update.
    previous = collaboration.stage
    moved = (
        Collaboration.objects.filter(pk=collaboration.pk, stage=previous)
        .exclude(stage=stage)
        .update(stage=stage, updated_at=timezone.now())
    )
    if moved:
        StageChange.objects.create(
            collaboration=collaboration, from_stage=previous, to_stage=stage, changed_by=user, by_creator=by_creator
        )
        collaboration.stage = stage
        recalculate_soon(creator_ids=[collaboration.creator_id])
        collaboration_changed(collaboration)
        collaboration_moved.send(sender=Collaboration, collaboration=collaboration, stage=stage, by_creator=by_creator)
    return bool(moved)


def collaboration_log(*, collaboration: Collaboration, kind: str, summary: str, author=None) -> RelationshipEntry:
    """An entry in the brand's relationship log about this collaboration (outreach, the creator's answers, drafts)."""
    entry = RelationshipEntry.objects.create(
        brand_id=collaboration.campaign.brand_id,
        creator_id=collaboration.creator_id,
        kind=kind,
        date=timezone.localdate(),
        summary=f"{summary} ({collaboration.campaign.name}).",
        author=author,
    )
    collaboration_changed(collaboration)
    return entry


@transaction.atomic
def collaborations_move(*, collaborations: Iterable[Collaboration], stage: str, user) -> list[Collaboration]:
    """Move several collaborations (a bulk move on the board); return those that moved (the others were there)."""
    return [c for c in collaborations if collaboration_move(collaboration=c, stage=stage, user=user)]


def collaboration_update(*, collaboration: Collaboration, fee, notes: str) -> Collaboration:
    collaboration.fee, collaboration.notes = fee, notes
    collaboration.full_clean()
    collaboration.save()
    recalculate_soon(creator_ids=[collaboration.creator_id])
    return collaboration


def deliverable_save(*, deliverable: Deliverable) -> Deliverable:
    """Save a deliverable; a linked post marks it published and must be one of the creator's own posts."""
    post: Post | None = deliverable.post
    creator_id = deliverable.collaboration.creator_id
    if post is not None:
        if post.account.creator_id != creator_id:
            raise ValidationError({"post": "This post is not one of this creator's posts."})
        deliverable.status = Deliverable.Status.PUBLISHED
        deliverable.published_at = post.posted_at
    deliverable.full_clean()
    deliverable.save()
    recalculate_soon(creator_ids=[creator_id])
    return deliverable


def campaign_archive(*, campaign: Campaign) -> None:
    """Campaigns are archived, never deleted: their history stays."""
    campaign.status = Campaign.Status.ARCHIVED
    campaign.save(update_fields=["status", "updated_at"])


def campaign_saved(*, campaign: Campaign) -> None:
    """Refresh what a campaign edit affects."""
    recalculate_soon(creator_ids=campaign.collaborations.values_list("creator_id", flat=True))


def partnership_saved(*, partnership: Partnership) -> None:
    """Its health and rollups at once (a new partnership never shows a verdict without its reason), and its
    creator's metrics shortly."""
    partnerships_recalculate([partnership.pk], today=timezone.localdate())
    partnership.refresh_from_db()
    recalculate_soon(creator_ids=[partnership.creator_id])


def relationship_entry_add(
    *, brand: Brand, creator: Creator, kind: str, day: date, summary: str, user
) -> RelationshipEntry:
    entry = RelationshipEntry(brand=brand, creator=creator, kind=kind, date=day, summary=summary, author=user)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def shortlist_add(*, shortlist: Shortlist, creators: Iterable[Creator], note: str = "") -> int:
    """Add creators to a shortlist (those already on it are left); return how many were added."""
    existing = set(shortlist.entries.values_list("creator_id", flat=True))
    new = [ShortlistEntry(shortlist=shortlist, creator=c, note=note) for c in creators if c.pk not in existing]
    ShortlistEntry.objects.bulk_create(new)
    return len(new)
