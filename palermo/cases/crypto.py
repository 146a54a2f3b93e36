"""Encryption at rest of direct identifiers: AES-256-GCM with a key derived (HKDF-SHA256) from a secret.

A stored value reads ``enc2:<key id>:<base64(nonce || ciphertext || tag)>``. The key id (8 hex digits, the start of
the SHA-256 of the derived key) names the key that sealed the value, so that several keys can be in use while the
key is rotated: one current key encrypts, previous keys only decrypt (docs/security.md, "Key rotation"). Values
written before key ids existed read ``enc1:<base64(...)>`` and are tried against every configured key.

Each encryption draws a fresh nonce, so two equal names give different ciphertexts and cannot be matched in the
database. A value that no configured key opens raises ``DecryptionError``: never garbage.

The same secret gives, through HKDF with another ``info``, the key of the blind index of names
(``palermo.cases.blind``): an independent key (knowing one derived key tells nothing of the other), named by the
same key id, so that rotating the secret rotates both and the index is recomputed by ``palermo cases rotate-key``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Iterable
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from palermo.cases.blind import Hasher

PREFIX = "enc2:"
LEGACY_PREFIX = "enc1:"
KEY_ID_LENGTH = 8
NONCE_BYTES = 12
LEGACY = "enc1"  # what key_id_of answers for a value that does not name its key


class DecryptionError(ValueError):
    pass


class MissingKeyError(DecryptionError):
    """A value sealed by a key that is neither the current key nor one of the old keys."""

    def __init__(self, key_id: str, configured: Iterable[str]) -> None:
        self.key_id = key_id
        super().__init__(
            f"value sealed by key id {key_id}, which is not configured (configured key ids: "
            f"{', '.join(configured)}); add that key to PALERMO_FIELD_ENCRYPTION_OLD_KEYS"
        )


def key_id_of(token: str) -> str:
    """The id of the key that sealed a stored value, ``"enc1"`` for a value that does not say, ``""`` for none."""
    if token.startswith(PREFIX):
        return token[len(PREFIX):len(PREFIX) + KEY_ID_LENGTH]
    if token.startswith(LEGACY_PREFIX):
        return LEGACY
    return ""


def _raw(payload: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(payload)
    except (binascii.Error, ValueError) as error:
        raise DecryptionError("malformed encrypted value") from error


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"palermo.cases", info=info).derive(secret.encode())


class FieldCipher:
    def __init__(self, secret: str) -> None:
        key = _derive(secret, b"field-encryption-v1")
        self._aead = AESGCM(key)
        self.key_id = hashlib.sha256(key).hexdigest()[:KEY_ID_LENGTH]
        self._prefix = f"{PREFIX}{self.key_id}:"
        self.index = Hasher(_derive(secret, b"blind-index-v1"), self.key_id)

    def encrypt(self, text: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode(), None)
        return self._prefix + base64.urlsafe_b64encode(nonce + sealed).decode()

    def encrypt_many(self, texts: list[str]) -> list[str]:
        """Encrypt each non-empty text (the empty text stays empty), drawing all the nonces in one call; the same
        format as ``encrypt``, for imports of many rows."""
        filled = sum(1 for text in texts if text)
        nonces = os.urandom(NONCE_BYTES * filled)
        seal = self._aead.encrypt
        encode = base64.urlsafe_b64encode
        prefix = self._prefix
        sealed: list[str] = []
        position = 0
        for text in texts:
            if not text:
                sealed.append("")
                continue
            nonce = nonces[position:position + NONCE_BYTES]
            position += NONCE_BYTES
            sealed.append(prefix + encode(nonce + seal(nonce, text.encode(), None)).decode())
        return sealed

    def seals(self, token: str) -> bool:
        """Whether the value says it was sealed by this key (an ``enc1:`` value never does)."""
        return token.startswith(self._prefix)

    def open_legacy(self, token: str) -> str:
        """Decrypt an ``enc1:`` value (raises ``DecryptionError`` if this key does not open it)."""
        return self._open(_raw(token[len(LEGACY_PREFIX):]))

    def decrypt(self, token: str) -> str:
        if token.startswith(PREFIX):
            key_id = key_id_of(token)
            if key_id != self.key_id:
                raise MissingKeyError(key_id, [self.key_id])
            return self._open(_raw(token[len(self._prefix):]))
        if token.startswith(LEGACY_PREFIX):
            return self.open_legacy(token)
        raise DecryptionError("value is not encrypted with this scheme")

    def _open(self, raw: bytes) -> str:
        try:
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()
        except InvalidTag as error:
            raise DecryptionError("wrong key or tampered value") from error


class Keyring:
    """The current key, which encrypts, and the old keys, which only decrypt."""

    def __init__(self, current: str, old: Iterable[str] = ()) -> None:
        self.current = cipher_for(current)
        self.ciphers: dict[str, FieldCipher] = {self.current.key_id: self.current}
        for secret in old:
            cipher = cipher_for(secret)
            self.ciphers.setdefault(cipher.key_id, cipher)

    @property
    def key_ids(self) -> list[str]:
        """The current key's id first, then the old keys' in the order configured."""
        return list(self.ciphers)

    def encrypt(self, text: str) -> str:
        return self.current.encrypt(text)

    @property
    def index(self) -> Hasher:
        """The blind index's hasher of the current key (the one new index rows are written with)."""
        return self.current.index

    @property
    def indexes(self) -> list[Hasher]:
        """Every key's hasher, the current first: a search looks under each, so that it finds the cases whose
        index a rotation has not recomputed yet."""
        return [cipher.index for cipher in self.ciphers.values()]

    def encrypt_many(self, texts: list[str]) -> list[str]:
        return self.current.encrypt_many(texts)

    def decrypt(self, token: str) -> str:
        if token.startswith(PREFIX):
            key_id = key_id_of(token)
            cipher = self.ciphers.get(key_id)
            if cipher is None:
                raise MissingKeyError(key_id, self.ciphers)
            return cipher.decrypt(token)
        if token.startswith(LEGACY_PREFIX):
            for cipher in self.ciphers.values():
                try:
                    return cipher.open_legacy(token)
                except DecryptionError:
                    continue
            raise DecryptionError(
                f"enc1 value opened by none of the configured keys (key ids: {', '.join(self.ciphers)}); "
                "add the key it was written with to PALERMO_FIELD_ENCRYPTION_OLD_KEYS"
            )
        raise DecryptionError("value is not encrypted with this scheme")


@lru_cache(maxsize=8)
def cipher_for(secret: str) -> FieldCipher:
    return FieldCipher(secret)


@lru_cache(maxsize=4)
def keyring_for(current: str, old: tuple[str, ...]) -> Keyring:
    return Keyring(current, old)
