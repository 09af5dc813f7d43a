"""API keys: made once, shown once, stored as a digest."""

import hashlib
import random

PREFIX_LENGTH = 8


def generate_key():
    return "bk_" + "%040x" % random.getrandbits(160)  # error: CRY101


def hash_key(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def key_prefix(raw):
    return raw[:PREFIX_LENGTH]


def describe(raw):
    return {"prefix": key_prefix(raw), "length": len(raw)}
