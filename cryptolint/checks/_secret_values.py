"""Reading a literal the way a reviewer does: is this value a secret?

CRY302 asks `secret_value(named, identifier, value)` for a literal bound to a
secret-like name.  Real code is full of secret-looking names that hold no
secret, so the value decides: the name of a field, header, cookie, session
key, environment variable or setting (`"password"`, `"X-Auth-Token"`,
`"APP_KEY"`, `"_password_reset_token"`), a token type (`"Bearer"`), a
placeholder or mask (`"<your-api-key>"`, `"***"`, `"foo"`), a template
(`"%(password)s"`), a URL, path, prompt or sentence, a stored password hash
or a public key is not a secret; `"hunter2"`, `"changeme"`,
`"super-secret-key"` and anything that looks like key material are.
Bare generic names (`key`, `pin`, `token`) count only with key material.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import List, Optional, Sequence, Union

from cryptolint.analysis.names import ROLE_WORDS, SecretName, split_words

Text = Union[str, bytes]

#: Text that is public key material: a literal of it is fine.
_PUBLIC_MARKERS = (
    "-----BEGIN PUBLIC KEY", "-----BEGIN RSA PUBLIC KEY", "-----BEGIN EC PUBLIC KEY",
    "-----BEGIN CERTIFICATE", "-----BEGIN SSH2 PUBLIC KEY", "-----BEGIN PGP PUBLIC KEY",
    "-----BEGIN X509 CRL", "-----BEGIN TRUSTED CERTIFICATE",
)
_PUBLIC_PREFIXES = ("ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-")
#: Roles whose names mostly hold the *name* of something (a session key, a
#: form field): reported only for values that look like key material.
_NAME_ROLES = frozenset({"session", "csrf"})
#: Bare words that name many things besides secrets.
_WEAK_WORDS = frozenset(
    {"key", "pin", "sig", "mac", "digest", "code", "token", "tokens", "keys", "secrets", "creds", "credentials", "credential"}
)
#: Prefixes of well-known credential formats.
_KEY_PREFIXES = (
    "django-insecure-", "sk_live_", "sk_test_", "rk_live_", "pk_live_", "ghp_", "gho_", "ghu_", "ghs_",
    "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxs-", "AKIA", "ASIA", "AIza", "SG.", "shpat_",
    "npm_", "pypi-",
)
_PRIVATE_PEM = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")

#: Values that are words for kinds of things, not secrets.
_NOT_SECRET_VALUES = frozenset(
    """
    none null nil true false yes no on off auto default required optional enabled disabled hidden
    prompt ask input env environ environment file stdin keyring bearer basic digest mac jwt jws jwe
    hmac oauth oauth2 oidc saml api apikey token tokens password passwords secret secrets key keys
    code pin plain plaintext text str string bytes int bool s256 hs256 hs384 hs512 rs256 rs384 rs512
    es256 es384 es512 ps256 ps384 ps512 eddsa md5 sha1 sha224 sha256 sha384 sha512 aes rsa ec oct
    dsa ed25519 x25519 pbkdf2 bcrypt argon2 scrypt crypt sha256_crypt sha512_crypt implicit
    client_credentials authorization_code refresh_token access_token id_token device_code
    urn unknown unset notset not_set n/a na tbd todo fixme dummy fake example sample placeholder test testing
    redacted masked hidden invalid unused anonymous anon public private confidential
    """.split()
)
_PLACEHOLDER_WORDS = frozenset(
    """
    your yours here placeholder redacted replace insert todo fixme xxx xxxx xxxxx masked hidden
    dummy fake example sample mock test foo bar baz qux quux foobar spam eggs
    """.split()
)
#: Substrings that mark a documentation or mock value (AWS's `...EXAMPLEKEY`).
_PLACEHOLDER_PARTS = ("example", "***", "asdf", "foobar", "dummy", "placeholder", "changethis", "replaceme")

#: Name words that say the value is not a real secret.
DUMMY_WORDS = frozenset(
    {"dummy", "fake", "mock", "example", "sample", "placeholder", "test", "testing", "invalid", "wrong", "bad", "bogus", "unused"}
)
#: Words in front of `key`/`token` that say it unlocks something.
_SECRET_MODIFIERS = frozenset(
    """
    secret private priv api apikey signing sign encryption encrypt enc decryption decrypt crypto
    cipher master access refresh auth authentication authorization bearer hmac aes des fernet jwt
    app application client consumer service license shared symmetric wrapping kek dek root admin
    bot webhook stripe aws account github gitlab slack
    personal pat oauth password passphrase session reset verification verify confirmation
    activation login invite magic otp mfa security recovery csrf xsrf django flask
    """.split()
)
#: Words that make `my-secret-key` a (weak) secret rather than the name of one.
_QUALIFIERS = frozenset(
    """
    super my our dev development insecure default change changeme very top not so hard test testing
    local temp tmp unsafe weak simple fallback prod production staging secure strong random
    """.split()
)

_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_HEADER = re.compile(r"^(?:[Xx]-[A-Za-z0-9-]+|[A-Z][a-z0-9]+(?:-[A-Z][A-Za-z0-9]*)+)$")
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$")
_NAMESPACED = re.compile(r"^[A-Za-z][A-Za-z_-]*(?::[A-Za-z][A-Za-z_-]*)+$")
#: Dict and subscript keys that name a field (not `"AWS::KMS::Key"` or `"SSH password:"`).
KEY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
#: Stored password hashes (Django, crypt, bcrypt, argon2, LDAP, passlib) and
#: Django's unusable-password marker: a hash in source is not the password.
_PASSWORD_HASH = re.compile(
    r"^(?:(?:pbkdf2_sha256|pbkdf2_sha1|argon2|bcrypt_sha256|bcrypt|scrypt|sha1|md5|unsalted_md5|unsalted_sha1"
    r"|crypt)\$"
    r"|\$(?:1|2[abxy]?|5|6|y|7|argon2(?:id|i|d)|scrypt|pbkdf2(?:-sha256|-sha512)?|sha1|md5)\$"
    r"|\{(?:SSHA|SHA|SMD5|MD5|CRYPT|PBKDF2)[^}]*\}|!)"
)
#: An Authorization header value: scheme, then the credential.
AUTH_VALUE = re.compile(r"^(Bearer|Token|Basic|Bot|token|bearer|Digest|ApiKey|Api-Key)\s+(\S+)$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]*$")
_FORMAT = re.compile(r"%\(?[a-zA-Z_]*\)?[sdrif]|\{[^{}]*\}|\$\{|\$[A-Z_]+")
_FILE_SUFFIXES = (
    ".pem", ".key", ".crt", ".cer", ".der", ".p12", ".pfx", ".pub", ".txt", ".json", ".yml", ".yaml",
    ".cfg", ".ini", ".conf", ".toml", ".env", ".db", ".sqlite", ".sqlite3", ".jks", ".keystore", ".gpg", ".asc",
)


def entropy(text: str) -> float:
    """Shannon entropy of `text`, in bits per character."""
    if not text:
        return 0.0
    counts = Counter(text)
    total = len(text)
    return -sum(c / total * math.log2(c / total) for c in counts.values())


def looks_like_key_material(value: Text) -> bool:
    """Random-looking text or bytes: hex or base64 of >= 16 characters,
    binary bytes, a private key, or a well-known credential format."""
    if isinstance(value, bytes):
        if len(value) >= 16 and not all(32 <= b < 127 for b in value):
            return _random_bytes(value)
        value = value.decode("latin-1")
    text = value.strip()
    if _PRIVATE_PEM.search(text):
        return True
    if text.startswith(_KEY_PREFIXES) and len(text) >= 16 and " " not in text:
        return True
    if len(text) < 16 or any(c.isspace() for c in text):
        return False
    if re.fullmatch(r"[0-9a-fA-F]+", text):
        return bool(re.search(r"\d", text) and re.search(r"[a-fA-F]", text)) and entropy(text) >= 3.0
    if not re.fullmatch(r"[A-Za-z0-9+/=_\-.~!@#$%^&*]+", text):
        return False
    classes = sum(bool(re.search(p, text)) for p in (r"[a-z]", r"[A-Z]", r"\d"))
    return classes >= 3 and entropy(text) >= 3.5 and not _reads_as_words(text)


def _random_bytes(value: bytes) -> bool:
    """Binary bytes as random as key material: protocol framing
    (`b"\\x60\\x82\\x00\\x00..."`, `b"NTLMSSP\\x00..."`) repeats bytes and
    carries readable tags; a key's bytes are spread near evenly."""
    if re.search(rb"[A-Za-z]{4}", value):
        return False
    most = math.log2(min(len(value), 256))
    return entropy(value.decode("latin-1")) >= 0.85 * most


