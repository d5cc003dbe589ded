"""What can go wrong when a platform is asked, in the product's words (shared by both clients and the sync)."""

from django.db import models


class Reason(models.TextChoices):
    NOT_FOUND = "not_found", "not found"
    NOT_BUSINESS = "not_business", "not a business or creator account"
    PRIVATE = "private", "private or age-gated"
    QUOTA = "quota", "quota exhausted"
    RATE_LIMITED = "rate_limited", "rate limited"
    CREDENTIALS = "credentials", "credentials refused"
    PLATFORM_DOWN = "platform_down", "platform down"
    BAD_ANSWER = "bad_answer", "unexpected answer from the platform"


class SyncError(Exception):
    """A platform's refusal or failure. ``retry_after``: seconds until asking again makes sense, when known."""

    reason = Reason.BAD_ANSWER

    def __init__(self, message: str = "", *, retry_after: float | None = None):
        super().__init__(message or self.reason.label)
        self.message = message or self.reason.label
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.reason.label}: {self.message}" if self.message != self.reason.label else self.reason.label


class AccountError(SyncError):
    """Only this account cannot be synced (the others can)."""


class NotFound(AccountError):
    reason = Reason.NOT_FOUND


class NotBusiness(AccountError):
    reason = Reason.NOT_BUSINESS


class Private(AccountError):
    reason = Reason.PRIVATE


class BadAnswer(AccountError):
    reason = Reason.BAD_ANSWER


class Deferral(SyncError):
    """No account of this platform can be synced until later: defer them, change nothing."""


class QuotaExhausted(Deferral):
    reason = Reason.QUOTA


class RateLimited(Deferral):
    reason = Reason.RATE_LIMITED


class CredentialsRefused(SyncError):
    """The deployment's key or token is refused: nothing can be synced until an operator fixes it."""

    reason = Reason.CREDENTIALS


class PlatformDown(SyncError):
    """A network error, a timeout or a server error: worth retrying with backoff."""

    reason = Reason.PLATFORM_DOWN
