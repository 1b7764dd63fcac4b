"""The walkthrough's files (video and captions) as built by ``make walkthrough``.

They live in ``WALKTHROUGH_DIR`` (default ``var/walkthrough/``), outside MEDIA: they are
build output, the same for every organization, and served only by name from a fixed list, so
no path from a request ever reaches the file system.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse

VIDEO = "walkthrough.webm"
CAPTIONS = {"en": "walkthrough.en.vtt", "es": "walkthrough.es.vtt"}
CONTENT_TYPES = {
    VIDEO: "video/webm",
    CAPTIONS["en"]: "text/vtt; charset=utf-8",
    CAPTIONS["es"]: "text/vtt; charset=utf-8",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def walkthrough_dir() -> Path:
    """Where the walkthrough is built: the ``WALKTHROUGH_DIR`` setting, or var/walkthrough.

    The default is the project's own var/walkthrough (where ``make walkthrough`` writes), not
    under ``ACCORD_VAR_DIR``: the recording is build output of the checkout, like static files.
    """
    configured = getattr(settings, "WALKTHROUGH_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "walkthrough"


def walkthrough_file(name: str) -> Path | None:
    """The built file called ``name``, or None when it is not one of ours or not built."""
    if name not in CONTENT_TYPES:
        return None
    path = walkthrough_dir() / name
    return path if path.is_file() else None


def available_captions() -> list[str]:
    """Languages whose caption file has been built, in the guide's order."""
    return [lang for lang, name in CAPTIONS.items() if walkthrough_file(name)]


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The (first, last) bytes of a single ``Range: bytes=…`` header, or None if unusable.

    Browsers ask for ranges to seek in a video; one range is all they ask for. Anything we do
    not understand is answered with the whole file, as HTTP allows.
    """
    match = _RANGE.match(header.strip())
    if not match or size == 0:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    if start > end or start >= size:
        return (-1, -1)  # not satisfiable
    return start, end


def file_response(request: HttpRequest, path: Path, name: str) -> HttpResponse:
    """Stream ``path``, honouring a single byte range so the video can be sought."""
    size = path.stat().st_size
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted == (-1, -1):
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    handle = path.open("rb")
    if wanted is None:
        response = FileResponse(handle, content_type=CONTENT_TYPES[name])
    else:
        start, end = wanted
        handle.seek(start)
        response = StreamingHttpResponse(
            _limited(handle, end - start + 1), content_type=CONTENT_TYPES[name], status=206
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "no-cache"  # rebuilt in place by make walkthrough
    return response


def _limited(handle, remaining: int, chunk: int = 64 * 1024):
    """Yield at most ``remaining`` bytes from ``handle``, then close it."""
    try:
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()
