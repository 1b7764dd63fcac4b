"""Secret tokens and codes: random, stored only as hashes, compared in constant time."""

import pytest

from core import tokens


def test_tokens_have_at_least_256_bits_and_differ():
    made = {tokens.make_token() for _ in range(50)}
    assert len(made) == 50
    assert all(len(t) >= 43 for t in made)


def test_a_token_shorter_than_128_bits_is_refused():
    with pytest.raises(ValueError, match=r"^A secret token needs at least 128 bits\.$"):
        tokens.make_token(15)


def test_a_token_of_exactly_128_bits_is_allowed_and_has_that_size():
    assert len(tokens.make_token(16)) == 22
    assert len(tokens.make_token()) == 43


def test_the_stored_hash_is_not_the_token_and_matches_only_it():
    token = tokens.make_token()
    stored = tokens.hash_token(token)
    assert token not in stored and len(stored) == 64
    assert tokens.token_matches(token, stored)
    assert not tokens.token_matches(token + "x", stored)
    assert not tokens.token_matches("", stored)
    assert not tokens.token_matches(token, "")
    assert not tokens.token_matches("", "")


def test_the_token_hash_is_sha256():
    assert tokens.hash_token("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_codes_are_numeric_with_leading_zeros_kept():
    codes = [tokens.make_code() for _ in range(200)]
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(set(codes)) > 150


def test_code_hashes_are_keyed_and_bound_to_their_context(settings):
    stored = tokens.hash_code("123456", context="signer-a")
    assert tokens.code_matches("123456", stored, context="signer-a")
    assert tokens.code_matches(" 123456 ", stored, context="signer-a")
    assert not tokens.code_matches("123456", stored, context="signer-b")
    assert not tokens.code_matches("123457", stored, context="signer-a")
    assert not tokens.code_matches("", stored, context="signer-a")
    assert not tokens.code_matches("", "", context="signer-a")
    settings.SECRET_KEY = "another installation's key"
    assert not tokens.code_matches("123456", stored, context="signer-a")
