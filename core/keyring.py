"""The installation's seal keyring: one root certificate and the seal keys it issued.

Executed charters and evidence checkpoints are signed with the *current* seal key. Keys are
rotated (``rotate``) and may be revoked (``revoke``); verification trusts every seal
certificate the root issued that is listed in the keyring, so a charter sealed five rotations
ago still verifies and says which key sealed it, and a revoked key is reported as revoked.

Layout of ``settings.SEAL_KEYRING_DIR`` (shared by every process, e.g. a mounted volume)::

    root-cert.pem            the trust root (public)
    root-key.pem             the root's private key, only needed to rotate (keep it offline)
    keys/<key_id>/cert.pem   a seal certificate (public)
    keys/<key_id>/key.pem    its private key, only needed where signing happens (the worker)
    keyring.json             {"current": key_id, "keys": {key_id: {created, revoked_at, reason}}}

Nothing on a request path creates keys: ``ensure_keyring`` runs from ``manage.py
ensure_seal_certificate`` (``make run``, the worker's start), ``rotate`` from ``manage.py
seal_rotate``. Several processes may call them at once; a file lock makes one of them win.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

SIGNATURE_ALG = "ES256"


class KeyringMissing(RuntimeError):
    """No keyring (or no current private key) where this process looks for one."""


@dataclass(frozen=True)
class SealKey:
    key_id: str
    certificate: x509.Certificate
    created_at: str
    revoked_at: str | None = None
    reason: str = ""

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True)
class SignatureCheck:
    """The answer of ``verify_bytes``: ``valid`` only for an intact signature by a key of
    ours that is not revoked."""

    valid: bool
    key_id: str = ""
    revoked: bool = False
    problem: str = ""


def keyring_dir() -> Path:
    return Path(getattr(settings, "SEAL_KEYRING_DIR", None) or Path(settings.VAR_DIR) / "seal")


def _passphrase() -> bytes | None:
    value = getattr(settings, "SEAL_KEY_PASSPHRASE", None)
    return value.encode() if value else None


def fingerprint(cert: x509.Certificate) -> str:
    """A key id: the first 16 hex digits of the certificate's SHA-256 fingerprint."""
    return cert.fingerprint(hashes.SHA256()).hex()[:16]


