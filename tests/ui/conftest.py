"""The interface checks reuse the browser tests' one Chromium per module."""

from tests.e2e.conftest import browser, new_context, page  # noqa: F401 (fixtures)
