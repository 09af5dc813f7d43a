"""A small SDK for a signed HTTP API."""

import base64
import hashlib
import hmac
import json
import random
import time

import requests


class Client:
    def __init__(self, api_key, api_secret, base_url="https://api.example.com", timeout=10):
        self.api_key = api_key
        self.api_secret = api_secret
        self.base_url = base_url
        self.timeout = timeout
        self.session = requests.Session()

    def _nonce(self):
        return str(random.getrandbits(64))  # error: CRY101

    def _request_id(self):
        return "%016x" % random.getrandbits(64)

    def _signature(self, method, path, body, nonce, ts):
        message = "\n".join([method, path, body, nonce, str(ts)]).encode()
        return hmac.new(self.api_secret.encode(), message, hashlib.sha256).hexdigest()

    def request(self, method, path, payload=None):
        body = json.dumps(payload or {})
        ts = int(time.time())
        nonce = self._nonce()
        headers = {
            "X-Api-Key": self.api_key,
            "X-Nonce": nonce,
            "X-Timestamp": str(ts),
            "X-Signature": self._signature(method, path, body, nonce, ts),
            "X-Request-Id": self._request_id(),
        }
        response = self.session.request(method, self.base_url + path, data=body, headers=headers, timeout=self.timeout)
        self._verify(response)
        return response.json()

    def _verify(self, response):
        sig = response.headers.get("X-Signature", "")
        mine = self._signature("RESPONSE", "", response.text, response.headers.get("X-Nonce", ""), response.headers.get("X-Timestamp", ""))
        if sig != mine:  # error: CRY401
            raise ValueError("bad signature")

    def backoff(self, attempt):
        return min(30.0, (2 ** attempt) + random.random())

    @staticmethod
    def basic_auth(user, password):
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def same_account(self, other):
        return self.api_key == other.api_key


def verify_webhook(secret, body, header):
    expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, header)


def verify_webhook_fast(secret, body, header):
    expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest())
    return header.strip().encode() == expected  # error: CRY401
