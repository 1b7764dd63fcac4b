"""Mutation tests for the keyring, part two: passphrases, creation, rotation and revocation."""

import base64
import datetime
import json
import os

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from core import keyring
from core.keyring import SignatureCheck
from tests.core.test_keyring_mutants import _near, _now

DAY = datetime.timedelta(days=1)


@pytest.fixture
def ring(tmp_path, settings):
    # Two levels that do not exist yet: the keyring makes its own parents.
    settings.SEAL_KEYRING_DIR = str(tmp_path / "shared" / "keyring")
    keyring.ensure_keyring()
    return tmp_path / "shared" / "keyring"


@pytest.fixture
def umask_zero():
    """File modes as the keyring asks for them, whatever the caller's umask."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def _index(ring) -> dict:
    return json.loads((ring / "keyring.json").read_text())


def _mode(path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def locked_ring(tmp_path, settings):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "locked")
    settings.SEAL_KEY_PASSPHRASE = "correct horse"
    keyring.ensure_keyring()
    return tmp_path / "locked"


def test_with_a_passphrase_private_keys_are_encrypted_with_it(locked_ring):
    key_id = keyring.current_key_id()
    for path in (locked_ring / "root-key.pem", locked_ring / "keys" / key_id / "key.pem"):
        assert b"ENCRYPTED PRIVATE KEY" in path.read_bytes()
        with pytest.raises(TypeError):
            serialization.load_pem_private_key(path.read_bytes(), password=None)
        serialization.load_pem_private_key(path.read_bytes(), password=b"correct horse")


def test_with_a_passphrase_keys_rotate_sign_and_verify(locked_ring):
    new = keyring.rotate()
    signature = keyring.sign_bytes(b"data")
    assert keyring.verify_bytes(b"data", signature) == SignatureCheck(True, new)
    assert keyring.current_signer() is not None


def test_a_wrong_passphrase_loads_no_signer(locked_ring, settings):
    settings.SEAL_KEY_PASSPHRASE = "wrong horse"
    with pytest.raises(
        keyring.KeyringMissing, match=r"^The current seal key could not be loaded\.$"
    ):
        keyring.current_signer()


@pytest.mark.parametrize("unset", ["", None])
def test_without_a_passphrase_private_keys_are_plain(tmp_path, settings, unset):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "plain")
    if unset is None:
        del settings.SEAL_KEY_PASSPHRASE
    else:
        settings.SEAL_KEY_PASSPHRASE = unset
    keyring.ensure_keyring()
    key = (tmp_path / "plain" / "root-key.pem").read_bytes()
    assert key.startswith(b"-----BEGIN PRIVATE KEY-----")
    serialization.load_pem_private_key(key, password=None)
    assert keyring.verify_bytes(b"x", keyring.sign_bytes(b"x")).valid


# ----------------------------------------------------------------- creation and rotation


def test_ensure_creates_once_and_says_so(tmp_path, settings):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "new")
    assert keyring.ensure_keyring() is True
    assert keyring.ensure_keyring() is False
    assert len(keyring.seal_keys()) == 1


def test_ensure_after_the_current_key_was_revoked_issues_a_new_one_under_the_same_root(ring):
    old = keyring.current_key_id()
    root = (ring / "root-cert.pem").read_bytes()
    keyring.revoke(old, reason="leaked")
    assert keyring.ensure_keyring() is True
    assert keyring.current_key_id() != old
    assert (ring / "root-cert.pem").read_bytes() == root
    assert [k.key_id for k in keyring.seal_keys()] == [old, keyring.current_key_id()]


def test_ensure_with_a_lost_root_certificate_makes_a_new_root(ring):
    old_root = (ring / "root-cert.pem").read_bytes()
    (ring / "root-cert.pem").unlink()
    assert keyring.ensure_keyring() is True
    assert (ring / "root-cert.pem").read_bytes() != old_root


def test_rotation_issues_a_new_current_key_and_keeps_the_old(ring):
    old = keyring.current_key_id()
    new = keyring.rotate()
    assert new != old and keyring.current_key_id() == new
    index = _index(ring)
    assert index["current"] == new and set(index["keys"]) == {old, new}
    assert index["keys"][new]["revoked_at"] is None


def test_rotation_without_a_keyring_is_refused(tmp_path, settings):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "none")
    with pytest.raises(
        keyring.KeyringMissing,
        match=r"^There is no keyring to rotate; run ensure_seal_certificate\.$",
    ):
        keyring.rotate()


def test_rotation_needs_the_root_key(ring):
    (ring / "root-key.pem").unlink()
    with pytest.raises(
        keyring.KeyringMissing,
        match=r"^The root key is not here; rotate where the root key is kept\.$",
    ):
        keyring.rotate()


def test_revoking_the_current_key_leaves_no_current_key(ring):
    key_id = keyring.current_key_id()
    keyring.revoke(key_id, reason="R" * 600)
    entry = _index(ring)["keys"][key_id]
    assert entry["reason"] == "R" * 500
    revoked_at = datetime.datetime.fromisoformat(entry["revoked_at"])
    assert revoked_at.tzinfo is not None and _near(revoked_at, _now())
    assert _index(ring)["current"] is None
    with pytest.raises(
        keyring.KeyringMissing,
        match=r"^The keyring has no current seal key: run manage\.py seal_rotate\.$",
    ):
        keyring.current_key_id()


def test_revoking_an_older_key_keeps_the_current_one(ring):
    old = keyring.current_key_id()
    new = keyring.rotate()
    keyring.revoke(old, reason="retired")
    assert keyring.current_key_id() == new
    (revoked, current) = keyring.seal_keys()
    assert (revoked.key_id, revoked.revoked, revoked.reason) == (old, True, "retired")
    assert (current.key_id, current.revoked, current.reason) == (new, False, "")


def test_revoking_an_unknown_key_is_refused(ring):
    with pytest.raises(KeyError) as refused:
        keyring.revoke("0" * 16, reason="x")
    assert refused.value.args == ("0" * 16,)


# ------------------------------------------------------------------------------ reading


def test_without_a_keyring_there_is_no_root_and_no_key(tmp_path, settings):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "none")
    with pytest.raises(
        keyring.KeyringMissing,
        match=r"^No seal keyring: run manage\.py ensure_seal_certificate\.$",
    ):
        keyring.root_certificate()
    assert keyring.seal_keys() == []
    with pytest.raises(keyring.KeyringMissing):
        keyring.current_key_id()


def test_seal_keys_are_listed_oldest_first_with_what_the_index_says(ring):
    first = keyring.current_key_id()
    second = keyring.rotate()
    third = keyring.rotate()
    index = _index(ring)
    # Creation times decide the order, not key ids.
    stamps = dict(zip(sorted([first, second, third]), ["2030", "2020", "2010"], strict=True))
    for key_id, stamp in stamps.items():
        index["keys"][key_id]["created"] = stamp
    index["keys"][third].pop("reason")
    index["keys"][second]["reason"] = "why"
    index["keys"][second]["revoked_at"] = "2021"
    keyring._write_index(ring, index)
    keys = keyring.seal_keys()
    assert [k.key_id for k in keys] == sorted(stamps, key=stamps.get)
    by_id = {k.key_id: k for k in keys}
    assert (by_id[second].created_at, by_id[second].revoked_at) == (stamps[second], "2021")
    assert (by_id[second].reason, by_id[second].revoked) == ("why", True)
    assert (by_id[third].reason, by_id[third].revoked_at, by_id[third].revoked) == ("", None, False)
    cert = x509.load_pem_x509_certificate((ring / "keys" / first / "cert.pem").read_bytes())
    assert by_id[first].certificate == cert


def test_a_key_whose_certificate_is_missing_is_not_listed(ring):
    old = keyring.current_key_id()
    new = keyring.rotate()
    (ring / "keys" / old / "cert.pem").unlink()
    assert [k.key_id for k in keyring.seal_keys()] == [new]


def test_a_certificate_is_found_by_its_fingerprint_only_if_ours(ring, tmp_path, settings):
    old = keyring.current_key_id()
    keyring.rotate()
    keys = {k.key_id: k for k in keyring.seal_keys()}
    assert keyring.key_for_certificate(keys[old].certificate) == keys[old]
    assert keyring.key_for_certificate(keyring.root_certificate()) is None


def test_a_process_without_the_private_key_cannot_sign(ring):
    (ring / "keys" / keyring.current_key_id() / "key.pem").unlink()
    with pytest.raises(
        keyring.KeyringMissing,
        match=r"^This process has no private seal key \(only the worker needs it\)\.$",
    ):
        keyring.sign_bytes(b"data")


def test_the_pdf_signer_is_the_current_key_with_the_root_in_its_chain(ring):
    keyring.rotate()
    signer = keyring.current_signer()
    (current,) = [k for k in keyring.seal_keys() if k.key_id == keyring.current_key_id()]
    der = current.certificate.public_bytes(serialization.Encoding.DER)
    assert signer.signing_cert.dump() == der
    root_der = keyring.root_certificate().public_bytes(serialization.Encoding.DER)
    assert root_der in [cert.dump() for cert in signer.cert_registry]


# ---------------------------------------------------------------------- detached signatures


def test_a_signature_is_es256_by_the_current_key_in_base64(ring):
    signature = keyring.sign_bytes(b"checkpoint")
    assert keyring.SIGNATURE_ALG == "ES256"
    assert set(signature) == {"alg", "key_id", "signature"}
    assert signature["alg"] == "ES256" and signature["key_id"] == keyring.current_key_id()
    raw = base64.b64decode(signature["signature"], validate=True)
    (key,) = keyring.seal_keys()
    key.certificate.public_key().verify(raw, b"checkpoint", ec.ECDSA(hashes.SHA256()))
    assert isinstance(signature["signature"], str)


def test_a_good_signature_names_its_key(ring):
    signature = keyring.sign_bytes(b"data")
    assert keyring.verify_bytes(b"data", signature) == SignatureCheck(
        True, keyring.current_key_id()
    )


def test_an_older_keys_signature_stays_valid_after_rotation(ring):
    old = keyring.current_key_id()
    signature = keyring.sign_bytes(b"data")
    keyring.rotate()
    keyring.rotate()
    assert keyring.verify_bytes(b"data", signature) == SignatureCheck(True, old)


def test_changed_data_does_not_match(ring):
    signature = keyring.sign_bytes(b"data")
    assert keyring.verify_bytes(b"datA", signature) == SignatureCheck(
        False, keyring.current_key_id(), problem="The signature does not match the data."
    )


def test_a_revoked_keys_signature_is_named_revoked(ring):
    key_id = keyring.current_key_id()
    signature = keyring.sign_bytes(b"data")
    keyring.revoke(key_id, reason="leaked")
    assert keyring.verify_bytes(b"data", signature) == SignatureCheck(
        False, key_id, revoked=True, problem="The signing key is revoked."
    )


def test_a_forged_signature_under_our_key_id_does_not_match(ring):
    forger = ec.generate_private_key(ec.SECP256R1())
    raw = forger.sign(b"data", ec.ECDSA(hashes.SHA256()))
    forged = {
        "alg": "ES256",
        "key_id": keyring.current_key_id(),
        "signature": base64.b64encode(raw).decode(),
    }
    assert keyring.verify_bytes(b"data", forged) == SignatureCheck(
        False, keyring.current_key_id(), problem="The signature does not match the data."
    )


def test_a_key_not_in_the_keyring_is_named(ring):
    signature = dict(keyring.sign_bytes(b"data"), key_id="0" * 16)
    assert keyring.verify_bytes(b"data", signature) == SignatureCheck(
        False, "0" * 16, problem="The signing key is not in this keyring."
    )


def test_another_algorithm_is_refused(ring):
    signature = dict(keyring.sign_bytes(b"data"), alg="RS256")
    assert keyring.verify_bytes(b"data", signature) == SignatureCheck(
        False, keyring.current_key_id(), problem="The signature algorithm is not ours."
    )
    del signature["alg"]
    assert keyring.verify_bytes(b"data", signature).problem == (
        "The signature algorithm is not ours."
    )


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"key_id": "x"},
        {"signature": "AAAA"},
        {"key_id": "x", "signature": "!!!!"},
        {"key_id": "x", "signature": 5},
        None,
        [],
    ],
)
def test_a_malformed_signature_is_named(ring, bad):
    assert keyring.verify_bytes(b"data", bad) == SignatureCheck(
        False, problem="The signature is malformed."
    )


def test_a_key_id_is_read_as_text(ring):
    signature = keyring.sign_bytes(b"data")
    assert keyring.verify_bytes(b"data", dict(signature, key_id=12)) == SignatureCheck(
        False, "12", problem="The signing key is not in this keyring."
    )