def _reads_as_words(text: str) -> bool:
    """`PasswordResetTokenV2`, `django.contrib.auth`: identifiers, not keys."""
    words = [w for w in re.split(r"[^A-Za-z]+", text) for w in split_words(w)]
    letters = sum(len(w) for w in words)
    return bool(words) and letters >= 0.8 * len(text) and len(words) <= len(text) / 4


def is_placeholder(text: str) -> bool:
    """`<your-api-key>`, `***`, `xxx`, `...`, `YOUR_TOKEN_HERE`, `foo`, `test-secret`."""
    return is_mask(text) or bool(_value_words(text) & _PLACEHOLDER_WORDS)


def is_mask(text: str) -> bool:
    """A value's shape says it stands for a secret: `***`, `xxxx`, `<...>`,
    `__TOKEN__`, AWS's `...EXAMPLEKEY`, `test...`."""
    if len(set(text)) <= 1:
        return True
    if len(set(text.lower()) - set("x*.-_ ")) == 0:
        return True
    if text[:1] in "<[{(" and text[-1:] in ">]})":
        return True
    if text.startswith("__") and text.endswith("__"):
        return True
    lowered = text.lower()
    return any(part in lowered for part in _PLACEHOLDER_PARTS) or lowered.startswith("test")


def _value_words(text: str) -> "set[str]":
    return {w for part in re.split(r"[^A-Za-z0-9]+", text) for w in split_words(part)}


