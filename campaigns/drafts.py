"""Drafts and their review: the creator submits versions of a deliverable in the portal (a caption and a file or a
link), the brand approves one or asks for changes with a comment, and the creator finally gives the live post's
URL, which links the deliverable to the post (now, or when the post's account is next synced).

The collaboration moves with it: contracted → content in review (first draft) → published (the live post linked).
Every step is in the stage history and the brand's relationship log.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from creators.models import Post

from . import services
from .models import Collaboration, Deliverable, Draft, RelationshipEntry, Stage

DRAFTING = (Stage.CONTRACTED, Stage.CONTENT_REVIEW)  # the stages in which drafts are submitted

# What a draft file may be, told by its first bytes (never by its name or the browser's word).
SIGNATURES = [
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),
    (b"ftyp", 4, "video/mp4"),
    (b"%PDF-", 0, "application/pdf"),
]


def sniff(head: bytes) -> str | None:
    for signature, offset, content_type in SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            if content_type == "image/webp" and head[:4] != b"RIFF":
                continue
            return content_type
    return None


def _log(collaboration: Collaboration, summary: str, author=None) -> None:
    kind = RelationshipEntry.Kind.PORTAL if author is None else RelationshipEntry.Kind.NOTE
    services.collaboration_log(collaboration=collaboration, kind=kind, summary=summary, author=author)


def _move(collaboration: Collaboration, stage: str, *, by=None) -> None:
    services.collaboration_move(collaboration=collaboration, stage=stage, user=by, by_creator=by is None)


def _locked(deliverable: Deliverable) -> Deliverable:
    return Deliverable.objects.select_for_update().select_related("collaboration__campaign").get(pk=deliverable.pk)


def can_submit(deliverable: Deliverable) -> bool:
    """A new version is welcome in the drafting stages, unless one waits for review or one was approved."""
    if deliverable.collaboration.stage not in DRAFTING or deliverable.post_id:
        return False
    latest = max(deliverable.drafts.all(), key=lambda draft: draft.version, default=None)
    return latest is None or latest.status == Draft.Status.CHANGES


def can_go_live(deliverable: Deliverable) -> bool:
    # Both read ``drafts.all()``: a page that prefetched the versions asks nothing more per deliverable.
    return (
        deliverable.post_id is None
        and not deliverable.live_url
        and any(draft.status == Draft.Status.APPROVED for draft in deliverable.drafts.all())
    )


@transaction.atomic
def draft_submit(*, deliverable: Deliverable, caption: str, link: str, file: UploadedFile | None) -> Draft:
    deliverable = _locked(deliverable)
    if not can_submit(deliverable):
        raise ValidationError("This deliverable takes no new version now (one waits for review, or it is approved).")
    if not (caption.strip() or link or file):
        raise ValidationError("Give a caption and a file, or a link to the draft.")
    version = (deliverable.drafts.aggregate(last=Max("version"))["last"] or 0) + 1
    draft = Draft(deliverable=deliverable, version=version, caption=caption.strip(), link=link)
    if file is not None:
        draft.content_type = sniff(file.read(16)) or ""
        file.seek(0)
        draft.file.save(f"{deliverable.pk}-v{version}", file, save=False)
    draft.save()
    Deliverable.objects.filter(pk=deliverable.pk).update(status=Deliverable.Status.SUBMITTED)
    collaboration = deliverable.collaboration
    _move(collaboration, Stage.CONTENT_REVIEW)
    _log(collaboration, f"Draft version {version} of the {deliverable.get_kind_display().lower()} submitted")
    return draft


@transaction.atomic
def draft_review(*, draft: Draft, approve: bool, comment: str, user) -> Draft:
    draft = Draft.objects.select_for_update().select_related("deliverable__collaboration__campaign").get(pk=draft.pk)
    if draft.status != Draft.Status.SUBMITTED:
        raise ValidationError(f"Version {draft.version} was reviewed already ({draft.get_status_display().lower()}).")
    if not approve and not comment.strip():
        raise ValidationError("Say what to change: the creator reads your comment with this version.")
    draft.status = Draft.Status.APPROVED if approve else Draft.Status.CHANGES
    draft.comment, draft.reviewed_by, draft.reviewed_at = comment.strip(), user, timezone.now()
    draft.save(update_fields=["status", "comment", "reviewed_by", "reviewed_at"])
    deliverable = draft.deliverable
    status = Deliverable.Status.APPROVED if approve else Deliverable.Status.PENDING
    Deliverable.objects.filter(pk=deliverable.pk).update(status=status)
    verdict = "approved" if approve else f"changes requested: {comment.strip()[:300]}"
    kind = deliverable.get_kind_display().lower()
    _log(deliverable.collaboration, f"Draft version {draft.version} of the {kind}: {verdict}", author=user)
    return draft


@transaction.atomic
def deliverable_go_live(*, deliverable: Deliverable, url: str) -> bool:
    """Record the live post's URL; link the post now when it is already synced. Return whether it was linked."""
    deliverable = _locked(deliverable)
    if not can_go_live(deliverable):
        raise ValidationError("The live post comes once a version is approved, and only once.")
    Deliverable.objects.filter(pk=deliverable.pk).update(live_url=url)
    deliverable.live_url = url
    _log(deliverable.collaboration, f"Live post of the {deliverable.get_kind_display().lower()}: {url}")
    return _link(deliverable)


def _link(deliverable: Deliverable) -> bool:
    post = (
        Post.objects.filter(url=deliverable.live_url, account__creator_id=deliverable.collaboration.creator_id)
        .select_related("account")
        .first()
    )
    if post is None:
        return False
    deliverable.post = post
    services.deliverable_save(deliverable=deliverable)  # published as when a member links the post; recalculated
    collaboration = deliverable.collaboration
    if (
        collaboration.stage in DRAFTING
        and not collaboration.deliverables.exclude(pk=deliverable.pk).filter(post__isnull=True).exists()
    ):
        _move(collaboration, Stage.PUBLISHED)
    services.collaboration_changed(collaboration)
    return True


def live_posts_link(scope) -> int:
    """Link the live posts that have arrived since their URL was given: a step of every recalculation (a sync's
    too), before the rollups count them. Only deliverables waiting for their post are read."""
    waiting = (
        Deliverable.objects.filter(scope.q("collaboration__creator_id"), post__isnull=True)
        .exclude(live_url="")
        .select_related("collaboration__campaign")
    )
    linked = 0
    for deliverable in waiting:
        with transaction.atomic():
            linked += _link(deliverable)
    return linked
