"""Checks on uploaded evidence files.

The type is decided by the file's content, never by the browser's claim, and the name must
agree with it: a PDF renamed to .png, or an executable renamed to .pdf, is refused. Plain text
has no magic number, so it is recognized by decoding the content as UTF-8; text that a browser
would render or run (HTML, SVG, XML, scripts) is refused whatever its name.
"""

from __future__ import annotations

import hashlib
import re
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# Detected MIME type -> (what to call it, the extensions a file of that type may have). The
# first extension is the one of the stored (generated) name.
ALLOWED_TYPES = {
    "application/pdf": ("PDF", ("pdf",)),
    "image/png": ("PNG", ("png",)),
    "image/jpeg": ("JPEG", ("jpg", "jpeg")),
    "image/gif": ("GIF", ("gif",)),
    "image/webp": ("WebP", ("webp",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("Word", ("docx",)),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("Excel", ("xlsx",)),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "PowerPoint",
        ("pptx",),
    ),
    "application/msword": ("Word 97–2003", ("doc",)),
    "application/vnd.ms-excel": ("Excel 97–2003", ("xls",)),
    "application/vnd.ms-powerpoint": ("PowerPoint 97–2003", ("ppt",)),
    "application/vnd.oasis.opendocument.text": ("OpenDocument text", ("odt",)),
    "application/vnd.oasis.opendocument.spreadsheet": ("OpenDocument spreadsheet", ("ods",)),
    "application/vnd.oasis.opendocument.presentation": ("OpenDocument presentation", ("odp",)),
    "text/plain": ("plain text", ("txt", "csv", "md")),
}

_DESCRIBED = [
    f"{label} ({', '.join('.' + ext for ext in extensions)})"
    for label, extensions in ALLOWED_TYPES.values()
]
ALLOWED_DESCRIPTION = ", ".join(_DESCRIBED[:-1]) + f" or {_DESCRIBED[-1]}"

# Text that a browser would run or render as a document: HTML, SVG, XML, scripts. Refused even
# when named .txt, because a mislabelled download that is opened can still run.
ACTIVE_TEXT = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|\?xml)\b"
    rb"|javascript\s*:",
    re.IGNORECASE,
)


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 4:
            return False
    return True


def _refused(found: str) -> ValidationError:
    return ValidationError(
        f"This file's content is {found}, which is not accepted. Upload {ALLOWED_DESCRIPTION}.",
        code="file_type",
    )


def upload_detect_type(upload) -> str:
    """Return the MIME type of ``upload`` judged by its bytes, or raise ValidationError."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
        if mime == "application/zip":
            mime = ""  # a bare zip is not an office document
        if mime in ALLOWED_TYPES:
            return mime
        raise _refused(kind.mime)
    if _looks_like_text(head):
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"#!"):
            raise _refused("a script")
        if ACTIVE_TEXT.search(head):
            raise _refused("HTML, SVG or script markup")
        return "text/plain"
    raise ValidationError(
        f"The file's content could not be recognized. Upload {ALLOWED_DESCRIPTION}.",
        code="file_type",
    )


def _extension(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base.strip(".") else ""


def upload_check(upload) -> str:
    """Validate size, content and name of an uploaded evidence file; return its detected MIME
    type. The name's extension must be one of the detected type's: a PDF called .png, or
    text called .pdf, is refused, so what the file says it is and what it is agree."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}.",
            code="file_size",
        )
    if not upload.size:
        raise ValidationError("The file is empty.", code="file_empty")
    mime = upload_detect_type(upload)
    label, extensions = ALLOWED_TYPES[mime]
    extension = _extension(getattr(upload, "name", ""))
    if extension not in extensions:
        named = f".{extension}" if extension else "no extension"
        expected = ", ".join(f".{ext}" for ext in extensions)
        raise ValidationError(
            f"The file's name ends in {named} but its content is {label}: name it {expected}.",
            code="file_extension",
        )
    return mime


def upload_sha256(upload) -> str:
    """SHA-256 of the upload's bytes (read in chunks; the upload is left at its start)."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def file_sha256(handle) -> str:
    """SHA-256 of an open stored file's bytes."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def upload_storage_name(*, organization, mime: str) -> str:
    """A generated storage name: nothing of the uploader's file name reaches the disk."""
    return f"evidence/{organization.uuid}/{uuid.uuid4().hex}.{ALLOWED_TYPES[mime][1][0]}"
