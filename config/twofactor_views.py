"""The two-factor pages: set up an authenticator (with recovery codes), and prove it after the password."""

import secrets
from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .redirects import safe_next
from .twofactor import DONE, SESSION_KEY

RECOVERY_CODES = 10


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
    )


def _plain(code: str) -> str:
    """A code as typed ("123 456", "ab12-cd34-ef56") as stored."""
    return code.replace(" ", "").replace("-", "").lower()


def _signed_in(request: HttpRequest, device) -> HttpResponse:
    otp_login(request, device)
    request.session[SESSION_KEY] = DONE
    return redirect(safe_next(request) or "/")


def verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, _plain(form.cleaned_data["otp_token"]))
        if device is not None:
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, f"You used a recovery code; {left} left. Set up new ones on Two-factor.")
            return _signed_in(request, device)
        form.add_error("otp_token", "That code is not right (or too many tries: wait a little and try again).")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": safe_next(request) or ""})


def setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator (or, once there is one, issue new recovery codes)."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed:
        if request.method == "POST" and request.user.is_verified():
            return _show_codes(request, _new_recovery_codes(user))
        return render(request, "registration/two_factor_on.html", {"device": confirmed})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(_plain(form.cleaned_data["otp_token"])):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            otp_login(request, device)
            request.session[SESSION_KEY] = DONE
            return _show_codes(request, codes)
        form.add_error("otp_token", "That code is not right; check the time on your phone and try the next one.")
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1b1f24", light="#ffffff"),
        "secret": b32encode(device.bin_key).decode(),
        "next": safe_next(request) or "",
    }
    return render(request, "registration/two_factor_setup.html", context)


def _new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with new ones (each works once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [secrets.token_hex(6) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return ["-".join(code[i : i + 4] for i in range(0, 12, 4)) for code in codes]


def _show_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    response = render(
        request, "registration/two_factor_codes.html", {"codes": codes, "next": safe_next(request) or "/"}
    )
    response["Cache-Control"] = "no-store"
    return response
