"""The seal module, pinned down exactly enough that any change to ``charters.seal`` fails a
test (``make mutation``): what a seal carries, and the exact finding of ``verify_sealed_pdf``
for every case, on small PDFs made in memory (no database, no HTML rendering)."""

import datetime
import io
import shutil

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.test import override_settings
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from charters import seal
from charters.seal import SealCheck
from core import keyring

NOT_OURS = "The seal was made with a certificate that is not one of this installation's."


@pytest.fixture
def ring(tmp_path, settings):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "keyring")
    keyring.ensure_keyring()
    return tmp_path / "keyring"


def _blank_pdf() -> bytes:
    writer = PdfFileWriter(stream_xrefs=False)
    content = writer.add_object(generic.StreamObject(stream_data=b"BT ET"))
    writer.insert_page(PageObject(contents=content, media_box=(0, 0, 200, 200)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def sealed(ring):
    return seal.seal_pdf(_blank_pdf(), reason="Executed charter")


def _signature(data: bytes):
    (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    return embedded


def _is_now(moment) -> bool:
    now = datetime.datetime.now(datetime.UTC)
    return now - datetime.timedelta(minutes=5) <= moment <= now + datetime.timedelta(minutes=1)


def _found(key_id=None, *, current=True, **fields):
    return {"key_id": key_id or keyring.current_key_id(), "key_current": current, **fields}


def _sign_again(data: bytes, signer, *, field: str) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256")
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def _foreign_keyring(tmp_path):
    """Another installation's keyring: its current signer and its seal certificate's PEM."""
    with override_settings(SEAL_KEYRING_DIR=str(tmp_path / "elsewhere")):
        keyring.ensure_keyring()
        (key,) = keyring.seal_keys()
        return keyring.current_signer(), key


# ------------------------------------------------------------------------------- sealing


def test_the_trust_root_is_the_keyrings_root_certificate(ring):
    root = seal.trust_root()
    assert isinstance(root, asn1_x509.Certificate)
    expected = keyring.root_certificate().public_bytes(serialization.Encoding.DER)
    assert root.dump() == expected


def test_without_a_keyring_there_is_no_trust_root_and_none_is_made(tmp_path, settings):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "none")
    with pytest.raises(keyring.KeyringMissing):
        seal.trust_root()
    assert not (tmp_path / "none").exists()


def test_a_seal_is_a_pades_signature_in_its_own_field_with_a_short_reason(ring):
    sealed = seal.seal_pdf(_blank_pdf(), reason="R" * 250)
    embedded = _signature(sealed)
    assert seal.FIELD_NAME == "AccordSeal"
    assert embedded.field_name == "AccordSeal"
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.sig_object["/Reason"] == "R" * 200
    assert embedded.sig_object["/Location"] == "Accord"
    assert embedded.md_algorithm == "sha256"


def test_a_seal_is_made_with_the_current_key(ring):
    keyring.rotate()
    embedded = _signature(seal.seal_pdf(_blank_pdf(), reason="x"))
    cert = x509.load_der_x509_certificate(embedded.signer_cert.dump())
    assert keyring.fingerprint(cert) == keyring.current_key_id()


def _p384_signer(tmp_path):
    key = ec.generate_private_key(ec.SECP384R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "P-384 seal")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA384())
    )
    key_path, cert_path = tmp_path / "p384-key.pem", tmp_path / "p384-cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return signers.SimpleSigner.load(str(key_path), str(cert_path))


def test_the_seal_digest_is_sha256_whatever_the_key(ring, tmp_path, monkeypatch):
    monkeypatch.setattr(keyring, "current_signer", lambda: _p384_signer(tmp_path))
    assert _signature(seal.seal_pdf(_blank_pdf(), reason="x")).md_algorithm == "sha256"


# -------------------------------------------------------------------------- verification


def test_an_unaltered_seal_is_valid_and_names_its_current_key(sealed):
    check = seal.verify_sealed_pdf(sealed)
    assert _is_now(check.signed_at)
    assert check == SealCheck(True, signed_at=check.signed_at, **_found())


def test_a_seal_by_a_rotated_out_key_stays_valid_and_says_it_is_not_current(sealed):
    old = keyring.current_key_id()
    keyring.rotate()
    check = seal.verify_sealed_pdf(sealed)
    assert _is_now(check.signed_at)
    assert check == SealCheck(True, signed_at=check.signed_at, **_found(old, current=False))


def test_a_seal_by_a_revoked_key_is_named_with_its_key(sealed):
    old = keyring.current_key_id()
    keyring.rotate()
    keyring.revoke(old, reason="leaked")
    check = seal.verify_sealed_pdf(sealed)
    (revoked,) = [k for k in keyring.seal_keys() if k.key_id == old]
    assert _is_now(check.signed_at)
    assert check == SealCheck(
        False,
        f"The seal was made with key {old}, which this installation revoked.",
        signed_at=check.signed_at,
        **_found(old, current=False, revoked=True, revoked_at=revoked.revoked_at),
    )


def test_a_seal_by_the_revoked_last_key_is_not_current_either(sealed):
    """With no current key left, no key is reported as the current one."""
    key_id = keyring.current_key_id()
    keyring.revoke(key_id, reason="leaked")
    check = seal.verify_sealed_pdf(sealed)
    assert check.ok is False and check.revoked is True
    assert check.key_id == key_id and check.key_current is False


