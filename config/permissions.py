"""Staff pages outside the admin check the same Django model permissions the admin does."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require_perms(request: HttpRequest, *perms: str, staff: bool = True) -> None:
    """403 unless the user holds every permission in ``perms`` (and, with ``staff``, is staff)."""
    user = request.user
    if (staff and not user.is_staff) or not user.has_perms(perms):
        raise PermissionDenied("Your account doesn't have the permissions this page needs.")
