"""The seal on executed charters: a PAdES signature by the installation's current seal key.

Keys live in ``core.keyring``: one root certificate, and the seal certificates it issued. A
charter is sealed with the current key; verification trusts every seal certificate of the
keyring, so a charter sealed before a rotation still verifies and says which key sealed it,
and one sealed by a revoked key is reported as such. Nothing here creates keys: the keyring
is made by ``manage.py ensure_seal_certificate`` and rotated by ``manage.py seal_rotate``.

``verify_sealed_pdf`` names what it found, so a reader learns *why* a file is not valid: not a
PDF, no seal, more than one signature, a changed byte, content appended after sealing, a
certificate that is not ours, or a revoked key.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from core import keyring

FIELD_NAME = "AccordSeal"


def trust_root() -> asn1_x509.Certificate:
    """The keyring's root certificate, as pyHanko wants it (raises ``KeyringMissing``)."""
    der = keyring.root_certificate().public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def seal_pdf(pdf: bytes, *, reason: str) -> bytes:
    """Sign ``pdf`` with the current seal key (PAdES baseline, SHA-256). Only the worker, which
    holds the private key, calls this."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason[:200],
        location="Accord",
    )
    return signers.sign_pdf(writer, meta, signer=keyring.current_signer()).getvalue()


@dataclass
class SealCheck:
    """What ``verify_sealed_pdf`` found. ``ok`` only for one intact seal covering the whole
    file, by a key of this keyring that is not revoked."""

    ok: bool
    problem: str = ""
    signed_at: datetime.datetime | None = None
    key_id: str = ""
    key_current: bool = False
    revoked: bool = False
    revoked_at: str | None = None


def _keyring_key(embedded):
    """The keyring entry of the certificate that signed ``embedded`` (None: not ours)."""
    cert = x509.load_der_x509_certificate(embedded.signer_cert.dump())
    return keyring.key_for_certificate(cert)


def verify_sealed_pdf(data: bytes) -> SealCheck:
    """Check that ``data`` carries exactly one intact, valid seal of this installation's
    keyring that covers the whole file with nothing added after it."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - anything unreadable is simply "not valid"
        return SealCheck(
            False, _("The file is not a readable PDF (%(error)s).") % {"error": type(exc).__name__}
        )
    if not signatures:
        return SealCheck(False, _("The file carries no seal."))
    if len(signatures) > 1:
        return SealCheck(
            False,
            _(
                "The file carries %(count)s signatures; an executed charter carries exactly "
                "one, the Accord seal, so something was signed into it afterwards."
            )
            % {"count": len(signatures)},
        )
    embedded = signatures[0]
    try:
        root = trust_root()
        key = _keyring_key(embedded)
    except keyring.KeyringMissing:
        return SealCheck(False, _("This installation has no seal keyring to check seals against."))
    except Exception as exc:  # noqa: BLE001
        return SealCheck(
            False, _("The seal could not be read (%(error)s).") % {"error": type(exc).__name__}
        )
    if key is None:
        return SealCheck(
            False,
            _("The seal was made with a certificate that is not one of this installation's."),
        )
    found = {
        "key_id": key.key_id,
        "revoked": key.revoked,
        "revoked_at": key.revoked_at,
        "key_current": _is_current(key.key_id),
    }
    try:
        # Our root only; never fetches (pyhanko_certvalidator's default, pinned by a test).
        status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[root]))
    except Exception as exc:  # noqa: BLE001
        return SealCheck(
            False,
            _("The seal could not be validated (%(error)s).") % {"error": type(exc).__name__},
            **found,
        )
    if not status.intact:
        return SealCheck(False, _("The document was changed after it was sealed."), **found)
    if not status.valid:
        return SealCheck(False, _("The seal's cryptographic signature is not valid."), **found)
    if not status.trusted:
        return SealCheck(False, _("The seal's certificate was not issued by our root."), **found)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SealCheck(
            False,
            _("Content was added to the document after it was sealed (an incremental update)."),
            **found,
        )
    if key.revoked:
        return SealCheck(
            False,
            _("The seal was made with key %(key)s, which this installation revoked.")
            % {"key": key.key_id},
            signed_at=status.signer_reported_dt,
            **found,
        )
    return SealCheck(True, signed_at=status.signer_reported_dt, **found)


def _is_current(key_id: str) -> bool:
    try:
        return keyring.current_key_id() == key_id
    except keyring.KeyringMissing:
        return False
