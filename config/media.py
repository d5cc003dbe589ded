"""Serving the app's media (profile pictures downloaded by the sync) to signed-in users, from any storage."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
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
