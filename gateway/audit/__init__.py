"""The audit ledger: every request and administrative act, encrypted, chained, signed and verifiable.

How a record is made (``ledger.append_events``, under the chain-head row lock):

- header (clear): seq, UTC time, tenant, key, event, outcome, request, model, policy version, stages,
  PII counts, tokens, latency, ``detail`` (administrative facts), body mode, data key id;
- body (prompt, completion, findings, as the tenant's ``audit.store_bodies`` says): AES-256-GCM under the
  tenant's data key, the canonical header as associated data (``canonical.py``, ``crypto.py``);
- ``hash = SHA-256(prev_hash || canonical header || SHA-256(nonce || ciphertext))``; the first record
  chains from a genesis hash bound to this ledger's id.

Files: ``writer.py`` (batching writer, admission), ``stage.py`` (one record per request, fail closed),
``keyring.py`` / ``key_provider.py`` (data keys wrapped by a KEK from a provider), ``checkpoints.py`` /
``checkpointer.py`` / ``scheduler.py`` (Ed25519 checkpoints to a JSONL sink), ``verify.py``,
``retention.py`` (purge, legal hold, shred), ``rotation.py`` (``rotate-kek``), ``repository.py``
(tenant-scoped reads for the console), ``cli.py`` (``bulwark audit``), ``components.py`` (wiring).
"""