def test_a_file_that_is_not_a_pdf_is_named_so(ring):
    assert seal.verify_sealed_pdf(b"not a pdf") == SealCheck(
        False, "The file is not a readable PDF (PdfReadError)."
    )


def test_a_pdf_without_a_seal_is_named_so(ring):
    assert seal.verify_sealed_pdf(_blank_pdf()) == SealCheck(False, "The file carries no seal.")


def test_a_second_signature_is_named_with_the_count(sealed):
    twice = _sign_again(sealed, keyring.current_signer(), field="Second")
    assert seal.verify_sealed_pdf(twice) == SealCheck(
        False,
        "The file carries 2 signatures; an executed charter carries exactly one, the Accord "
        "seal, so something was signed into it afterwards.",
    )


def test_a_seal_by_another_installation_is_not_ours(ring, tmp_path):
    signer, _ = _foreign_keyring(tmp_path)
    foreign = _sign_again(_blank_pdf(), signer, field="AccordSeal")
    assert seal.verify_sealed_pdf(foreign) == SealCheck(False, NOT_OURS)


def test_a_changed_byte_is_named_with_the_key(sealed):
    at = sealed.index(b"BT ET")
    changed = sealed[:at] + b"BX" + sealed[at + 2 :]
    assert seal.verify_sealed_pdf(changed) == SealCheck(
        False, "The document was changed after it was sealed.", **_found()
    )


def test_a_sloppily_structured_file_is_still_read_and_checked(sealed):
    """Readers are lenient (as PDF viewers are): a malformed trailer does not hide what
    changed behind "unreadable"."""
    at = sealed.rindex(b"trailer") + len(b"trailer")
    sloppy = sealed[:at] + sealed[at:].replace(b"<<", b"<</Foo 1 /Foo 2 ", 1)
    assert seal.verify_sealed_pdf(sloppy) == SealCheck(
        False, "The document was changed after it was sealed.", **_found()
    )


def test_an_appended_incremental_update_is_named(sealed):
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.root["/Foo"] = generic.NameObject("/Bar")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    assert seal.verify_sealed_pdf(out.getvalue()) == SealCheck(
        False,
        "Content was added to the document after it was sealed (an incremental update).",
        **_found(),
    )


class _Forger(signers.SimpleSigner):
    """Signs with our key, then flips a bit of the signature value: the digest is intact."""

    async def async_sign_raw(self, data, digest_algorithm, dry_run=False):
        raw = await super().async_sign_raw(data, digest_algorithm, dry_run)
        return raw if dry_run else raw[:-1] + bytes([raw[-1] ^ 1])


def test_a_forged_signature_value_is_named(ring):
    ours = keyring.current_signer()
    forger = _Forger(
        signing_cert=ours.signing_cert,
        signing_key=ours.signing_key,
        cert_registry=ours.cert_registry,
    )
    meta = signers.PdfSignatureMetadata(
        field_name="AccordSeal", md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(_blank_pdf()))
    forged = signers.sign_pdf(writer, meta, signer=forger).getvalue()
    assert seal.verify_sealed_pdf(forged) == SealCheck(
        False, "The seal's cryptographic signature is not valid.", **_found()
    )


def test_a_certificate_slipped_into_the_keyring_without_our_roots_issue_is_not_trusted(
    ring, tmp_path
):
    signer, foreign_key = _foreign_keyring(tmp_path)
    shutil.copytree(
        tmp_path / "elsewhere" / "keys" / foreign_key.key_id,
        ring / "keys" / foreign_key.key_id,
    )
    index = keyring._read_index(ring)
    index["keys"][foreign_key.key_id] = {"created": "9999", "revoked_at": None, "reason": ""}
    keyring._write_index(ring, index)
    foreign = _sign_again(_blank_pdf(), signer, field="AccordSeal")
    assert seal.verify_sealed_pdf(foreign) == SealCheck(
        False,
        "The seal's certificate was not issued by our root.",
        **_found(foreign_key.key_id, current=False),
    )


def test_without_a_keyring_seals_cannot_be_checked(sealed, settings, tmp_path):
    settings.SEAL_KEYRING_DIR = str(tmp_path / "none")
    assert seal.verify_sealed_pdf(sealed) == SealCheck(
        False, "This installation has no seal keyring to check seals against."
    )


def test_a_corrupt_keyring_is_reported_not_raised(sealed, ring):
    (ring / "root-cert.pem").write_text("not a certificate")
    assert seal.verify_sealed_pdf(sealed) == SealCheck(
        False, "The seal could not be read (ValueError)."
    )


def test_a_seal_the_validator_chokes_on_is_reported_not_raised(sealed, monkeypatch):
    def choke(*args, **kwargs):
        raise RuntimeError("validator failure")

    monkeypatch.setattr(seal, "validate_pdf_signature", choke)
    assert seal.verify_sealed_pdf(sealed) == SealCheck(
        False, "The seal could not be validated (RuntimeError).", **_found()
    )


def test_validation_is_against_our_root_only_and_never_fetches(sealed, monkeypatch):
    """No network: a seal is checked against the keyring alone."""
    seen = []
    real = seal.validate_pdf_signature

    def spy(embedded, context, *args, **kwargs):
        seen.append(context)
        return real(embedded, context, *args, **kwargs)

    monkeypatch.setattr(seal, "validate_pdf_signature", spy)
    assert seal.verify_sealed_pdf(sealed).ok
    (context,) = seen
    assert context.fetching_allowed is False
    assert [c.dump() for c in context.certificate_registry] == [seal.trust_root().dump()]
