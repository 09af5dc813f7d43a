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

#: `SSLContext` protocols that make a context checking neither certificates
#: nor host names until told to (`verify_mode = CERT_REQUIRED`,
#: `check_hostname = True`); no protocol means `PROTOCOL_TLS`.
#: `PROTOCOL_TLS_CLIENT` checks both; a weak fixed version is CRY705's.
NON_VERIFYING_PROTOCOLS: FrozenSet[str] = frozenset({"ssl.PROTOCOL_TLS", "ssl.PROTOCOL_SSLv23"})
#: Context attributes and methods that decide checking: set to anything but
#: off, they repair a context made without it.
CONTEXT_CHECKING_SETTINGS: FrozenSet[str] = frozenset({"verify_mode", "check_hostname"})
#: Clients that take an `ssl.SSLContext` and speak TLS with it as the client
#: (CRY704): where the context goes.  Checked against Python 3.9-3.13,
#: aiohttp 3.14, httpx 0.28, urllib3 2.x and websockets 15.
TLS_CLIENTS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(name, "tls-client", {"context": (position, "context")})
                for name, position in (
                    ("http.client.HTTPSConnection", None), ("urllib.request.urlopen", None),
                    ("urllib.request.HTTPSHandler", 1), ("xmlrpc.client.ServerProxy", None),
                    ("smtplib.SMTP_SSL", None), ("smtplib.SMTP().starttls", 2), ("imaplib.IMAP4_SSL", None),
                    ("imaplib.IMAP4().starttls", 0), ("ftplib.FTP_TLS", None), ("poplib.POP3_SSL", None),
                    ("poplib.POP3().stls", 0), ("nntplib.NNTP_SSL", None), ("nntplib.NNTP().starttls", 0),
                    ("smtplib.SMTP_SSL().starttls", 2), ("imaplib.IMAP4_SSL().starttls", 0),
                )
            ),
            *(
                _api(name, "tls-client", {"context": (None, "ssl")})
                for name in (
                    "asyncio.open_connection", "asyncio.get_event_loop().create_connection",
                    "asyncio.get_running_loop().create_connection", "websockets.connect", "websockets.client.connect",
                    "aiohttp.request", "aiohttp.TCPConnector", "aiohttp.connector.TCPConnector",
                    *(f"aiohttp.ClientSession().{method}" for method in (*_HTTP_METHODS, "ws_connect")),
                )
            ),
            *(_api(f"httpx.{fn}", "tls-client", {"context": (None, "verify")}) for fn in (*_HTTP_METHODS, "stream", "Client", "AsyncClient", "HTTPTransport", "AsyncHTTPTransport")),
            *(
                _api(f"urllib3.{name}", "tls-client", {"context": (None, "ssl_context")})
                for name in ("PoolManager", "ProxyManager", "HTTPSConnectionPool", "connection_from_url", "poolmanager.PoolManager", "connectionpool.HTTPSConnectionPool")
            ),
        )
    }
)
#: Methods of a context that speak TLS on a socket or buffer; without
#: `server_side=True` they are the client's side.
CONTEXT_WRAPPERS: FrozenSet[str] = frozenset({"wrap_socket", "wrap_bio"})

