"""The seal keyring: rotation keeps old signatures valid, revocation and foreign keys are named."""

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from core import keyring


@pytest.fixture
def ring(tmp_path, settings):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "keyring")
    keyring.ensure_keyring()
    return tmp_path / "keyring"


def test_ensure_creates_a_root_and_one_current_key_once(ring):
    first = keyring.current_key_id()
    assert keyring.ensure_keyring() is False
    assert keyring.current_key_id() == first
    assert [k.key_id for k in keyring.seal_keys()] == [first]


def test_seal_certificates_are_issued_by_the_root_and_are_not_authorities(ring):
    root = keyring.root_certificate()
    (key,) = keyring.seal_keys()
    assert key.certificate.issuer == root.subject
    key.certificate.verify_directly_issued_by(root)
    from cryptography import x509

    constraints = key.certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.value.ca is False


def test_a_signature_verifies_and_names_its_key(ring):
    signature = keyring.sign_bytes(b"checkpoint")
    check = keyring.verify_bytes(b"checkpoint", signature)
    assert check.valid and check.key_id == keyring.current_key_id()


def test_changed_data_fails(ring):
    signature = keyring.sign_bytes(b"checkpoint")
    check = keyring.verify_bytes(b"checkpoinT", signature)
    assert not check.valid and "does not match" in check.problem


def test_rotation_keeps_older_signatures_valid(ring):
    old = keyring.current_key_id()
    signature = keyring.sign_bytes(b"before rotation")
    new = keyring.rotate()
    assert new != old and keyring.current_key_id() == new
    check = keyring.verify_bytes(b"before rotation", signature)
    assert check.valid and check.key_id == old
    assert keyring.sign_bytes(b"x")["key_id"] == new


def test_a_revoked_key_is_reported_as_revoked(ring):
    old = keyring.current_key_id()
    signature = keyring.sign_bytes(b"data")
    keyring.revoke(old, reason="key leaked")
    check = keyring.verify_bytes(b"data", signature)
    assert not check.valid and check.revoked and check.key_id == old
    with pytest.raises(keyring.KeyringMissing):
        keyring.sign_bytes(b"no current key after revoking it")


def test_a_foreign_key_is_not_trusted(ring):
    import base64

    from cryptography.hazmat.primitives import hashes

    foreign = ec.generate_private_key(ec.SECP256R1())
    raw = foreign.sign(b"data", ec.ECDSA(hashes.SHA256()))
    forged = {
        "alg": "ES256",
        "key_id": keyring.current_key_id(),
        "signature": base64.b64encode(raw).decode(),
    }
    assert not keyring.verify_bytes(b"data", forged).valid
    unknown = dict(forged, key_id="0" * 16)
    assert "not in this keyring" in keyring.verify_bytes(b"data", unknown).problem


@pytest.mark.parametrize(
    "bad", [{}, {"key_id": "x"}, {"key_id": "x", "signature": "!!"}, {"signature": 5}]
)
def test_a_malformed_signature_is_not_valid(ring, bad):
    assert not keyring.verify_bytes(b"data", bad).valid


def test_a_process_without_private_keys_can_verify_but_not_sign(ring):
    signature = keyring.sign_bytes(b"data")
    for path in ring.glob("keys/*/key.pem"):
        path.unlink()
    assert keyring.verify_bytes(b"data", signature).valid
    with pytest.raises(keyring.KeyringMissing):
        keyring.sign_bytes(b"data")


def test_private_keys_are_readable_only_by_the_owner(ring):
    for path in [ring / "root-key.pem", *ring.glob("keys/*/key.pem")]:
        assert path.stat().st_mode & 0o077 == 0
