"""A creator's answer to a brand's proposal, from the portal: accept (contracted), decline, or a counter-offer on the
fee (negotiating). Each answer is a stage change marked as the creator's and an entry in the brand's log."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns import services
from campaigns.models import Collaboration, RelationshipEntry, Stage

OPEN = (Stage.CONTACTED, Stage.NEGOTIATING)  # what a creator can still answer


def can_answer(collaboration: Collaboration) -> bool:
    return collaboration.stage in OPEN


@transaction.atomic
def collaboration_answer(
    *, collaboration: Collaboration, answer: str, fee: Decimal | None, message: str, rights: bool = False
) -> str:
    """Record the answer; return what happened, in words for the creator."""
    collaboration = Collaboration.objects.select_for_update().select_related("campaign").get(pk=collaboration.pk)
    if not can_answer(collaboration):
        raise ValidationError(f"This collaboration is {collaboration.get_stage_display().lower()}: nothing to answer.")
    currency = collaboration.campaign.currency
    if answer == "accept":
        stage, summary, said = Stage.CONTRACTED, "Accepted the proposal", "You accepted. The brand has been told."
        if collaboration.fee is not None:
            summary += f" at {collaboration.fee:,.2f} {currency}"
        if usage := collaboration.campaign.usage_rights:
            if not rights:
                raise ValidationError(f"To accept, accept the usage rights too ({usage}), or propose other terms.")
            summary += f", with the usage rights ({usage})"
            Collaboration.objects.filter(pk=collaboration.pk).update(
                rights_accepted=usage[:400], rights_accepted_at=timezone.now()
            )
    elif answer == "decline":
        stage, summary, said = Stage.DECLINED, "Declined the proposal", "You declined. The brand has been told."
    elif answer == "counter":
        if fee is None or fee <= 0:
            raise ValidationError("Give the fee you propose, a positive amount.")
        stage = Stage.NEGOTIATING
        summary = f"Counter-offer: {fee:,.2f} {currency}"
        said = "Your counter-offer was sent to the brand."
    else:
        raise ValidationError("Choose accept, decline or a counter-offer.")
    if message.strip():
        summary += f" — “{message.strip()[:1000]}”"
    # The campaign's spend follows a contracted fee: the move queues the recalculation.
    services.collaboration_move(collaboration=collaboration, stage=stage, user=None, by_creator=True)
    services.collaboration_log(collaboration=collaboration, kind=RelationshipEntry.Kind.PORTAL, summary=summary)
    return said
