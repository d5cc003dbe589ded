"""Two-factor sign-in (TOTP, django-otp) and the session rules of staff.

A user with a confirmed authenticator proves it after the password, on every new session; a superuser (when
``TWO_FACTOR_FOR_SUPERUSERS``, on by default when DEBUG is false) or any staff member (``TWO_FACTOR_FOR_STAFF``) who
has none is sent to set one up before anything else. What a session still owes is decided once, at login, and kept in
the session, so pages cost no extra query.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import devices_for_user

SESSION_KEY = "microreach_2fa"
VERIFY, SETUP, DONE = "verify", "setup", ""
OPEN_URL_NAMES = {"logout", "two_factor_verify", "two_factor_setup", "healthz"}


def owed(user) -> str:
    """What the user must do before using the app: VERIFY, SETUP or DONE."""
    if any(devices_for_user(user, confirmed=True)):
        return VERIFY
    if (user.is_superuser and settings.TWO_FACTOR_FOR_SUPERUSERS) or (user.is_staff and settings.TWO_FACTOR_FOR_STAFF):
        return SETUP
    return DONE


@receiver(user_logged_in)
def _on_login(sender, request: HttpRequest, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    verified = getattr(user, "is_verified", lambda: False)()  # set by OTPMiddleware; absent on a test's login
    request.session[SESSION_KEY] = DONE if verified else owed(user)
    if user.is_staff and settings.STAFF_SESSION_AT_BROWSER_CLOSE:
        request.session.set_expiry(0)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():
            if SESSION_KEY not in request.session:  # a session from before two-factor existed
                request.session[SESSION_KEY] = owed(user)
            step = request.session[SESSION_KEY]
            if step and not self._open(request):
                name = "two_factor_verify" if step == VERIFY else "two_factor_setup"
                return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        from django.urls import Resolver404, resolve

        try:
            return resolve(request.path_info).url_name in OPEN_URL_NAMES
        except Resolver404:
            return False
