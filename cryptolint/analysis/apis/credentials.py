"""APIs that take a password or credential."""

from __future__ import annotations

from types import MappingProxyType
from typing import FrozenSet, Mapping

from cryptolint.analysis.apis._core import Api, _api

# -------------------------------------------------------------- credentials
#: Calls that take a password positionally (keywords are read by name), with
#: the environment variable a fix reads it from.
CREDENTIAL_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(f"smtplib.{cls}().login", "login", {"password": (1, "password")}, env="SMTP_PASSWORD")
                for cls in ("SMTP", "SMTP_SSL", "LMTP")
            ),
            *(
                _api(f"ftplib.{cls}().login", "login", {"password": (1, "passwd")}, env="FTP_PASSWORD")
                for cls in ("FTP", "FTP_TLS")
            ),
            *(_api(f"ftplib.{cls}", "login", {"password": (2, "passwd")}, env="FTP_PASSWORD") for cls in ("FTP", "FTP_TLS")),
            *(
                _api(f"imaplib.{cls}().login", "login", {"password": (1, "password")}, env="IMAP_PASSWORD")
                for cls in ("IMAP4", "IMAP4_SSL")
            ),
            *(_api(f"poplib.{cls}().pass_", "login", {"password": (0, "pswd")}, env="POP3_PASSWORD") for cls in ("POP3", "POP3_SSL")),
            *(
                _api(f"urllib.request.{cls}().add_password", "login", {"password": (3, "passwd")}, env="HTTP_PASSWORD")
                for cls in ("HTTPPasswordMgr", "HTTPPasswordMgrWithDefaultRealm", "HTTPPasswordMgrWithPriorAuth")
            ),
            *(
                _api(name, "http-auth", {"password": (1, "password")}, env="HTTP_PASSWORD")
                for name in (
                    "requests.auth.HTTPBasicAuth", "requests.auth.HTTPDigestAuth", "requests.auth.HTTPProxyAuth",
                    "requests.HTTPBasicAuth", "requests.HTTPDigestAuth", "httpx.BasicAuth", "httpx.DigestAuth",
                    "aiohttp.BasicAuth", "aiohttp.helpers.BasicAuth",
                )
            ),
            *(
                _api(f"{mod}.SSHClient().connect", "login", {"password": (3, "password")}, env="SSH_PASSWORD")
                for mod in ("paramiko", "paramiko.client")
            ),
            _api("paramiko.Transport().connect", "login", {"password": (2, "password")}, env="SSH_PASSWORD"),
            _api("ldap3.Connection", "login", {"password": (2, "password")}, env="LDAP_PASSWORD"),
            _api("keyring.set_password", "login", {"password": (2, "password")}, env="KEYRING_PASSWORD"),
        )
    }
)
#: Keywords whose value may be a `(user, password)` pair: `auth=("u", "p")`.
CREDENTIAL_PAIR_KEYWORDS: FrozenSet[str] = frozenset({"auth", "http_auth", "basic_auth", "proxy_auth"})
