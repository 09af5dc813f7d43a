"""Protocols whose specifications fix weak primitives, and how a package says it implements one.

NTLM needs MD4, MD5, HMAC-MD5, DES and RC4; Kerberos's RC4-HMAC enctype
needs RC4 and HMAC-MD5; the WebSocket handshake's accept key is SHA-1 of a
fixed GUID; HOTP and TOTP default to HMAC-SHA-1.  Code that implements such
a protocol cannot choose other primitives, and its findings drown the ones
that matter.  Rules that report such primitives carry a `protocol` marker
(`Check.PROTOCOLS`, shown in the rule table).  A package that declares the
protocol it implements -- `protocols = ["ntlm"]` in `[tool.cryptolint]`, or
a `# cryptolint: implements-protocol=ntlm` comment in one file -- still sees
those findings, lowered to notes (`Level.NOTE`) and saying why.
"""

from __future__ import annotations

import re
from dataclasses import replace
from types import MappingProxyType
from typing import FrozenSet, Iterable, List, Mapping, Sequence, Set

from cryptolint.diagnostic import Diagnostic, Level

#: Protocols a package may declare -> what they fix (for messages and docs).
PROTOCOLS: Mapping[str, str] = MappingProxyType(
    {
        "ntlm": "NTLM (MD4, MD5, HMAC-MD5, DES, RC4)",
        "kerberos": "Kerberos (RC4-HMAC and DES enctypes, HMAC-MD5)",
        "ms-rpc": "MS-RPC and SMB signing (MD5, HMAC-MD5, DES, RC4)",
        "websocket": "the WebSocket handshake (SHA-1 accept key)",
        "hotp": "HOTP one-time passwords (HMAC-SHA-1, RFC 4226)",
        "totp": "TOTP one-time passwords (HMAC-SHA-1, RFC 6238)",
    }
)

#: `# cryptolint: implements-protocol=ntlm, kerberos` anywhere in a comment.
_MARKER = re.compile(r"#\s*cryptolint:\s*implements-protocols?\s*[=:]?\s*([A-Za-z0-9_, -]+)")


def validate(names: Iterable[str]) -> FrozenSet[str]:
    """Lower-cased protocol names; ValueError for an unknown one."""
    result = set()
    for raw in names:
        name = raw.strip().lower()
        if name not in PROTOCOLS:
            raise ValueError(f"unknown protocol `{raw}` (known: {', '.join(sorted(PROTOCOLS))})")
        result.add(name)
    return frozenset(result)


def declared_in(lines: Sequence[str]) -> FrozenSet[str]:
    """The known protocols a file's `implements-protocol` comments name (unknown names are ignored)."""
    found: Set[str] = set()
    for line in lines:
        if "implements-protocol" not in line:
            continue
        match = _MARKER.search(line)
        if match:
            found.update(part for part in re.split(r"[,\s]+", match.group(1).lower()) if part in PROTOCOLS)
    return frozenset(found)


def lower(diagnostics: Sequence[Diagnostic], declared: FrozenSet[str], marked: Mapping[str, FrozenSet[str]]) -> List[Diagnostic]:
    """Findings of rules marked for a declared protocol, as notes that say so."""
    if not declared:
        return list(diagnostics)
    result = []
    for diagnostic in diagnostics:
        protocols = sorted(marked.get(diagnostic.code, frozenset()) & declared)
        if protocols and diagnostic.level is not Level.NOTE:
            why = " and ".join(protocols)
            diagnostic = replace(
                diagnostic,
                level=Level.NOTE,
                message=f"{diagnostic.message} (a note: this code declares it implements {why}, whose specification may fix this primitive)",
            )
        result.append(diagnostic)
    return result
