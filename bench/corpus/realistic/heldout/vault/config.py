"""Configuration of the vault helper."""

import os

DATA_KEY = b"\x8f\x1a\x03\x9b\x77\x12\xee\x4c\x90\x01\x5d\xa2\x33\xc4\x6e\x19"
KEY_ID = "primary-2024"
NONCE = b"\x00" * 12
ITERATIONS = 600_000
KDF_SALT = b"vault-static-salt"
BACKUP_KEY = os.environ.get("VAULT_BACKUP_KEY", "").encode()
