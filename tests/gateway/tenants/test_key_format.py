from __future__ import annotations

from gateway.tenants.key_format import digest_matches, new_key, parse_key, secret_digest

PEPPER = b"p" * 32


def test_new_key_parses_back_to_its_parts() -> None:
    key, parts = new_key()
    assert key.startswith(f"bwk_{parts.public_id}_{parts.secret}")
    assert parse_key(key) == parts


def test_checksum_rejects_a_single_changed_character() -> None:
    key, _ = new_key()
    position = len(key) - 10  # inside the secret
    changed = key[:position] + ("A" if key[position] != "A" else "B") + key[position + 1 :]
    assert parse_key(changed) is None


def test_malformed_keys_are_refused() -> None:
    for candidate in ["", "bwk_", "sk-abc", "bwk_short_short", "bwk_" + "a" * 12 + "_" + "!" * 38]:
        assert parse_key(candidate) is None


def test_digest_is_keyed_by_the_pepper() -> None:
    _, parts = new_key()
    stored = secret_digest(PEPPER, parts.secret)
    assert digest_matches(PEPPER, parts.secret, stored)
    assert not digest_matches(b"q" * 32, parts.secret, stored)
    assert parts.secret not in stored
