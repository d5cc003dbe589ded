"""Serving the app's media (profile pictures downloaded by the sync) to signed-in users, from any storage."""

from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET

SERVED = ("avatars/",)


@require_GET
def media(request: HttpRequest, path: str) -> FileResponse:
    if not path.startswith(SERVED) or ".." in path.split("/") or "\\" in path:
        raise Http404("No such file.")
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404("No such file.") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"  # names are content hashes: a new picture is a new name
    return response


def private_file(field, content_type: str) -> FileResponse:
    """A stored upload (a draft), for a view that has checked who may see it: never cached by proxies, downloaded
    unless it is an image or a video (so that nothing stored is ever run as a page)."""
    if not field:
        raise Http404("No such file.")
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404("No such file.") from None
    inline = content_type.startswith(("image/", "video/"))
    response = FileResponse(handle, content_type=content_type or "application/octet-stream", as_attachment=not inline)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    return response


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page's icon link says: send them to the icon, not a 404."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
