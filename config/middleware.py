"""Project-wide middleware."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse

from config import redirects


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header: everything this app serves comes from itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class RequestBodyLimitMiddleware:
    """Refuses a request whose declared body exceeds MAX_REQUEST_BYTES (413) before anything reads it; the import
    page's uploads may reach IMPORT_MAX_BYTES (the page refuses a larger file with its own message)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.MAX_REQUEST_BYTES
        if request.path == reverse("creators:import"):
            limit = max(limit, settings.IMPORT_MAX_BYTES + 64 * 1024)  # the file and the form's other fields
        if declared > limit:
            megabytes = limit // (1024 * 1024)
            return HttpResponse(
                f"The request is larger than {megabytes} MB; nothing was read.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A 405 that a browser shows gets a page that says what happened, instead of Django's empty body: a form's
    address opened as a link (a bookmark, the history) takes only what its form sends."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or not request.accepts("text/html"):
            return response
        page = render(request, "405.html", status=405)
        if "Allow" in response.headers:
            page.headers["Allow"] = response.headers["Allow"]
        return page


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's: every view needs a signed-in user unless marked otherwise. A form sent after the session ended
    comes back, once signed in, to the page the form was on (its Referer, if on this site), not to the form's
    address, which takes no visit; the login page says to send it again."""

    def handle_no_permission(self, request: HttpRequest, view_func) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            return super().handle_no_permission(request, view_func)
        back = redirects.path_on_this_site(request, request.headers.get("Referer", "")) or "/"
        messages.info(request, "You were signed out before the form was sent: sign in, then send it again.")
        return redirect_to_login(back, resolve_url(self.get_login_url(view_func)))
