"""The creators' side. Its only object of its own is the sign-in link; what a creator sees (collaborations,
deliverables) stays in campaigns, reached through ``portal.access``."""

from django.db import models

from creators.models import Creator


class SignInLink(models.Model):
    """One e-mailed sign-in link: the signed token names this row, which makes it work once."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
    # Links sent on request live PORTAL_LINK_MINUTES; links in outreach e-mails PORTAL_OUTREACH_LINK_DAYS, because
    # such a message is read hours or days later. Rows made before this field count from created_at.
    expires_at = models.DateTimeField(null=True, blank=True)
    # Where the link leads after signing in: the collaboration an outreach message is about (checked again then).
    collaboration_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["creator", "created_at"], name="portal_link_creator")]

    def __str__(self) -> str:
        return f"sign-in link {self.pk} of creator {self.creator_id}"
