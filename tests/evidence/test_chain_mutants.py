"""The evidence hash chain, pinned down exactly enough that any change to ``evidence.chain``
fails a test (``make mutation``): the canonical form of each hashed field, the exact digest of
an entry, and every answer ``chain_verify`` gives (first broken entry, its problem, counts)."""

import datetime
import hashlib
import json
import uuid
from types import SimpleNamespace

import pytest
from django.db.models.fields.files import FieldFile
from django.db.models.query import QuerySet

from evidence import chain
from evidence.chain import FILE_DIGEST_FIELD, GENESIS, HASHED_FIELDS, PARTNER_FIELD, ChainReport
from evidence.models import EvidenceEntry
from tests.factories import ContactFactory, OrganizationFactory, PartnershipFactory, UserFactory

UTC = datetime.UTC
PREV = "a" * 64
SHA = "5" * 64
ENTRY_UUID = uuid.UUID("12345678-1234-5678-1234-567812345678")
STORED_NAME = "evidence/2024/05/report.pdf"


def _stored_file(name):
    return FieldFile(None, EvidenceEntry._meta.get_field("file"), name)


def _entry(**changes):
    """An object with every hashed field, of each type a real entry has."""
    values = {
        "uuid": ENTRY_UUID,
        "organization_id": 7,
        "partnership_id": 11,
        "sequence": 3,
        "claim": "Réclamation résolue ✓",
        "artifact": "Pilot report",
        "link": "https://example.test/report",
        "file": _stored_file(""),
        "file_name": "",
        "file_type": "",
        "limits": "EU only",
        "boundary_status": "intact",
        "decision": "none",
        "quality": "pilot",
        "observed_on": datetime.date(2024, 5, 6),
        "approver_id": None,
        "recorded_by_id": 5,
        "supersedes_id": None,
        "correction_reason": "",
        "created_at": datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC),
        FILE_DIGEST_FIELD: "",
    }
    values.update(changes)
    return SimpleNamespace(**values)


# The canonical JSON of ``_entry()``: keys sorted, non-ASCII kept, dates in ISO form, None as
# null, numbers as numbers. Changing it would make every stored hash unverifiable.
CANONICAL = (
    '{"approver_id": null, "artifact": "Pilot report", "boundary_status": "intact", '
    '"claim": "Réclamation résolue ✓", "correction_reason": "", '
    '"created_at": "2024-05-06T07:08:09.123456+00:00", "decision": "none", "file": "", '
    '"file_name": "", "file_type": "", "limits": "EU only", '
    '"link": "https://example.test/report", "observed_on": "2024-05-06", '
    '"organization_id": 7, "partnership_id": 11, "quality": "pilot", "recorded_by_id": 5, '
    '"sequence": 3, "supersedes_id": null, "uuid": "12345678-1234-5678-1234-567812345678"}'
)


def _sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------- the digest of one entry


def test_the_digest_is_sha256_of_the_previous_hash_and_the_canonical_json():
    assert chain.entry_digest(_entry(), PREV) == _sha(PREV + CANONICAL)


def test_the_digest_of_a_first_entry_starts_from_genesis():
    assert GENESIS == "0" * 64
    assert chain.entry_digest(_entry(), GENESIS) == _sha(GENESIS + CANONICAL)


def test_an_entry_with_a_stored_file_covers_its_name_and_the_sha256_of_its_bytes():
    entry = _entry(file=_stored_file(STORED_NAME), **{FILE_DIGEST_FIELD: SHA})
    expected = json.loads(CANONICAL) | {"file": STORED_NAME, FILE_DIGEST_FIELD: SHA}
    payload = json.dumps(expected, sort_keys=True, ensure_ascii=False)
    assert chain.entry_digest(entry, PREV) == _sha(PREV + payload)


def test_an_entry_with_a_file_but_no_recorded_digest_hashes_an_empty_digest():
    expected = json.loads(CANONICAL) | {"file": STORED_NAME, FILE_DIGEST_FIELD: ""}
    payload = json.dumps(expected, sort_keys=True, ensure_ascii=False)
    for missing in ("", None):
        entry = _entry(file=_stored_file(STORED_NAME), **{FILE_DIGEST_FIELD: missing})
        assert chain.entry_digest(entry, PREV) == _sha(PREV + payload)