def resembles_name(text: str, identifier: str) -> bool:
    """The value names something (the identifier itself, a field, a session
    key, a label): `PASSWORD = "password"`, `TOKEN = "oauth_token"`,
    `"_auth_user_hash"`, `"csrfmiddlewaretoken"`, `"wrong password"`; but
    not a made-up weak secret: `"mysecretkey"`, `"super-secret-key"`,
    `"password123"`, `"secret-key-for-prod"`."""
    if not _IDENTIFIER.match(text) and not re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+){1,2}", text):
        return False
    norm_value = re.sub(r"[^a-z0-9]", "", text.lower())
    norm_name = re.sub(r"[^a-z0-9]", "", identifier.lower())
    if norm_value == norm_name or norm_value in ROLE_WORDS:
        return True
    if text.startswith("_") and len(text) > 1:
        return True
    name_words = set(split_words(identifier.rsplit(".", 1)[-1]))
    pieces = _pieces(text, name_words)
    if not pieces or any(p in _QUALIFIERS or p.isdigit() for p in pieces):
        return False
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+){2,}", text) and not set(pieces) <= name_words | set(ROLE_WORDS):
        return False  # `jwt-secret-string`: a made-up phrase; names use `_`, `.` or camelCase
    if len(norm_name) >= 5 and norm_name in norm_value:
        return True  # `aws_access_key_id` for `ACCESS_KEY`
    if set(pieces) <= name_words | set(ROLE_WORDS):
        return True
    # `oauth_token`, `csrfmiddlewaretoken`, `wrong password`: ends in a role word.
    return len(pieces) >= 2 and pieces[-1] in ROLE_WORDS


_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def _pieces(text: str, name_words: "set[str]") -> List[str]:
    """`mySecretKey2` -> my, secret, key, 2; run-together lower-case words are
    split where they start with a known word (`csrfmiddlewaretoken` ->
    csrfmiddleware, token; `supersecret` -> super, secret)."""
    vocabulary = set(ROLE_WORDS) | _QUALIFIERS | name_words
    pieces: List[str] = []
    for word in _WORD.findall(text):
        pieces.extend(_segment(word.lower(), vocabulary))
    return pieces


def _segment(word: str, vocabulary: "set[str]") -> List[str]:
    if word.isdigit() or word in vocabulary:
        return [word]
    out: List[str] = []
    unknown = ""
    i = 0
    while i < len(word):
        match = next((word[i:j] for j in range(len(word), i + 2, -1) if word[i:j] in vocabulary), None)
        if match is None:
            unknown += word[i]
            i += 1
            continue
        if unknown:
            out.append(unknown)
            unknown = ""
        out.append(match)
        i += len(match)
    if unknown:
        out.append(unknown)
    return out


