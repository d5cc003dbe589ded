"""Where a form may send the user back to: a `next` on this site, never elsewhere."""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest) -> str | None:
    """The request's `next` (POST, then GET) when it is an absolute path on this site, else None."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def redirect_next(request: HttpRequest, fallback="/", *args, rewrite=None, **kwargs) -> HttpResponseRedirect:
    """Redirect to the request's `next` when it is on this site (``rewrite`` may change it), else to ``fallback`` (a
    URL, view name or model)."""
    target = safe_next(request)
    if target and rewrite:
        target = rewrite(target)
    return redirect(target or fallback, *args, **kwargs)
