"""The translation catalogues as the tests need them: compiled, and read for completeness.

``make run`` and ``make test`` compile ``locale/*/LC_MESSAGES/django.po`` (the ``.mo`` files
are build output, not committed); ``compile_stale`` does the same for a bare ``pytest`` run, so
a Spanish test never passes or fails on a stale catalogue.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def catalogues() -> list[Path]:
    """Every ``django.po`` of the project's own locale directory."""
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def compile_stale() -> None:
    """Compile each catalogue whose ``.mo`` is missing or older than its ``.po``.

    Written to a temporary file and moved into place, so two test processes starting at once
    never read half a file.
    """
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise RuntimeError("msgfmt (GNU gettext) is required: apt-get install gettext")
    for po in catalogues():
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        handle, temporary = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        os.close(handle)
        try:
            # Our own file names, no shell: nothing untrusted reaches the command line.
            subprocess.run([msgfmt, "--check", "-o", temporary, str(po)], check=True)  # noqa: S603
            os.replace(temporary, mo)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