def test_a_file_given_as_its_stored_name_hashes_like_the_stored_file():
    """``chain_verify`` reads the column (a string); the service hashes a FieldFile."""
    as_name = _entry(file=STORED_NAME, **{FILE_DIGEST_FIELD: SHA})
    as_file = _entry(file=_stored_file(STORED_NAME), **{FILE_DIGEST_FIELD: SHA})
    assert chain.entry_digest(as_name, PREV) == chain.entry_digest(as_file, PREV)


@pytest.mark.parametrize("no_file", ["", None, _stored_file(""), _stored_file(None)])
def test_no_file_hashes_as_an_empty_name_and_ignores_any_digest(no_file):
    entry = _entry(file=no_file, **{FILE_DIGEST_FIELD: SHA})
    assert chain.entry_digest(entry, PREV) == _sha(PREV + CANONICAL)


def test_an_entry_without_a_file_needs_no_digest_attribute():
    entry = _entry()
    del entry.file_sha256
    assert chain.entry_digest(entry, PREV) == _sha(PREV + CANONICAL)


CHANGED = {
    "uuid": uuid.UUID("87654321-4321-8765-4321-876543218765"),
    "organization_id": 8,
    "partnership_id": 12,
    "sequence": 4,
    "claim": "Another claim",
    "artifact": "Another report",
    "link": "https://example.test/other",
    "file": STORED_NAME,
    "file_name": "report.pdf",
    "file_type": "application/pdf",
    "limits": "",
    "boundary_status": "strained",
    "decision": "commit",
    "quality": "real",
    "observed_on": datetime.date(2024, 5, 7),
    "approver_id": 9,
    "recorded_by_id": None,
    "supersedes_id": 2,
    "correction_reason": "Typo",
    "created_at": datetime.datetime(2024, 5, 6, 7, 8, 10, tzinfo=UTC),
}


def test_every_hashed_field_has_a_changed_value_here():
    assert set(CHANGED) == set(HASHED_FIELDS)


@pytest.mark.parametrize("name", HASHED_FIELDS)
def test_changing_any_hashed_field_changes_the_digest(name):
    assert chain.entry_digest(_entry(**{name: CHANGED[name]}), PREV) != chain.entry_digest(
        _entry(), PREV
    )


def test_changing_the_file_digest_or_the_previous_hash_changes_the_digest():
    with_file = _entry(file=STORED_NAME, **{FILE_DIGEST_FIELD: SHA})
    other_bytes = _entry(file=STORED_NAME, **{FILE_DIGEST_FIELD: "6" * 64})
    assert chain.entry_digest(with_file, PREV) != chain.entry_digest(other_bytes, PREV)
    assert chain.entry_digest(with_file, PREV) != chain.entry_digest(with_file, "b" * 64)


def test_an_entry_a_partner_submitted_covers_the_contact_who_sent_it():
    entry = _entry(recorded_by_id=None, **{PARTNER_FIELD: 13})
    expected = json.loads(CANONICAL) | {"recorded_by_id": None, PARTNER_FIELD: 13}
    payload = json.dumps(expected, sort_keys=True, ensure_ascii=False)
    assert chain.entry_digest(entry, PREV) == _sha(PREV + payload)


def test_an_entry_of_ours_hashes_no_partner_field():
    assert PARTNER_FIELD == "submitted_by_contact_id"
    assert chain.entry_digest(_entry(**{PARTNER_FIELD: None}), PREV) == _sha(PREV + CANONICAL)
    values = {name: getattr(_entry(), name) for name in HASHED_FIELDS}
    assert chain._content(values | {PARTNER_FIELD: None}) == json.loads(CANONICAL)
    assert chain._content(values | {PARTNER_FIELD: 13}) == json.loads(CANONICAL) | {
        PARTNER_FIELD: 13
    }


# ------------------------------------------------------------------------- canonical values


def test_canonical_values_keep_json_types_and_write_dates_in_iso_form():
    when = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert chain._canonical(None) is None
    assert chain._canonical(7) == 7 and isinstance(chain._canonical(7), int)
    assert chain._canonical("text") == "text"
    assert chain._canonical(True) is True
    assert chain._canonical(when) == "2024-05-06T07:08:09+00:00"
    assert chain._canonical(datetime.date(2024, 5, 6)) == "2024-05-06"
    assert chain._canonical(ENTRY_UUID) == "12345678-1234-5678-1234-567812345678"
    assert chain._canonical(1.5) == "1.5"


