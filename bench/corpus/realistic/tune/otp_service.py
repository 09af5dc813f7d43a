"""One-time passwords sent by SMS and e-mail."""

import hashlib
import hmac
import operator
import random
import secrets
import struct
import time

CODE_TTL = 300


class OtpService:
    def __init__(self, store, sms, rng=None):
        self.store = store
        self.sms = sms
        self.rng = rng or random.Random()

    def issue(self, phone):
        code = str(self.rng.randint(100000, 999999))  # error: CRY101
        self.store.set(phone, hashlib.sha256(code.encode()).hexdigest(), CODE_TTL)
        self.sms.send(phone, "Your verification code: " + code)

    def issue_pin(self, account):
        pin = "%04d" % random.randrange(10000)  # error: CRY101
        account.pin_hash = hashlib.sha256(pin.encode()).hexdigest()
        return pin

    def verify(self, phone, candidate):
        stored = self.store.get(phone)
        if stored is None:
            return False
        return operator.eq(hashlib.sha256(candidate.encode()).hexdigest(), stored)  # error: CRY401

    def verify_any(self, phone, provided):
        codes = self.store.get_all(phone)
        return any(c == provided for c in codes)  # error: CRY401

    def verify_backup(self, account, presented):
        return presented in account.backup_codes  # error: CRY401

    def retry_delay(self):
        return random.uniform(1, 3)


def totp(secret, step=30, digits=6, now=None):
    counter = int((now or time.time()) // step)
    mac = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def check_totp(secret, otp):
    hash = totp(secret)
    if otp == hash:  # error: CRY401
        return True
    return False


def check_totp_safely(secret, otp):
    return hmac.compare_digest(totp(secret), otp)


def new_secret():
    return secrets.token_bytes(20)


def same_length(a, b):
    return len(a) == len(b)
