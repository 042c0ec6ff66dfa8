"""KEKs held by an HSM through PKCS#11: data keys are wrapped and unwrapped inside the token.

Wrapping is AES-256-GCM computed by the token (``CKM_AES_GCM``) with the key id and tenant as associated
data, so, as with the file provider, a wrapped key copied to another row or tenant fails to unwrap. The
KEK is a token object created non-extractable and sensitive: its bytes never reach this process. A KEK's
id is its ``CKA_LABEL``; the current one is named by settings (``BULWARK_PKCS11_KEK_LABEL``), and any
other label in the token still unwraps, which is how replicas share a rotation in progress.

One logged-in session is kept open; PKCS#11 sessions are not safe for concurrent use, hence the lock.
"""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

import pkcs11
from pkcs11 import Attribute, GCMParams, KeyType, Mechanism, ObjectClass
from pkcs11.exceptions import (
    MultipleObjectsReturned,
    NoSuchKey,
    NoSuchToken,
    PKCS11Error,
    UserAlreadyLoggedIn,
)
from pkcs11.types import DecryptMixin, EncryptMixin

from gateway.audit.key_provider import KeyProviderError

NONCE_BYTES = 12
TAG_BITS = 128
KEK_BITS = 256
# A KEK never leaves the token and only ever encrypts data keys.
KEK_TEMPLATE = {
    Attribute.TOKEN: True,
    Attribute.PRIVATE: True,
    Attribute.SENSITIVE: True,
    Attribute.EXTRACTABLE: False,
    Attribute.ENCRYPT: True,
    Attribute.DECRYPT: True,
    Attribute.WRAP: True,
    Attribute.UNWRAP: True,
}


class Pkcs11KeyProvider:
    def __init__(self, module: Path, token_label: str, pin: str, kek_label: str) -> None:
        self._session = open_session(module, token_label, pin)
        self._lock = threading.Lock()
        self._current = kek_label
        self._keys: dict[str, pkcs11.SecretKey] = {}
        try:
            self._key(kek_label)  # fail at start-up, not at the first audited request
        except KeyProviderError:
            self._session.close()
            raise

    def current_kek_id(self) -> str:
        return self._current

    def wrap(self, data_key: bytes, context: bytes) -> tuple[str, bytes]:
        nonce = os.urandom(NONCE_BYTES)
        with self._lock:
            key = self._key(self._current)
            assert isinstance(key, EncryptMixin)  # generated with CKA_ENCRYPT (KEK_TEMPLATE)
            sealed = key.encrypt(
                data_key, mechanism=Mechanism.AES_GCM, mechanism_param=GCMParams(nonce, context, TAG_BITS)
            )
        assert isinstance(sealed, bytes)  # bytes in, bytes out (an iterator only for an iterable input)
        return self._current, nonce + sealed

    def unwrap(self, kek_id: str, wrapped: bytes, context: bytes) -> bytes:
        nonce, sealed = wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:]
        with self._lock:
            key = self._key(kek_id)
            assert isinstance(key, DecryptMixin)
            try:
                data_key = key.decrypt(
                    sealed, mechanism=Mechanism.AES_GCM, mechanism_param=GCMParams(nonce, context, TAG_BITS)
                )
            except PKCS11Error as error:
                raise KeyProviderError(f"the token refused to unwrap under KEK {kek_id!r}") from error
        assert isinstance(data_key, bytes)
        return data_key

    def create_kek(self, label: str | None = None) -> str:
        """Generate a new KEK inside the token; returns its label (not made current here)."""
        with self._lock:
            return generate_kek(self._session, label)

    def close(self) -> None:
        with self._lock:
            self._keys.clear()
            self._session.close()

    def _key(self, label: str) -> pkcs11.SecretKey:
        found = self._keys.get(label) or self._find(label)
        if found is None:
            raise KeyProviderError(f"KEK {label!r} is not in the PKCS#11 token")
        self._keys[label] = found
        return found

    def _find(self, label: str) -> pkcs11.SecretKey | None:
        try:
            key = self._session.get_key(ObjectClass.SECRET_KEY, KeyType.AES, label=label)
        except NoSuchKey:
            return None
        except MultipleObjectsReturned as error:
            raise KeyProviderError(f"the token holds several keys labelled {label!r}") from error
        assert isinstance(key, pkcs11.SecretKey)
        return key


def open_session(module: Path, token_label: str, pin: str) -> pkcs11.Session:
    try:
        token = pkcs11.lib(str(module)).get_token(token_label=token_label)
        try:
            return token.open(rw=True, user_pin=pin)
        except UserAlreadyLoggedIn:
            return token.open(rw=True)  # login is per process: another session of ours holds it
    except NoSuchToken as error:
        raise KeyProviderError(f"no PKCS#11 token labelled {token_label!r}") from error
    except (PKCS11Error, RuntimeError, OSError) as error:
        # The type only: a PKCS#11 error text can echo what was passed in.
        raise KeyProviderError(f"cannot open the PKCS#11 token ({type(error).__name__})") from error


def generate_kek(session: pkcs11.Session, label: str | None = None) -> str:
    """A new AES-256 KEK generated by the token, never extractable (``bulwark audit new-kek``)."""
    label = label or f"kek_{secrets.token_hex(8)}"
    try:
        session.get_key(ObjectClass.SECRET_KEY, KeyType.AES, label=label)
    except NoSuchKey:
        session.generate_key(KeyType.AES, KEK_BITS, label=label, template=KEK_TEMPLATE)
        return label
    except MultipleObjectsReturned:
        pass
    raise KeyProviderError(f"the token already holds a key labelled {label!r}")
