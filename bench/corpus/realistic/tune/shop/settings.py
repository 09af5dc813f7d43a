"""Settings of the shop application."""

import os

DEBUG = os.environ.get("SHOP_DEBUG") == "1"
SECRET_KEY = "f4k3-but-7his-is-the-pr0d-key-9321"  # error: CRY302
DATA_KEY = b"0123456789abcdef0123456789abcdef"  # error: CRY302
WEBHOOK_SECRET = os.environ["SHOP_WEBHOOK_SECRET"]
PASSWORD_RESET_TIMEOUT = 3600
SESSION_COOKIE_NAME = "shop_session"
CSRF_HEADER_NAME = "X-CSRF-Token"
API_KEY_HEADER = "X-Api-Key"
TOKEN_LENGTH = 32
