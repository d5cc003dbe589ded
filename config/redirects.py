"""Where a form may send the user back to: a `next` on this site, never elsewhere."""

from urllib.parse import urlsplit, urlunsplit

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def path_on_this_site(request: HttpRequest, url: str) -> str | None:
    """``url`` as a path of this site (path, query and fragment) when it points here, whether written as a path or
    in full with this site's host (a ``Referer``); else None."""

    def here(candidate: str) -> bool:
        return bool(candidate) and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )

    if not here(url):
        return None
    parts = urlsplit(url)
    path = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    # The path alone is checked again: "http://this-host//elsewhere/" has the path "//elsewhere/", another site's.
    return path if path.startswith("/") and here(path) else None


def safe_next(request: HttpRequest) -> str | None:
    """The request's `next` (POST, then GET) when it is an absolute path on this site, else None."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return path_on_this_site(request, candidate) if candidate.startswith("/") else None


def redirect_next(request: HttpRequest, fallback="/", *args, rewrite=None, **kwargs) -> HttpResponseRedirect:
    """Redirect to the request's `next` when it is on this site (``rewrite`` may change it), else to ``fallback`` (a
    URL, view name or model)."""
    target = safe_next(request)
    if target and rewrite:
        target = rewrite(target)
    return redirect(target or fallback, *args, **kwargs)
