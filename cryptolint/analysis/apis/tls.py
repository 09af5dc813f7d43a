"""TLS: certificate verification switches, SSL contexts, protocol versions."""

from __future__ import annotations

from types import MappingProxyType
from typing import FrozenSet, Mapping

from cryptolint.analysis.apis._core import Api, _api

#: HTTP clients with a certificate-verification switch (CRY704), by role:
#: `verify` turns checking off when False, `cert_reqs` when it is
#: `CERT_NONE`, `hostname` turns the host name check off when False.  Fact
#: `fixable`: True is a valid value of the `verify` keyword in every version
#: (aiohttp's `ssl` took None, not True, before 3.9).
_HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
TLS_VERIFY_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(f"{owner}.{method}", "http", {"verify": (None, "verify")}, fixable=True)
                for owner in (
                    "requests", "requests.api", "requests.Session()", "requests.sessions.Session()",
                    "requests.session()", "requests.sessions.session()",
                )
                for method in (*_HTTP_METHODS, "send")
                if method != "send" or "()" in owner
            ),
            *(_api(f"httpx.{fn}", "http", {"verify": (None, "verify")}, fixable=True) for fn in (*_HTTP_METHODS, "stream")),
            *(
                _api(f"httpx.{cls}", "http", {"verify": (None, "verify")}, fixable=True)
                for cls in ("Client", "AsyncClient", "HTTPTransport", "AsyncHTTPTransport")
            ),
            *(
                _api(name, "http", {"verify": (None, "ssl"), "legacy_verify": (None, "verify_ssl")})
                for name in (
                    "aiohttp.request", "aiohttp.TCPConnector", "aiohttp.connector.TCPConnector",
                    *(f"aiohttp.ClientSession().{method}" for method in (*_HTTP_METHODS, "ws_connect")),
                )
            ),
            *(
                _api(f"{pkg}.{name}", "http", {"cert_reqs": (None, "cert_reqs"), "hostname": (None, "assert_hostname")})
                for pkg in ("urllib3", "requests.packages.urllib3")
                for name in (
                    "PoolManager", "ProxyManager", "HTTPSConnectionPool", "connection_from_url", "proxy_from_url",
                    "poolmanager.PoolManager", "poolmanager.ProxyManager", "connectionpool.HTTPSConnectionPool",
                    "connectionpool.connection_from_url",
                )
            ),
            *(
                _api(f"urllib3.{where}create_urllib3_context", "ssl-context", {"cert_reqs": (1, "cert_reqs")})
                for where in ("util.", "util.ssl_.")
            ),
        )
    }
)
#: Objects whose `verify` attribute turns checking off when set to False.
TLS_VERIFY_ATTRIBUTE_OWNERS: FrozenSet[str] = frozenset(
    {"requests.Session()", "requests.sessions.Session()", "requests.session()", "requests.sessions.session()"}
)
#: `ssl` constants that turn certificate checking off, and the one that turns it on.
CERT_NONE_CONSTANTS: FrozenSet[str] = frozenset({"ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"})
CERT_NONE_NAMES: FrozenSet[str] = frozenset({"CERT_NONE", "NONE"})
CERT_REQUIRED = "CERT_REQUIRED"
CERT_REQUIRED_CONSTANTS: FrozenSet[str] = frozenset({"ssl.CERT_REQUIRED", "ssl.VerifyMode.CERT_REQUIRED"})
#: Calls that make an `ssl.SSLContext`, with what decides its side: a
#: `purpose` (`Purpose.CLIENT_AUTH` makes a server's context) or a
#: `protocol` (`PROTOCOL_TLS_CLIENT` a client's).  A client context checks
#: certificates and host names unless told not to; a server context does not
#: ask for client certificates by default, which is fine.
SSL_CONTEXT_MAKERS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("ssl.create_default_context", "ssl-context", {"purpose": (0, "purpose")}, side="client"),
            _api("ssl.SSLContext", "ssl-context", {"protocol": (0, "protocol")}, side=None),
            *(_api(f"urllib3.{where}create_urllib3_context", "ssl-context", {}, side="client") for where in ("util.", "util.ssl_.")),
        )
    }
)
SERVER_PURPOSES: FrozenSet[str] = frozenset({"ssl.Purpose.CLIENT_AUTH"})
CLIENT_PROTOCOLS: FrozenSet[str] = frozenset({"ssl.PROTOCOL_TLS_CLIENT"})
#: Context attributes that switch a check off, and the value that does.
SSL_CONTEXT_SWITCHES: Mapping[str, str] = MappingProxyType({"check_hostname": "false", "verify_mode": "cert-none"})
#: Functions that make a context that checks nothing (any reference, called
#: or installed as `ssl._create_default_https_context`), and their checking
#: equivalent.
UNVERIFIED_CONTEXT_MAKERS: Mapping[str, str] = MappingProxyType({"ssl._create_unverified_context": "create_default_context"})

