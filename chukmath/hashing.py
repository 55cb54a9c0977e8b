"""Stable content hashes: the keys for caching, resume and de-duplication."""

import hashlib
from typing import Any

import orjson


def content_hash(value: Any, size: int = 16) -> str:
    """Hex blake2b of the canonical JSON (sorted keys) of ``value``; equal content gives equal ids."""
    data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(data, digest_size=size).hexdigest()


def text_hash(text: str, size: int = 16) -> str:
    """Hex blake2b of a UTF-8 string."""
    return hashlib.blake2b(text.encode(), digest_size=size).hexdigest()