@contextlib.contextmanager
def _locked():
    directory = keyring_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield directory
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write atomically (a reader never sees half a file); private files are 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _key_pem(key) -> bytes:
    passphrase = _passphrase()
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Accord installation"),
        ]
    )


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(subject, public_key, *, issuer, issuer_key, ca: bool, years: int):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(_usage(ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _read_index(directory: Path) -> dict:
    path = directory / "keyring.json"
    if not path.exists():
        return {"current": None, "keys": {}}
    return json.loads(path.read_text())


def _write_index(directory: Path, index: dict) -> None:
    _write(directory / "keyring.json", json.dumps(index, indent=2, sort_keys=True).encode())


def _load_root_key(directory: Path):
    path = directory / "root-key.pem"
    if not path.exists():
        raise KeyringMissing("The root key is not here; rotate where the root key is kept.")
    return serialization.load_pem_private_key(path.read_bytes(), password=_passphrase())


def _issue(directory: Path, index: dict) -> str:
    root_cert = x509.load_pem_x509_certificate((directory / "root-cert.pem").read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    stamp = datetime.datetime.now(datetime.UTC)
    subject = _name(f"Accord charter seal {stamp:%Y-%m-%d %H:%M:%S}")
    cert = _certificate(
        subject,
        key.public_key(),
        issuer=root_cert.subject,
        issuer_key=_load_root_key(directory),
        ca=False,
        years=10,
    )
    key_id = fingerprint(cert)
    _write(directory / "keys" / key_id / "key.pem", _key_pem(key), private=True)
    _write(directory / "keys" / key_id / "cert.pem", cert.public_bytes(serialization.Encoding.PEM))
    index["keys"][key_id] = {"created": stamp.isoformat(), "revoked_at": None, "reason": ""}
    index["current"] = key_id
    _write_index(directory, index)
    return key_id


def ensure_keyring() -> bool:
    """Create the root and a first seal key if the keyring is empty. True when created."""
    with _locked() as directory:
        index = _read_index(directory)
        if index.get("current") and (directory / "root-cert.pem").exists():
            return False
        if not (directory / "root-cert.pem").exists():
            root_key = ec.generate_private_key(ec.SECP256R1())
            name = _name("Accord installation root")
            root = _certificate(
                name, root_key.public_key(), issuer=name, issuer_key=root_key, ca=True, years=30
            )
            _write(directory / "root-key.pem", _key_pem(root_key), private=True)
            _write(directory / "root-cert.pem", root.public_bytes(serialization.Encoding.PEM))
        _issue(directory, index)
        return True


def rotate() -> str:
    """Issue a new seal key and make it current; older keys stay trusted. Returns its id."""
    with _locked() as directory:
        if not (directory / "root-cert.pem").exists():
            raise KeyringMissing("There is no keyring to rotate; run ensure_seal_certificate.")
        return _issue(directory, _read_index(directory))


def revoke(key_id: str, *, reason: str) -> None:
    """Mark ``key_id`` revoked: what it sealed is reported as sealed by a revoked key."""
    with _locked() as directory:
        index = _read_index(directory)
        if key_id not in index["keys"]:
            raise KeyError(key_id)
        entry = index["keys"][key_id]
        entry["revoked_at"] = datetime.datetime.now(datetime.UTC).isoformat()
        entry["reason"] = reason[:500]
        if index.get("current") == key_id:
            index["current"] = None
        _write_index(directory, index)


def root_certificate() -> x509.Certificate:
    path = keyring_dir() / "root-cert.pem"
    if not path.exists():
        raise KeyringMissing("No seal keyring: run manage.py ensure_seal_certificate.")
    return x509.load_pem_x509_certificate(path.read_bytes())


def seal_keys() -> list[SealKey]:
    """Every seal key of the keyring, oldest first (certificates only, no private keys)."""
    directory = keyring_dir()
    index = _read_index(directory)
    found = []
    for key_id, entry in sorted(index["keys"].items(), key=lambda item: item[1]["created"]):
        cert_path = directory / "keys" / key_id / "cert.pem"
        if cert_path.exists():
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            found.append(
                SealKey(
                    key_id, cert, entry["created"], entry.get("revoked_at"), entry.get("reason", "")
                )
            )
    return found


def key_for_certificate(cert: x509.Certificate) -> SealKey | None:
    """The keyring entry whose certificate is exactly ``cert`` (None: not one of ours)."""
    wanted = fingerprint(cert)
    return next((key for key in seal_keys() if key.key_id == wanted), None)


def current_key_id() -> str:
    current = _read_index(keyring_dir()).get("current")
    if not current:
        raise KeyringMissing("The keyring has no current seal key: run manage.py seal_rotate.")
    return current


def _private_key(key_id: str):
    path = keyring_dir() / "keys" / key_id / "key.pem"
    if not path.exists():
        raise KeyringMissing("This process has no private seal key (only the worker needs it).")
    return serialization.load_pem_private_key(path.read_bytes(), password=_passphrase())


def current_signer():
    """A pyHanko signer for the current key, with the root in its certificate chain."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.sign import signers

    key_id = current_key_id()
    directory = keyring_dir()
    signer = signers.SimpleSigner.load(
        str(directory / "keys" / key_id / "key.pem"),
        str(directory / "keys" / key_id / "cert.pem"),
        key_passphrase=_passphrase(),
        other_certs=[load_cert_from_pemder(str(directory / "root-cert.pem"))],
    )
    if signer is None:
        raise KeyringMissing("The current seal key could not be loaded.")
    return signer


def sign_bytes(data: bytes) -> dict:
    """A detached signature of ``data`` by the current seal key (for evidence checkpoints)."""
    key_id = current_key_id()
    signature = _private_key(key_id).sign(data, ec.ECDSA(hashes.SHA256()))
    return {
        "alg": SIGNATURE_ALG,
        "key_id": key_id,
        "signature": base64.b64encode(signature).decode(),  # base64 is ASCII
    }


def verify_bytes(data: bytes, signature: dict) -> SignatureCheck:
    """Check a ``sign_bytes`` signature against the keyring (rotated keys stay valid)."""
    try:
        key_id = str(signature["key_id"])
        raw = base64.b64decode(signature["signature"], validate=True)
    except (KeyError, TypeError, ValueError):
        return SignatureCheck(False, problem="The signature is malformed.")
    if signature.get("alg") != SIGNATURE_ALG:
        return SignatureCheck(False, key_id, problem="The signature algorithm is not ours.")
    key = next((k for k in seal_keys() if k.key_id == key_id), None)
    if key is None:
        return SignatureCheck(False, key_id, problem="The signing key is not in this keyring.")
    try:
        key.certificate.public_key().verify(raw, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return SignatureCheck(False, key_id, problem="The signature does not match the data.")
    if key.revoked:
        return SignatureCheck(False, key_id, revoked=True, problem="The signing key is revoked.")
    return SignatureCheck(True, key_id)