def test_a_stored_file_is_canonical_as_its_name():
    assert chain._canonical(_stored_file(STORED_NAME)) == STORED_NAME
    assert chain._canonical(_stored_file(None)) == ""
    assert chain._canonical(_stored_file("")) == ""


def test_the_hashed_content_is_every_field_plus_the_file_digest_only_with_a_file():
    values = {name: getattr(_entry(), name) for name in HASHED_FIELDS}
    assert chain._content(values | {FILE_DIGEST_FIELD: SHA}) == json.loads(CANONICAL)
    assert chain._content(values | {"file": None}) == json.loads(CANONICAL)
    with_file = chain._content(values | {"file": STORED_NAME, FILE_DIGEST_FIELD: None})
    assert with_file == json.loads(CANONICAL) | {"file": STORED_NAME, FILE_DIGEST_FIELD: ""}


# ------------------------------------------------------------------------- walking the chain


@pytest.fixture
def partnership(db):
    return PartnershipFactory(organization=OrganizationFactory(), owner=UserFactory())


def _row(partnership, sequence, prev, **fields):
    entry = EvidenceEntry(
        organization_id=partnership.organization_id,
        partnership=partnership,
        claim=f"Claim {sequence}",
        artifact=f"Artifact {sequence}",
        quality="pilot",
        # Newest first by default (Meta.ordering): the walk must order by sequence itself.
        observed_on=datetime.date(2024, 5, 1) + datetime.timedelta(days=10 - sequence),
        created_at=datetime.datetime(2024, 5, 1, 12, 0, sequence, tzinfo=UTC),
        sequence=sequence,
        prev_hash=prev,
        **fields,
    )
    entry.entry_hash = chain.entry_digest(entry, prev)
    return entry


def _chain(partnership, count, start=1, prev=GENESIS, **fields):
    rows = []
    for sequence in range(start, start + count):
        rows.append(_row(partnership, sequence, prev, **fields))
        prev = rows[-1].entry_hash
    return rows


def _save(rows):
    EvidenceEntry.objects.bulk_create(rows)
    return rows


def test_an_empty_chain_is_intact_at_genesis(partnership):
    assert chain.chain_verify(partnership.organization_id) == ChainReport(True, 0)
    assert ChainReport(True, 0).last_hash == GENESIS and ChainReport(True, 0).seen == {}


def test_an_intact_chain_reports_its_length_and_head(partnership):
    rows = _save(_chain(partnership, 3))
    report = chain.chain_verify(partnership.organization_id)
    assert report == ChainReport(True, 3, last_sequence=3, last_hash=rows[2].entry_hash)


def test_entries_with_stored_files_verify(partnership):
    rows = _save(_chain(partnership, 2, file=STORED_NAME, file_sha256=SHA))
    report = chain.chain_verify(partnership.organization_id)
    assert report == ChainReport(True, 2, last_sequence=2, last_hash=rows[1].entry_hash)


def test_only_the_organizations_own_chain_is_walked(partnership):
    other = PartnershipFactory(organization=OrganizationFactory(), owner=UserFactory())
    _save(_chain(other, 2))
    rows = _save(_chain(partnership, 1))
    report = chain.chain_verify(partnership.organization_id)
    assert report == ChainReport(True, 1, last_sequence=1, last_hash=rows[0].entry_hash)


def test_the_hashes_at_watched_sequences_are_noted(partnership):
    rows = _save(_chain(partnership, 3))
    report = chain.chain_verify(partnership.organization_id, watch={1, 3, 9})
    assert report.seen == {1: rows[0].entry_hash, 3: rows[2].entry_hash}
    assert chain.chain_verify(partnership.organization_id).seen == {}


def test_verification_can_start_after_an_already_verified_entry(partnership):
    rows = _save(_chain(partnership, 4))
    report = chain.chain_verify(
        partnership.organization_id, after_sequence=2, after_hash=rows[1].entry_hash, watch={2, 4}
    )
    assert report == ChainReport(
        True, 2, last_sequence=4, last_hash=rows[3].entry_hash, seen={4: rows[3].entry_hash}
    )