#: Security factories a program may replace for the whole process (CRY707):
#: qualified name -> what every caller then gets from it.  Replacing one
#: with itself (restoring a saved original) is fine.
SECURITY_FACTORIES: Mapping[str, str] = MappingProxyType(
    {
        "ssl._create_default_https_context": "the context of every `urllib` and `http.client` HTTPS connection",
        "ssl.create_default_context": "the context of every library that asks `ssl` for a checking one",
        "ssl.SSLContext": "every TLS context the process makes",
        "ssl.match_hostname": "the host name check of older `ssl`, `urllib3` and `requests`",
        **{f"os.{fn}": "the operating system's random bytes for every caller" for fn in ("urandom", "getrandom")},
        **{f"secrets.{fn}": "the tokens every caller of `secrets` makes" for fn in ("token_bytes", "token_hex", "token_urlsafe", "choice", "randbits", "SystemRandom")},
        "random.SystemRandom": "every `SystemRandom` the process makes",
        **{f"{mod}.compare_digest": "every constant-time comparison" for mod in ("hmac", "secrets")},
    }
)
#: Test doubles that replace a module attribute while active (as a decorator,
#: a `with` block or a started patcher): qualified name -> how the target is
#: given, `"path"` (`patch("os.urandom", new)`: the dotted path, then `new`)
#: or `"object"` (`patch.object(ssl, "create_default_context", new)`: the
#: owner, the attribute, then `new`).  Both also take `new=`.
MOCK_PATCHERS: Mapping[str, str] = MappingProxyType(
    {
        **{f"{mod}.patch": "path" for mod in ("unittest.mock", "mock")},
        **{f"{mod}.patch.object": "object" for mod in ("unittest.mock", "mock")},
    }
)
#: pytest's `MonkeyPatch` (the `monkeypatch` fixture, `MonkeyPatch.context()`):
#: `setattr(owner, "name", value)` or `setattr("pkg.name", value)` replaces at once.
MONKEYPATCH_SETATTR: FrozenSet[str] = frozenset(
    {
        f"{cls}{made}.setattr"
        for cls in ("pytest.MonkeyPatch", "_pytest.monkeypatch.MonkeyPatch")
        for made in ("()", ".context()")
    }
)
#: The name pytest gives its fixture, which no import resolves.
MONKEYPATCH_FIXTURE = "monkeypatch"
#: Defaults of a client class that turn checking off for every instance when
#: patched: attribute -> the value that does (`requests.Session.verify = False`),
#: and methods whose replacement passes `verify=False` to every call.
CHECKING_DEFAULTS: FrozenSet[str] = frozenset({"requests.Session.verify", "requests.sessions.Session.verify"})
CHECKING_METHODS: FrozenSet[str] = frozenset(
    {
        *(f"{owner}.{method}" for owner in ("requests.Session", "requests.sessions.Session") for method in ("request", "send", "merge_environment_settings")),
        *(f"requests.{fn}" for fn in (*_HTTP_METHODS, "api.request")),
    }
)
#: Random generators that are not cryptographic, which a name that promises
#: one (`sysrand`, `secure_random`) must not hold.
PREDICTABLE_GENERATORS: FrozenSet[str] = frozenset({"random.Random", "random.Random()", "random", "numpy.random.RandomState", "numpy.random.default_rng"})
#: Calls that silence the warning urllib3 gives for each unchecked HTTPS
#: request, and that warning's class.
WARNING_SILENCERS: FrozenSet[str] = frozenset(
    {"urllib3.disable_warnings", "requests.packages.urllib3.disable_warnings", "warnings.filterwarnings", "warnings.simplefilter"}
)
INSECURE_REQUEST_WARNINGS: FrozenSet[str] = frozenset(
    {
        f"{pkg}.{where}InsecureRequestWarning"
        for pkg in ("urllib3", "requests.packages.urllib3")
        for where in ("exceptions.", "")
    }
    | {"requests.exceptions.InsecureRequestWarning"}
)

