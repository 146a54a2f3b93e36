"""Encryption at rest of direct identifiers: AES-256-GCM with a key derived (HKDF-SHA256) from a secret.

A stored value reads ``enc1:<base64(nonce || ciphertext || tag)>``; each encryption draws a fresh nonce, so two
equal names give different ciphertexts and cannot be matched in the database.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "enc1:"
NONCE_BYTES = 12


class DecryptionError(ValueError):
    pass


class FieldCipher:
    def __init__(self, secret: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"palermo.cases", info=b"field-encryption-v1").derive(
            secret.encode()
        )
        self._aead = AESGCM(key)

    def encrypt(self, text: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode(), None)
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def encrypt_many(self, texts: list[str]) -> list[str]:
        """Encrypt each non-empty text (the empty text stays empty), drawing all the nonces in one call; the same
        format as ``encrypt``, for imports of many rows."""
        filled = sum(1 for text in texts if text)
        nonces = os.urandom(NONCE_BYTES * filled)
        seal = self._aead.encrypt
        encode = base64.urlsafe_b64encode
        sealed: list[str] = []
        position = 0
        for text in texts:
            if not text:
                sealed.append("")
                continue
            nonce = nonces[position:position + NONCE_BYTES]
            position += NONCE_BYTES
            sealed.append(PREFIX + encode(nonce + seal(nonce, text.encode(), None)).decode())
        return sealed

    def decrypt(self, token: str) -> str:
        if not token.startswith(PREFIX):
            raise DecryptionError("value is not encrypted with this scheme")
        raw = base64.urlsafe_b64decode(token[len(PREFIX):])
        try:
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()
        except InvalidTag as error:
            raise DecryptionError("wrong key or tampered value") from error


@lru_cache(maxsize=4)
def cipher_for(secret: str) -> FieldCipher:
    return FieldCipher(secret)