#: Protocol versions with known attacks, by constant -> the version: SSL 2
#: (RFC 6176), SSL 3 (RFC 7568), TLS 1.0 and 1.1 (RFC 8996) (CRY705).
#: pyOpenSSL's `SSLv23_METHOD` and `ssl.PROTOCOL_TLS` negotiate the highest
#: version both sides have, so they are not in this table.
WEAK_TLS_VERSIONS: Mapping[str, str] = MappingProxyType(
    {
        **{f"ssl.PROTOCOL_{name}": version for name, version in (("SSLv2", "SSL 2.0"), ("SSLv3", "SSL 3.0"), ("TLSv1", "TLS 1.0"), ("TLSv1_1", "TLS 1.1"))},
        **{f"ssl.TLSVersion.{name}": version for name, version in (("SSLv3", "SSL 3.0"), ("TLSv1", "TLS 1.0"), ("TLSv1_1", "TLS 1.1"))},
        **{
            f"OpenSSL.SSL.{name}_METHOD": version
            for name, version in (("SSLv2", "SSL 2.0"), ("SSLv3", "SSL 3.0"), ("TLSv1", "TLS 1.0"), ("TLSv1_1", "TLS 1.1"))
        },
    }
)
#: Options that turn a weak version off; clearing one (`options &= ~OP_NO_TLSv1`) turns it back on.
WEAK_TLS_DISABLERS: Mapping[str, str] = MappingProxyType(
    {
        f"{owner}.OP_NO_{name}": version
        for owner in ("ssl", "ssl.Options", "OpenSSL.SSL")
        for name, version in (("SSLv2", "SSL 2.0"), ("SSLv3", "SSL 3.0"), ("TLSv1", "TLS 1.0"), ("TLSv1_1", "TLS 1.1"))
    }
)
#: Calls that choose a protocol version, with where: `protocol` (a
#: `PROTOCOL_*`/`*_METHOD` constant) or `minimum`/`maximum` (a `TLSVersion`).
TLS_VERSION_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("ssl.SSLContext", "ssl-context", {"protocol": (0, "protocol")}),
            _api("ssl.get_server_certificate", "ssl-call", {"protocol": (1, "ssl_version")}),
            _api("OpenSSL.SSL.Context", "ssl-context", {"protocol": (0, "method")}),
            *(
                _api(f"urllib3.{where}create_urllib3_context", "ssl-context", {"protocol": (0, "ssl_version"), "minimum": (None, "ssl_minimum_version"), "maximum": (None, "ssl_maximum_version")})
                for where in ("util.", "util.ssl_.")
            ),
        )
    }
)
#: Keywords that choose a version on any call (urllib3's pools and
#: requests adapters' `init_poolmanager(..., ssl_version=...)`).
TLS_VERSION_KEYWORDS: Mapping[str, str] = MappingProxyType(
    {"ssl_version": "protocol", "ssl_minimum_version": "minimum", "ssl_maximum_version": "maximum"}
)
#: `SSLContext` attributes that bound the versions a context accepts.
TLS_VERSION_ATTRIBUTES: Mapping[str, str] = MappingProxyType({"minimum_version": "minimum", "maximum_version": "maximum"})
#: Functions that wrap a socket in TLS the legacy way -> why that is weak.
LEGACY_TLS_WRAPPERS: Mapping[str, str] = MappingProxyType(
    {"ssl.wrap_socket": "checks no certificate or host name by default and was removed in Python 3.12"}
)