#: SSH host-key policies that accept a server's key unseen (CRY708) -> what
#: they do.  paramiko takes the class or an instance.
SSH_UNCHECKED_HOST_KEY_POLICIES: Mapping[str, str] = MappingProxyType(
    {
        **{f"paramiko.{where}AutoAddPolicy": "accepts and stores the key of any server it has not seen" for where in ("", "client.")},
        **{f"paramiko.{where}WarningPolicy": "logs a warning and accepts the key of any server it has not seen" for where in ("", "client.")},
    }
)
#: The method that installs a policy (on an `SSHClient`, often passed in).
SSH_POLICY_METHODS: FrozenSet[str] = frozenset({"set_missing_host_key_policy"})
#: Clients whose host-key check a keyword turns off with None.
SSH_KNOWN_HOSTS_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api(f"asyncssh.{name}", "ssh-client", {"known_hosts": (None, "known_hosts")})
            for name in ("connect", "connection.connect", "create_connection", "SSHClientConnectionOptions", "connect_reverse", "listen_reverse")
        )
    }
)
#: Objects whose `hostkeys` attribute set to None turns the host-key check
#: off (pysftp's connection options).
SSH_HOSTKEYS_OWNERS: FrozenSet[str] = frozenset({"pysftp.CnOpts()"})
#: OpenSSH options, written in code, that skip the host-key check (matched
#: without spaces and case) and the command that fetches keys unseen.
SSH_UNCHECKED_OPTIONS: FrozenSet[str] = frozenset({"stricthostkeychecking=no", "stricthostkeychecking=off", "userknownhostsfile=/dev/null"})
SSH_KEYSCAN = "ssh-keyscan"

#: Protocol versions with known attacks, by constant -> the version: SSL 2
#: (RFC 6176), SSL 3 (RFC 7568), TLS 1.0 and 1.1 (RFC 8996) (CRY705).
#: pyOpenSSL's `SSLv23_METHOD` and `ssl.PROTOCOL_TLS` negotiate the highest
#: version both sides have, so they are not in this table.
WEAK_TLS_VERSIONS: Mapping[str, str] = MappingProxyType(
    {
        **{f"ssl.PROTOCOL_{name}": version for name, version in (("SSLv2", "SSL 2.0"), ("SSLv3", "SSL 3.0"), ("TLSv1", "TLS 1.0"), ("TLSv1_1", "TLS 1.1"))},
        **{f"ssl.TLSVersion.{name}": version for name, version in (("SSLv3", "SSL 3.0"), ("TLSv1", "TLS 1.0"), ("TLSv1_1", "TLS 1.1"))},
        "ssl.TLSVersion.MINIMUM_SUPPORTED": "the oldest version the OpenSSL build has (SSL 3.0 or TLS 1.0 on many)",
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
#: Methods that set an OpenSSL cipher string (`SSLContext.set_ciphers`,
#: pyOpenSSL's `Context.set_cipher_list`) and keywords that pass one
#: (`create_urllib3_context(ciphers=...)`) (CRY705).
TLS_CIPHER_METHODS: FrozenSet[str] = frozenset({"set_ciphers", "set_cipher_list"})
TLS_CIPHER_KEYWORDS: FrozenSet[str] = frozenset({"ciphers"})
#: Parts of an OpenSSL cipher string (upper-cased; `ECDHE-RSA-RC4-SHA`
#: splits at `-` and `+`) that allow broken suites when not excluded with
#: `!` or `-` -> what they allow.
WEAK_CIPHER_STRING_PARTS: Mapping[str, str] = MappingProxyType(
    {
        "RC4": "RC4, whose biases reveal plaintext",
        "DES": "single DES, whose 56-bit key is searched in hours",
        "NULL": "suites that do not encrypt", "ENULL": "suites that do not encrypt",
        "ANULL": "anonymous suites that authenticate no server", "ADH": "anonymous suites that authenticate no server",
        "AECDH": "anonymous suites that authenticate no server",
        "EXPORT": "export-grade suites (40- and 56-bit keys)", "EXP": "export-grade suites (40- and 56-bit keys)",
        "EXPORT40": "export-grade suites (40- and 56-bit keys)", "EXPORT56": "export-grade suites (40- and 56-bit keys)",
        "LOW": "low-strength suites (56- and 64-bit keys)", "MD5": "suites that authenticate records with MD5",
        "@SECLEVEL=0": "every suite and key size, however weak (`@SECLEVEL=0`)",
    }
)
#: Functions that wrap a socket in TLS the legacy way -> why that is weak.
LEGACY_TLS_WRAPPERS: Mapping[str, str] = MappingProxyType(
    {"ssl.wrap_socket": "checks no certificate or host name by default and was removed in Python 3.12"}
)
