"""A drawn signature, as the server keeps it.

The canvas sends a PNG data URL. It is decoded and re-encoded with Pillow, so only pixels are
kept: nothing a browser sent is embedded as is in the executed PDF.
"""

from __future__ import annotations

import base64
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

MAX_SIGNATURE_PNG = 300 * 1024


def clean_signature_png(data_url: str) -> bytes:
    """Decode and re-encode a drawn signature (a PNG data URL from the canvas).

    Re-encoding with Pillow keeps only pixels: nothing a browser sent is embedded as is.
    """
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValidationError({"drawn_signature": _("Draw your signature in the box.")})
    try:
        raw = base64.b64decode(data_url[len(prefix) :], validate=True)
    except ValueError:
        raise ValidationError({"drawn_signature": _("The drawing could not be read.")}) from None
    if len(raw) > MAX_SIGNATURE_PNG:
        raise ValidationError({"drawn_signature": _("The drawing is too large.")})
    try:
        image = Image.open(io.BytesIO(raw))
        if image.format != "PNG" or image.width > 2000 or image.height > 1000:
            raise ValueError("unexpected image")
        image = image.convert("RGBA")
    except Exception:  # noqa: BLE001
        raise ValidationError({"drawn_signature": _("The drawing could not be read.")}) from None
    if image.getchannel("A").getbbox() is None:
        raise ValidationError({"drawn_signature": _("The signature box is empty.")})
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
