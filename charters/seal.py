"""The installation's seal: a certificate and key that sign every executed charter (PAdES).

``ensure_certificate`` creates a self-signed certificate on first run; a certificate and key
configured at ``SEAL_CERT_FILE`` / ``SEAL_KEY_FILE`` are used as they are. ``verify_sealed_pdf``
validates a PDF's signature with pyHanko against that certificate as the only trust root.
"""

from __future__ import annotations

import datetime
import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

log = logging.getLogger(__name__)


def _passphrase() -> bytes | None:
    return settings.SEAL_KEY_PASSPHRASE.encode() if settings.SEAL_KEY_PASSPHRASE else None


def ensure_certificate(*, common_name: str = "Accord charter seal") -> bool:
    """Create a self-signed seal certificate and key if either file is missing.

    Returns True when new files were written. Existing (configured) files are never touched,
    so an installation can replace the self-signed seal with its own certificate.
    """
    cert_path, key_path = Path(settings.SEAL_CERT_FILE), Path(settings.SEAL_KEY_FILE)
    if cert_path.exists() and key_path.exists():
        return False
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Accord installation"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    passphrase = _passphrase()
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    # Write the key readable only by us, then the certificate.
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key_bytes)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    log.info("Created a self-signed seal certificate at %s", cert_path)
    return True


_signer_cache: dict[tuple, object] = {}


def _signer():
    from pyhanko.sign import signers

    ensure_certificate()
    cert_path, key_path = settings.SEAL_CERT_FILE, settings.SEAL_KEY_FILE
    cache_key = (cert_path, key_path, os.path.getmtime(cert_path), os.path.getmtime(key_path))
    signer = _signer_cache.get(cache_key)
    if signer is None:
        signer = signers.SimpleSigner.load(key_path, cert_path, key_passphrase=_passphrase())
        if signer is None:
            raise RuntimeError("The seal certificate or key could not be loaded.")
        _signer_cache.clear()
        _signer_cache[cache_key] = signer
    return signer


def trust_root():
    from pyhanko.keys import load_cert_from_pemder

    ensure_certificate()
    return load_cert_from_pemder(settings.SEAL_CERT_FILE)


def seal_pdf(pdf: bytes, *, reason: str) -> bytes:
    """Sign ``pdf`` with the installation's seal (PAdES baseline, SHA-256)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name="AccordSeal",
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason[:200],
        location="Accord",
    )
    return signers.sign_pdf(writer, meta, signer=_signer()).getvalue()


@dataclass
class SealCheck:
    ok: bool
    problem: str = ""
    signed_at: datetime.datetime | None = None


def verify_sealed_pdf(data: bytes) -> SealCheck:
    """Check that ``data`` carries exactly one intact, valid seal of this installation that
    covers the whole file with no later modification."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - anything unreadable is simply "not valid"
        return SealCheck(False, f"The file is not a readable PDF ({type(exc).__name__}).")
    if len(signatures) != 1:
        return SealCheck(False, "The file does not carry exactly one Accord seal.")
    try:
        status = validate_pdf_signature(
            signatures[0], ValidationContext(trust_roots=[trust_root()])
        )
    except Exception as exc:  # noqa: BLE001
        return SealCheck(False, f"The seal could not be validated ({type(exc).__name__}).")
    if not status.intact:
        return SealCheck(False, "The document was changed after it was sealed.")
    if not status.valid:
        return SealCheck(False, "The seal's cryptographic signature is not valid.")
    if not status.trusted:
        return SealCheck(False, "The seal was not made by this installation's certificate.")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SealCheck(False, "Content was added to the document after it was sealed.")
    return SealCheck(True, signed_at=status.signer_reported_dt)
