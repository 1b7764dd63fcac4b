"""Checks on uploaded evidence files.

The type is decided by the file's content, never by its name or the browser's claim: a PDF
renamed to .png, or an executable renamed to .pdf, must be refused. Plain text has no magic
number, so it is recognized by decoding the content as UTF-8.
"""

from __future__ import annotations

import hashlib
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# Detected MIME type -> extension used for the stored (generated) name.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "text/plain": "txt",
}

ALLOWED_DESCRIPTION = "PDF, an image (PNG, JPEG, GIF, WebP), an office document or plain text"


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
        raise ValidationError(
            f"This file's content is {kind.mime}, which is not accepted. "
            f"Upload {ALLOWED_DESCRIPTION}.",
            code="file_type",
        )
    if _looks_like_text(head):
        return "text/plain"
    raise ValidationError(
        f"The file's content could not be recognized. Upload {ALLOWED_DESCRIPTION}.",
        code="file_type",
    )


def upload_check(upload) -> str:
    """Validate size and content of an uploaded evidence file; return its detected MIME type."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}.",
            code="file_size",
        )
    if not upload.size:
        raise ValidationError("The file is empty.", code="file_empty")
    return upload_detect_type(upload)


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
    return f"evidence/{organization.uuid}/{uuid.uuid4().hex}.{ALLOWED_TYPES[mime]}"
