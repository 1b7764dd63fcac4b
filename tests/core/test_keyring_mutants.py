"""The seal keyring, pinned down exactly enough that any change to ``core.keyring`` fails a test
(``make mutation``): the files it writes and their modes, the certificates it issues, the
index it keeps, and the exact answer of every verification."""

import datetime
import json
import os
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core import keyring

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


def _near(moment, expected) -> bool:
    return abs(moment - expected) < datetime.timedelta(minutes=5)


def _now():
    return datetime.datetime.now(datetime.UTC)


# --------------------------------------------------------------------------- where it lives


def test_the_keyring_lives_where_it_is_configured(settings, tmp_path):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "configured")
    assert keyring.keyring_dir() == tmp_path / "configured"


@pytest.mark.parametrize("unset", ["", None])
def test_without_a_configured_place_the_keyring_is_under_var(settings, tmp_path, unset):
    settings.VAR_DIR = str(tmp_path)
    if unset is None:
        del settings.SEAL_KEYRING_DIR
    else:
        settings.SEAL_KEYRING_DIR = unset
    assert keyring.keyring_dir() == tmp_path / "seal"


def test_the_layout_on_disk(ring, umask_zero):
    (key_id,) = _index(ring)["keys"]
    names = sorted(str(p.relative_to(ring)) for p in ring.rglob("*"))
    assert names == [
        ".lock",
        "keyring.json",
        "keys",
        f"keys/{key_id}",
        f"keys/{key_id}/cert.pem",
        f"keys/{key_id}/key.pem",
        "root-cert.pem",
        "root-key.pem",
    ]


def test_files_are_written_with_their_modes_and_no_temporary_file_is_left(
    tmp_path, settings, umask_zero
):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "ring")
    keyring.ensure_keyring()
    ring = tmp_path / "ring"
    key_id = keyring.current_key_id()
    assert _mode(ring / "root-key.pem") == 0o600
    assert _mode(ring / "keys" / key_id / "key.pem") == 0o600
    assert _mode(ring / "root-cert.pem") == 0o644
    assert _mode(ring / "keys" / key_id / "cert.pem") == 0o644
    assert _mode(ring / "keyring.json") == 0o644
    assert not list(ring.rglob("*.tmp"))


def test_every_write_goes_through_a_temporary_file_next_to_its_target(ring, monkeypatch):
    """Renaming within one directory is atomic: a reader never sees half a file."""
    moves = []
    real_replace = os.replace

    def spy(src, dst):
        moves.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    keyring.rotate()
    key_id = keyring.current_key_id()
    targets = [
        str(ring / "keys" / key_id / "key.pem"),
        str(ring / "keys" / key_id / "cert.pem"),
        str(ring / "keyring.json"),
    ]
    assert moves == [(target + ".tmp", target) for target in targets]


def test_a_write_replaces_an_existing_file(tmp_path):
    target = tmp_path / "a" / "b" / "file"
    keyring._write(target, b"first version, longer")
    keyring._write(target, b"second")
    assert target.read_bytes() == b"second"


# --------------------------------------------------------------------------- what it issues


def test_a_fingerprint_is_the_first_16_hex_digits_of_the_sha256(ring):
    root = keyring.root_certificate()
    expected = root.fingerprint(hashes.SHA256()).hex()[:16]
    assert keyring.fingerprint(root) == expected and len(expected) == 16


def test_the_root_is_a_30_year_authority_for_certificates_only(ring):
    root = keyring.root_certificate()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Accord installation root"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Accord installation"),
        ]
    )
    assert root.subject == name and root.issuer == name
    root.verify_directly_issued_by(root)
    assert isinstance(root.signature_hash_algorithm, hashes.SHA256)
    assert isinstance(root.public_key(), ec.EllipticCurvePublicKey)
    assert root.public_key().curve.name == "secp256r1"
    assert _near(root.not_valid_before_utc, _now() - DAY)
    assert _near(root.not_valid_after_utc, _now() + 365 * 30 * DAY)
    constraints = root.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical is True
    assert constraints.value == x509.BasicConstraints(ca=True, path_length=0)
    usage = root.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical is True
    assert usage.value == x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert ski.critical is False
    assert ski.value == x509.SubjectKeyIdentifier.from_public_key(root.public_key())


def test_a_seal_certificate_is_a_10_year_signing_certificate_issued_by_the_root(ring):
    root = keyring.root_certificate()
    (key,) = keyring.seal_keys()
    cert = key.certificate
    assert cert.issuer == root.subject
    cert.verify_directly_issued_by(root)
    assert isinstance(cert.signature_hash_algorithm, hashes.SHA256)
    assert cert.public_key().curve.name == "secp256r1"
    (common_name,) = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert common_name.value.startswith("Accord charter seal 20")
    (organization,) = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    assert organization.value == "Accord installation"
    assert _near(cert.not_valid_before_utc, _now() - DAY)
    assert _near(cert.not_valid_after_utc, _now() + 365 * 10 * DAY)
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical is True
    assert constraints.value == x509.BasicConstraints(ca=False, path_length=None)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical is True
    assert usage.value == x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert ski.critical is False
    assert ski.value == x509.SubjectKeyIdentifier.from_public_key(cert.public_key())
    assert key.key_id == keyring.fingerprint(cert)


@pytest.fixture
def far_east_clock(monkeypatch):
    """The machine's local time 14 hours ahead of UTC."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_certificates_are_dated_in_utc_whatever_the_machines_time_zone(
    tmp_path, settings, far_east_clock
):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "ring")
    keyring.ensure_keyring()
    (key,) = keyring.seal_keys()
    for cert in (keyring.root_certificate(), key.certificate):
        assert _near(cert.not_valid_before_utc, _now() - DAY)


def test_the_private_keys_match_their_certificates(ring):
    key_id = keyring.current_key_id()
    private = serialization.load_pem_private_key(
        (ring / "keys" / key_id / "key.pem").read_bytes(), password=None
    )
    (key,) = keyring.seal_keys()
    assert private.public_key() == key.certificate.public_key()
    root_key = serialization.load_pem_private_key(
        (ring / "root-key.pem").read_bytes(), password=None
    )
    assert root_key.public_key() == keyring.root_certificate().public_key()


def test_the_index_is_stable_readable_json(ring):
    index = _index(ring)
    (key_id,) = index["keys"]
    assert index == {
        "current": key_id,
        "keys": {
            key_id: {"created": index["keys"][key_id]["created"], "reason": "", "revoked_at": None}
        },
    }
    created = datetime.datetime.fromisoformat(index["keys"][key_id]["created"])
    assert created.tzinfo is not None and _near(created, _now())
    text = (ring / "keyring.json").read_text()
    assert text == json.dumps(index, indent=2, sort_keys=True)


# --------------------------------------------------------------------- with a passphrase