#: Identifier shapes: a hex number (`0x3001001F`), an OID (`1.2.840.113549.1.9.7`),
#: a Windows GUID (`{8BE4DF61-...}` or upper case), a type or column type
#: (`varchar(64)`, `Optional[str]`, `CHAR(60)`), a rate limit (`5/m/user`).
_IDENTIFIER_SHAPES = (
    re.compile(r"^0[xX][0-9a-fA-F]+$"),
    re.compile(r"^\d+(?:\.\d+){3,}$"),
    re.compile(r"^\{?[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}?$"),
    re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*(?:\[[A-Za-z0-9_., \[\]]*\]|\(\d+(?:,\s*\d+)?\))$"),
    # a rate limit: `5/m/user`, `20/m/ip,5/m/key`, `10/hour`
    re.compile(r"^\d+/\d*[smhd][a-z]*(?:/[a-z]+)?(?:,\s*\d+/\d*[smhd][a-z]*(?:/[a-z]+)?)*$"),
)
#: Schema and column types: `{"password": "string"}` describes a field.
_TYPE_WORDS = frozenset(
    """
    string str text varchar char nvarchar uuid guid integer int bigint smallint number float double
    decimal boolean bool date datetime timestamp time json jsonb object array list dict blob binary
    bytea bytes email url uri any
    """.split()
)


def is_identifier_shape(text: str) -> bool:
    """A number, OID, GUID or type name: an identifier, not a secret."""
    return text.lower() in _TYPE_WORDS or any(shape.match(text) for shape in _IDENTIFIER_SHAPES)


def is_prose(text: str) -> bool:
    """Words of a language, not a made-up secret: letters and spaces only,
    capitalised or with letters beyond ASCII (`Heslo`, `Mot de passe`,
    `Clé API`, `Пароль`), never digits or symbols."""
    text = text.strip()
    words = text.split()
    if not words or not all(w.replace("-", "").replace("'", "").isalpha() for w in words):
        return False
    return not text.isascii() or " " in text or (text[:1].isupper() and text[1:].islower())


def is_foreign_word(text: str) -> bool:
    """A word of another language standing alone: capitalised (`Contraseña`,
    `Пароль`) or in a script without ASCII letters (`パスワード`); not a
    lower-case password that happens to carry an accent (`françois`)."""
    text = text.strip()
    if text.isascii() or not is_prose(text):
        return False
    return (text[:1].isupper() and text[1:] == text[1:].lower()) or not any(c.isascii() and c.isalpha() for c in text)


def is_catalog(values: Sequence[object]) -> bool:
    """A dict of labels or translations: three or more different string
    values, most of them prose (`{"Password": "Heslo", "Log in": "Přihlásit se", ...}`);
    not one phrase repeated (`{"PASSWORD": "super secret", "TOKEN": "super secret"}`)."""
    texts = [v for v in values if isinstance(v, str)]
    prose = {t for t in texts if is_prose(t)}
    return len(prose) >= 3 and sum(is_prose(t) for t in texts) * 2 > len(texts)