def test_starting_after_an_entry_with_the_wrong_hash_breaks_the_next_link(partnership):
    rows = _save(_chain(partnership, 3))
    report = chain.chain_verify(partnership.organization_id, after_sequence=1, after_hash=PREV)
    assert report == ChainReport(
        False, 1, 2, str(rows[1].uuid), "its link to the previous entry does not match"
    )


def test_starting_after_the_head_checks_nothing(partnership):
    rows = _save(_chain(partnership, 2))
    head = rows[1].entry_hash
    report = chain.chain_verify(partnership.organization_id, after_sequence=2, after_hash=head)
    assert report == ChainReport(True, 0, last_sequence=2, last_hash=head)


def test_a_missing_sequence_names_the_entry_found_in_its_place(partnership):
    rows = _chain(partnership, 4)
    _save([rows[0], rows[1], rows[3]])
    report = chain.chain_verify(partnership.organization_id, watch={1, 2, 4})
    assert report == ChainReport(
        False,
        3,
        4,
        str(rows[3].uuid),
        "sequence 3 is missing (found 4)",
        seen={1: rows[0].entry_hash, 2: rows[1].entry_hash},
    )


def test_a_chain_that_does_not_start_at_one_is_broken_at_its_first_entry(partnership):
    rows = _save(_chain(partnership, 1, start=2))
    report = chain.chain_verify(partnership.organization_id)
    assert report == ChainReport(False, 1, 2, str(rows[0].uuid), "sequence 1 is missing (found 2)")


def test_an_entry_that_does_not_link_to_its_predecessor_is_named(partnership):
    rows = _chain(partnership, 2)
    rows += _chain(partnership, 1, start=3, prev=PREV)
    _save(rows)
    report = chain.chain_verify(partnership.organization_id, watch={2})
    assert report == ChainReport(
        False,
        3,
        3,
        str(rows[2].uuid),
        "its link to the previous entry does not match",
        seen={2: rows[1].entry_hash},
    )


def test_a_first_entry_that_does_not_start_from_genesis_is_named(partnership):
    rows = _save(_chain(partnership, 1, prev=PREV))
    report = chain.chain_verify(partnership.organization_id)
    assert report == ChainReport(
        False, 1, 1, str(rows[0].uuid), "its link to the previous entry does not match"
    )


def test_an_entry_whose_content_was_changed_is_named(partnership):
    rows = _chain(partnership, 3)
    rows[1].claim = "A rewritten claim"
    _save(rows)
    report = chain.chain_verify(partnership.organization_id)
    assert report == ChainReport(
        False, 2, 2, str(rows[1].uuid), "its content does not match its hash"
    )


def test_a_swapped_file_digest_is_named(partnership):
    rows = _chain(partnership, 2, file=STORED_NAME, file_sha256=SHA)
    rows[1].file_sha256 = "6" * 64
    _save(rows)
    report = chain.chain_verify(partnership.organization_id)
    assert report == ChainReport(
        False, 2, 2, str(rows[1].uuid), "its content does not match its hash"
    )


def test_entries_a_partner_submitted_verify(partnership):
    sent_by = ContactFactory(partner=partnership.partner)
    _save(_chain(partnership, 2, submitted_by_contact_id=sent_by.pk, recorded_by=None))
    assert chain.chain_verify(partnership.organization_id).intact


def test_an_entry_whose_sender_was_changed_is_named(partnership):
    sent_by, other = (ContactFactory(partner=partnership.partner) for _ in range(2))
    rows = _chain(partnership, 2, submitted_by_contact_id=sent_by.pk, recorded_by=None)
    rows[1].submitted_by_contact_id = other.pk
    _save(rows)
    report = chain.chain_verify(partnership.organization_id)
    assert report == ChainReport(
        False, 2, 2, str(rows[1].uuid), "its content does not match its hash"
    )


def test_the_chain_is_read_in_batches_not_all_at_once(partnership, monkeypatch):
    """A million entries must not be loaded into memory at once."""
    _save(_chain(partnership, 2))
    sizes = []
    real_iterator = QuerySet.iterator

    def spy(self, chunk_size=None):
        sizes.append(chunk_size)
        return real_iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    assert chain.chain_verify(partnership.organization_id).intact
    assert sizes == [chain.VERIFY_BATCH] and chain.VERIFY_BATCH == 5000
