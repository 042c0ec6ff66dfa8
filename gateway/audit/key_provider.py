"""Key-encryption keys (KEKs) come from a provider; the database only ever sees wrapped data keys.

Providers (chosen by ``BULWARK_KEK_PROVIDER``, built in ``gateway.audit.components``):

- ``file``: a KEK ring file mounted from a secret store (``kek_file.KekFile``), read-only; in dev mode
  ``DevKekFile`` creates it under ``BULWARK_HOME/secrets`` and can rotate it itself.
- ``pkcs11``: an HSM holds the KEKs; wrapping and unwrapping happen inside the token
  (``pkcs11_provider.Pkcs11KeyProvider``).

Every wrapped data key is stored with the id of the KEK that wrapped it, so replicas that hold several
KEK versions unwrap any of them while a rotation rolls out.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class KeyProviderError(RuntimeError):
    """The KEK needed is missing or the provider is unusable; the message never contains key material."""


class KeyProvider(Protocol):
    def current_kek_id(self) -> str:
        """The KEK new data keys are wrapped under."""
        ...

    def wrap(self, data_key: bytes, context: bytes) -> tuple[str, bytes]:
        """Wrap under the current KEK; returns (kek id, wrapped bytes)."""
        ...

    def unwrap(self, kek_id: str, wrapped: bytes, context: bytes) -> bytes:
        """Unwrap with the KEK ``kek_id``; a wrong context or altered bytes raise."""
        ...


@runtime_checkable
class SelfRotatingKeyProvider(KeyProvider, Protocol):
    """A provider that owns its KEK store (dev mode's file): it can make a new KEK and forget an old one.
    Production providers never create keys on their own; an operator adds the new KEK to the secret store
    or HSM and points every replica at it, then ``bulwark audit rotate-kek`` rewraps."""

    def rotate(self) -> tuple[str, str]:
        """Make a new current KEK, keeping the old one until retired; returns (old id, new id)."""
        ...

    def retire(self, kek_id: str) -> None: ...
