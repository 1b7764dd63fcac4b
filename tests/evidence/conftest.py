"""Evidence tests write checkpoints to a directory of their own, signed by a keyring of their
own (both outside the database, as in production)."""

import pytest

from core import keyring


@pytest.fixture(autouse=True)
def checkpoint_dir(tmp_path, settings):
    settings.EVIDENCE_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return tmp_path / "checkpoints"


@pytest.fixture
def seal_keyring(tmp_path, settings):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "keyring")
    keyring.ensure_keyring()
    return tmp_path / "keyring"
