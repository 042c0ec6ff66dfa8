from __future__ import annotations

import secrets
import threading

import anyio
import pytest

from gateway.pii.pseudonyms import TOKEN_PATTERN, Pseudonymizer
from gateway.pii.vault import PseudonymVault, RedisPseudonymVault

SECRET = b"s" * 32


def test_pseudonym_is_stable_for_one_tenant_and_differs_across_tenants() -> None:
    pseudonyms = Pseudonymizer(SECRET)
    first = pseudonyms.token("hospital-a", "PERSON", "John Smith")
    assert first == pseudonyms.token("hospital-a", "PERSON", "SMITH, John")
    assert first != pseudonyms.token("hospital-b", "PERSON", "John Smith")
    assert first != Pseudonymizer(b"t" * 32).token("hospital-a", "PERSON", "John Smith")
    assert TOKEN_PATTERN.fullmatch(first) and first.startswith("<PERSON_")


def test_identifiers_normalise_separators_but_not_digits() -> None:
    pseudonyms = Pseudonymizer(SECRET)
    assert pseudonyms.token("t", "US_SSN", "123-45-6789") == pseudonyms.token("t", "US_SSN", "123 45 6789")
    assert pseudonyms.token("t", "US_SSN", "123-45-6789") != pseudonyms.token("t", "US_SSN", "123-45-6788")


def test_vault_restores_only_for_the_same_tenant_and_key() -> None:
    vault = PseudonymVault()
    vault.store("t1", "k1", "<PERSON_abcdef>", "Maria Garcia")
    assert vault.lookup("t1", "k1", "<PERSON_abcdef>") == "Maria Garcia"
    assert vault.lookup("t1", "k2", "<PERSON_abcdef>") is None
    assert vault.lookup("t2", "k1", "<PERSON_abcdef>") is None


def test_vault_holds_no_plaintext_and_entries_expire() -> None:
    now = [1000.0]
    vault = PseudonymVault(ttl_s=60, clock=lambda: now[0])
    vault.store("t", "k", "<PERSON_abcdef>", "Maria Garcia")
    assert b"Maria" not in repr(vault.__dict__).encode()
    now[0] += 61
    assert vault.lookup("t", "k", "<PERSON_abcdef>") is None


def test_vault_is_bounded_and_safe_under_concurrent_stores() -> None:
    vault = PseudonymVault(max_entries=500)

    def store(worker: int) -> None:
        for i in range(200):
            vault.store("t", f"k{worker}", f"<PERSON_{i:06x}>", f"name {worker} {i}")

    threads = [threading.Thread(target=store, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(vault) == 500
    assert vault.lookup("t", "k7", "<PERSON_0000c7>") in {None, "name 7 199"}


@pytest.mark.redis
def test_redis_vault_is_shared_encrypted_scoped_and_expiring() -> None:
    import redis

    url = "redis://127.0.0.1:6379/0"
    replica_a, replica_b = RedisPseudonymVault(url, SECRET, ttl_s=60), RedisPseudonymVault(url, SECRET)
    token = f"<PERSON_{secrets.token_hex(3)}>"

    async def scenario() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        await replica_a.store_many("t1", "k1", {token: "Maria Garcia"})
        try:
            return (
                await replica_b.lookup_many("t1", "k1", {token, "<PERSON_000000>"}),
                await replica_b.lookup_many("t1", "k2", {token}),
                await RedisPseudonymVault(url, b"other" * 8).lookup_many("t1", "k1", {token}),
            )
        finally:
            await replica_a.aclose()
            await replica_b.aclose()

    same_key, other_key, other_secret = anyio.run(scenario)
    assert same_key == {token: "Maria Garcia"} and other_key == {} and other_secret == {}
    client = redis.Redis.from_url(url)
    names = [n for n in client.scan_iter("bulwark:pii:vault:*") if 0 < client.ttl(n) <= 60]
    assert names and all(b"Maria" not in (client.get(n) or b"") for n in names)
    assert all(token.encode() not in n for n in names)