_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def value_shape(value: object) -> Optional[str]:
    """A value's outline: a GUID (`#`), then runs of digits and of letters
    (`ATTk589914` -> `a9`, `1.2.840.113556.1.4.90` -> `9.9.9.9.9.9.9`)."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str) or not value:
        return None
    text = _GUID.sub("#", value)
    return re.sub(r"[A-Za-z]+", "a", re.sub(r"\d+", "9", text))


def common_shape(values: Sequence[object]) -> Optional[str]:
    """The outline that four or more values and three in four of them share,
    when it holds digits: a table of attribute ids, OIDs or GUIDs
    (`{"unicodePwd": b"ATTk589914", "dBCSPwd": b"ATTk589879", ...}`), whose
    members are identifiers even under secret-like names."""
    shapes = [s for s in map(value_shape, values) if s is not None]
    if len(shapes) < 4:
        return None
    shape, count = Counter(shapes).most_common(1)[0]
    return shape if count * 4 >= len(shapes) * 3 and ("9" in shape or "#" in shape) else None


def is_reference(text: str) -> bool:
    """A setting, environment variable, header, URL, path, format string,
    dotted path or sentence: text that refers to a secret, not a secret."""
    if "://" in text or text.startswith(("/", "~/", "./", "../")) or re.match(r"^[A-Za-z]:\\", text):
        return True
    if " " not in text and text.lower().endswith(_FILE_SUFFIXES):
        return True
    if _FORMAT.search(text):
        return True
    if _ENV_NAME.match(text) or _HEADER.match(text) or _DOTTED.match(text):
        return True
    if _PASSWORD_HASH.match(text):
        return True
    if _NAMESPACED.match(text) and (text.count(":") >= 2 or re.search(r"[a-z][A-Z]", text)):
        return True
    words = text.split()
    if len(words) >= 4 or (len(words) >= 2 and (text.rstrip()[-1:] in ".:?!" or text.endswith(": "))):
        return True
    return False


def secret_value(named: SecretName, identifier: str, value: Text, fallback: bool = False) -> bool:
    """Whether `value`, bound to `identifier`, reads as a literal secret.

    `fallback`: the value is the default of a secret read from the
    environment, so only an exact echo of the name is taken for a name."""
    if set(named.words) & DUMMY_WORDS or is_public_material(value):
        return False
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if is_mask(text.strip()) or _PASSWORD_HASH.match(text.strip()):
        return False
    if looks_like_key_material(value):
        return True
    if not _plain_value_counts(named) or is_placeholder(text.strip()):
        return False
    if isinstance(value, bytes) and not all(32 <= b < 127 for b in value):
        return len(value) >= 4
    text = text.strip()
    setting = is_key_setting(identifier)
    if len(text) < 3 or is_identifier_shape(text):
        return False
    if text.lower() in _NOT_SECRET_VALUES and not (setting and text.lower() in ROLE_WORDS):
        return False
    if is_foreign_word(text):
        return False  # a translation: `"password": "Contraseña"`
    if named.role in ("otp", "pin"):
        return text.isdigit() and len(text) >= 4
    if named.role == "code" and sum(c.isdigit() for c in text) * 2 < len(text):
        return False  # `security_code="CVV2"`: a label; a one-time code is mostly digits
    if setting:
        # `SECRET_KEY = "secret key"` signs every session with that phrase;
        # `SECRET_KEY = "aws_secret_access_key"` names the field it is read from.
        named_field = bool(_FIELD_FORM.match(text)) and resembles_name(text, identifier)
        return not (is_reference(text) or named_field)
    if fallback:
        echo = re.sub(r"[^a-z0-9]", "", text.lower()) == re.sub(r"[^a-z0-9]", "", identifier.lower())
        return not echo and not is_reference(text)
    return not (resembles_name(text, identifier) or is_reference(text))


#: Framework settings whose value *is* the signing or encryption key (Django,
#: Flask, Flask-JWT, Tornado, Rails-style `secret_key_base`): whatever string
#: they hold is used as the key, even an echo of the setting's own name
#: (`SECRET_KEY = "secret-key"`); only a reference (`"${SECRET_KEY}"`) is not.
KEY_SETTINGS = frozenset(
    """
    secretkey jwtsecretkey jwtsecret secretkeybase sessionsecret cookiesecret wtfcsrfsecretkey
    signingkey appsecret appsecretkey flasksecretkey djangosecretkey
    """.split()
)


#: A field's name: snake_case or CamelCase (`aws_secret_access_key`, `AWSSecretKey`).
_FIELD_FORM = re.compile(r"^(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z]+[a-z0-9]+(?:[A-Z][a-z0-9]*)+)$")


def is_key_setting(identifier: str) -> bool:
    """`SECRET_KEY`, `app.secret_key`, `JWT_SECRET_KEY`, `cookie_secret`; not
    an API's CamelCase field (`"SecretKey"` in a response)."""
    last = identifier.rsplit(".", 1)[-1]
    if last not in (last.lower(), last.upper()):
        return False
    return re.sub(r"[^a-z0-9]", "", last.lower()) in KEY_SETTINGS


def _plain_value_counts(named: SecretName) -> bool:
    """Whether a value that does not look like key material (`"admin"`,
    `"dev"`) is a secret under this name: always for passwords and secrets;
    for keys and tokens only when the name says what they unlock
    (`secret_key`, `api_key`, `access_token`), not for `results_key`."""
    if named.weak or named.role in _NAME_ROLES or (len(named.words) == 1 and named.words[0] in _WEAK_WORDS):
        return False
    if named.role in ("key", "token", "code"):
        return bool(set(named.words[:-1]) & _SECRET_MODIFIERS)
    return True


def is_public_material(value: Text) -> bool:
    """A public key, certificate or SSH public key: not a secret."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    return any(marker in text for marker in _PUBLIC_MARKERS) or text.startswith(_PUBLIC_PREFIXES)
