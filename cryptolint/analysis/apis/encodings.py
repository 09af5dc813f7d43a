"""Reversible encodings (base64, hex, codecs) that are not encryption."""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from cryptolint.analysis.apis._core import Api, _api

# ----------------------------------------------------------- key management
#: Encodings anyone can undo (CRY701): qualified name -> what a message calls
#: the encoding.  They carry the data, hide nothing.
REVERSIBLE_ENCODINGS: Mapping[str, str] = MappingProxyType(
    {
        **{f"base64.{fn}": "base64" for fn in ("b64encode", "standard_b64encode", "urlsafe_b64encode", "encodebytes", "encodestring")},
        **{f"base64.{fn}": "base32" for fn in ("b32encode", "b32hexencode")},
        "base64.b16encode": "hex", "base64.b85encode": "base85", "base64.a85encode": "Ascii85",
        "binascii.hexlify": "hex", "binascii.b2a_hex": "hex", "binascii.b2a_base64": "base64",
    }
)
#: `codecs.encode(obj, encoding)`: the codecs among its text/bytes
#: transforms that only disguise data -> what a message calls them.
CODEC_ENCODERS: Mapping[str, Api] = MappingProxyType(
    {"codecs.encode": _api("codecs.encode", "codec", {"data": (0, "obj"), "codec": (1, "encoding")})}
)
REVERSIBLE_CODECS: Mapping[str, str] = MappingProxyType(
    {
        **{name: "ROT13" for name in ("rot13", "rot_13", "rot-13")},
        **{name: "base64" for name in ("base64", "base_64", "base64_codec")},
        **{name: "hex" for name in ("hex", "hex_codec")},
    }
)
