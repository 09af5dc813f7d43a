"""Reading identifiers the way a reviewer does: which names mean secrets.

An identifier is split into words (`resetToken` and `RESET_TOKEN` both give
`reset token`).  Its *head*, the last meaningful word, decides what it names:
`api_key` is a key, `api_key_header` is a header, `max_tokens` is a count.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import FrozenSet, List, Optional, Sequence, Tuple

#: word -> role.  Roles: password, token, secret, key, nonce, iv, salt, otp,
#: pin, csrf, session, code, signature, mac, digest.
ROLE_WORDS = {
    "password": "password",
    "passwd": "password",
    "pwd": "password",
    "pw": "password",
    "passphrase": "password",
    "passcode": "password",
    "token": "token",
    "tokens": "token",
    "apikey": "key",
    "secret": "secret",
    "secrets": "secret",
    "credential": "secret",
    "credentials": "secret",
    "creds": "secret",
    "key": "key",
    "privkey": "key",
    "psk": "key",
    "nonce": "nonce",
    "cnonce": "nonce",
    "snonce": "nonce",
    "anonce": "nonce",
    "challenge": "nonce",
    "confounder": "nonce",
    "iv": "iv",
    "salt": "salt",
    "otp": "otp",
    "totp": "otp",
    "hotp": "otp",
    "pin": "pin",
    "csrf": "csrf",
    "xsrf": "csrf",
    "sessionid": "session",
    "signature": "signature",
    "sig": "signature",
    "mac": "mac",
    "hmac": "mac",
    "digest": "digest",
    "hexdigest": "digest",
}

#: Roles that are secret material (a nonce, IV or salt is not secret, but
#: must be unpredictable or unique; checks ask for those roles by name).
SECRET_ROLES: FrozenSet[str] = frozenset(
    {"password", "token", "secret", "key", "otp", "pin", "csrf", "session", "code"}
)
#: Roles whose values are outputs of a MAC/hash: secret-derived, compared in
#: constant time.
DIGEST_ROLES: FrozenSet[str] = frozenset({"signature", "mac", "digest"})

#: `<word>_code` that names a one-time secret code.
_SECRET_CODES = frozenset(
    {
        "reset", "verification", "verify", "confirmation", "confirm", "auth",
        "authorization", "activation", "otp", "mfa", "2fa", "twofa", "security",
        "recovery", "backup", "login", "invite", "invitation", "access",
    }
)

#: Head words that make the whole name describe *something about* a secret
#: (its field, header, length, type...), not the secret itself.
METADATA_HEADS = frozenset(
    """
    field fields name names count counts type types kind header headers env
    environ var vars variable length len size sizes bits bytes_len url urls uri path
    paths file filename files dir directory prefix suffix format fmt pattern
    patterns regex re label labels attr attrs attribute column columns col param
    params parameter func fn function callback index idx id ids policy class cls
    mode algorithm algorithms alg algo required enabled valid validity expiry
    expires expiration ttl timeout age lifetime created timestamp time version
    hint strength min max limit limits error errors message msg placeholder
    widget form input validator validators manager store storage cache provider
    providers backend backends handler handlers factory service client generator
    spec schema template location source endpoint request response status usage
    info meta metadata list set map dict mapping table description help prompt
    option options setting settings config conf flag flags mask box dialog view
    button sep separator char chars alphabet charset specs rule rules regexp
    counter cookie cookies key_name keyword arg args kwarg kwargs encoding parser
    reader writer loader serializer field_name lookup display sort order
    width height position offset start end begin stop range ranges id_ method
    methods scheme schemes hasher hashers cipher ciphers mgr util utils helper
    helpers module modules test tests mock fixture fixtures example examples
    sample samples stats stat metric metrics log logger exists present missing
    changed change reset_url page screen event events signal signals queue
    """.split()
)

#: Words in front of `key` that make it a lookup key, not a cryptographic one.
NON_SECRET_KEY_MODIFIERS = frozenset(
    """
    sort primary foreign cache dict lookup partition idempotency index hash
    range row column map group unique composite natural surrogate hot shortcut
    registry translation i18n config setting settings env environment attr
    field json yaml header query param cache storage redis s3 object bucket blob
    file path record entry item node table order ordering result resource
    metric message label name id public pub verify verifying verification
    dedup dedupe lock mutex shard routing route event job task cache_ memo
    memoize registry_ state context ctx tree heap kv data meta metadata dns
    ssh_public foreign_ mapping cursor pagination page next prev previous
    last first start end compound candidate api_version keyboard monkey stripe
    key_ rsa_public ec_public signing_public group_by groupby natural_ env_
    """.split()
)

#: Words in front of `token` that make it a protocol handle, not a secret:
#: pagination cursors (`next_token`) and idempotency tokens (`ClientToken`).
NON_SECRET_TOKEN_MODIFIERS = frozenset(
    "idempotency idempotent continuation pagination page next prev previous cursor".split()
)

#: Leading words that turn a name into a question or an action about a
#: secret: `is_password_valid`, `check_token`, `show_password`.
PREDICATE_PREFIXES = frozenset(
    """
    is has have should use uses require requires need needs allow allows enable
    enabled disable disabled check validate verify show hide remember save
    can must was were did does supports support include includes exclude
    count num number n len total strip parse print dump log format render
    handle on send set_ delete remove clear revoke invalidate max min not non
    shuffle shuffled sort sorted split tokenize filter filtered change
    """.split()
)

#: Words of a function that delivers a value to a person (`send_sms`,
#: `mail_user`, `notify`), and of a one-time code such a value may be.
DELIVERY_WORDS = frozenset("send sms mail email text notify deliver whatsapp push message".split())
CODE_WORDS = frozenset(
    "code codes otp totp hotp pin passcode digits verification verify confirmation activation token 2fa mfa".split()
)


def delivers(function_name: str) -> bool:
    """`send_sms`, `sendMail`, `notify_user`: a call that shows a value to a person."""
    return bool(set(split_words(function_name)) & DELIVERY_WORDS)


def mentions_code(text: str) -> bool:
    """`code`, `otp:{phone}`, `Your verification code is {}`: words of a one-time code."""
    return any(set(split_words(part)) & CODE_WORDS for part in re.split(r"[^A-Za-z0-9_]+", text))

#: Wrapper words that do not change what the head names: `token_bytes`,
#: `secret_value`, `password_str`.
TRANSPARENT_TAILS = frozenset(
    """
    value val str string bytes b64 base64 hex raw bin data plain plaintext
    text encoded decoded b s utf8 ascii bytestring obj pem der
    """.split()
)

#: Verbs that make a function a secret maker when its head is secret.
MAKER_VERBS = frozenset(
    "generate gen make create new random rand issue mint build get_random".split()
)

#: Role words that end a run-together compound (`authkey`, `dbpasswd`,
#: `resettoken`); `pass` only counts inside a compound (`rootpass`).
_COMPOUND_HEADS = frozenset(
    """
    password passwd passphrase passcode pass token tokens key secret secrets credential credentials
    creds nonce cnonce salt otp totp hotp csrf xsrf signature digest challenge
    """.split()
)
#: Words that may stand in front of a role word inside a compound.  A word
#: splits only when every piece is known, so `monkey`, `turkey`, `keyboard`,
#: `tokenizer`, `passthrough` and `hashable` stay whole.
_COMPOUND_MODIFIERS = frozenset(
    """
    auth api app secret private priv master signing sign enc encryption encrypt decryption decrypt
    access refresh reset verify verification confirm confirmation activation login admin root user
    db database client server shared host bot webhook session csrf xsrf otp totp hotp mfa jwt hmac
    aes fernet cipher oauth bearer account service remember old new current default my pub public
    site publishable initial temp tmp mail email smtp ftp ldap proxy wifi vnc ssh gpg pgp rsa dsa
    ecdsa kek dek hash cache sort lookup primary dict hot group row map sub
    """.split()
)
#: Tails a compound may carry after its role word (`keyvalue`, `tokenstr`,
#: `keylen`: the last makes it metadata, as for `key_len`).
_COMPOUND_TAILS = frozenset(w for w in TRANSPARENT_TAILS | METADATA_HEADS if len(w) >= 2 and "_" not in w)


@lru_cache(maxsize=8192)
def split_compound(word: str) -> Tuple[str, ...]:
    """`authkey` -> ("auth", "key"), `keyvalue` -> ("key", "value"),
    `resettoken` -> ("reset", "token"); a word that does not split wholly
    into known pieces around a role word stays whole (`monkey`, `keyboard`)."""
    if len(word) < 5 or word in ROLE_WORDS or not word.isalpha():
        return (word,)
    vocabulary = _COMPOUND_HEADS | _COMPOUND_MODIFIERS | _COMPOUND_TAILS
    best: List[Optional[Tuple[str, ...]]] = [()] + [None] * len(word)
    for end in range(2, len(word) + 1):
        for start in range(0, end - 1):
            before = best[start]
            piece = word[start:end]
            if before is not None and piece in vocabulary:
                candidate = before + (piece,)
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    pieces = best[len(word)]
    if pieces is None or len(pieces) < 2 or not any(p in _COMPOUND_HEADS for p in pieces):
        return (word,)
    return tuple("password" if p == "pass" else p for p in pieces)


def _expand(words: Tuple[str, ...]) -> Tuple[str, ...]:
    out: List[str] = []
    for word in words:
        out.extend(split_compound(word))
    return tuple(out)


_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@lru_cache(maxsize=8192)
def split_words(identifier: str) -> Tuple[str, ...]:
    """`resetToken2` -> ("reset", "token"); `API_KEY` -> ("api", "key")."""
    words = []
    for part in identifier.split("_"):
        for match in _CAMEL.findall(part):
            if not match.isdigit():
                words.append(match.lower())
    return tuple(words)


@dataclass(frozen=True)
class SecretName:
    """What a secret-like identifier names."""

    role: str
    words: Tuple[str, ...]

    @property
    def is_secret(self) -> bool:
        return self.role in SECRET_ROLES

    @property
    def is_password(self) -> bool:
        return self.role == "password"

    @property
    def weak(self) -> bool:
        """A bare generic word (`key`, `pin`, `sig`) that is often not a secret."""
        return len(self.words) == 1 and self.words[0] in ("key", "pin", "sig", "mac", "digest", "code")


@lru_cache(maxsize=8192)
def _classify(identifier: str, extra: FrozenSet[str], excluded: FrozenSet[str]) -> Optional[SecretName]:
    words = split_words(identifier)
    if not words:
        return None
    if identifier.lower() in excluded or any(w in excluded for w in words):
        return None
    if not any(w in extra for w in words):
        words = _expand(words)
    if words[0] in PREDICATE_PREFIXES and len(words) > 1:
        return None
    body = list(words)
    while len(body) > 1 and body[-1] in TRANSPARENT_TAILS:
        body.pop()
    head = body[-1]
    before = body[-2] if len(body) > 1 else None
    if head in extra:
        return SecretName("secret", words)
    if before == "session" and head in ("id", "key", "token"):
        return SecretName("session", words)
    if head in METADATA_HEADS:
        return None
    if head == "code":
        if before in _SECRET_CODES:
            return SecretName("code", words)
        return None
    if head == "hash" and before is not None and ROLE_WORDS.get(before) in SECRET_ROLES:
        return SecretName("digest", words)
    if head == "key":
        if before is not None and (before in NON_SECRET_KEY_MODIFIERS or before in METADATA_HEADS):
            return None
    if head in ("key", "keys", "token") and _is_public(body[:-1]):
        return None
    if head in ("token", "tokens") and (
        before in NON_SECRET_TOKEN_MODIFIERS or tuple(body[-3:-1]) == ("client", "request")
    ):
        return None
    role = ROLE_WORDS.get(head)
    if role is None:
        return None
    return SecretName(role, words)


#: Words that make a key public: a CAPTCHA site key, a publishable payment
#: key, a public key (unless the name also says it is secret).
PUBLIC_QUALIFIERS = frozenset({"public", "pub", "site", "publishable"})


def _is_public(qualifiers: Sequence[str]) -> bool:
    """`site_key`, `STRIPE_PUBLISHABLE_KEY`, `oauth_client_id_key`; not `site_secret_key`."""
    if any(w in ("secret", "private", "priv") for w in qualifiers):
        return False
    pairs = zip(qualifiers, qualifiers[1:])
    return any(w in PUBLIC_QUALIFIERS for w in qualifiers) or ("client", "id") in pairs


def classify(
    identifier: str,
    extra: FrozenSet[str] = frozenset(),
    excluded: FrozenSet[str] = frozenset(),
) -> Optional[SecretName]:
    """What `identifier` names, if it names something secret-like."""
    return _classify(identifier, extra, excluded)


def is_secret_maker(function_name: str, extra: FrozenSet[str] = frozenset()) -> Optional[SecretName]:
    """`generate_reset_token` and `new_api_key` make secrets; `get_token_count` does not."""
    words = split_words(function_name)
    if not words:
        return None
    joined = "_".join(words)
    has_verb = words[0] in MAKER_VERBS or joined.startswith("get_random")
    rest = words[1:] if words[0] in MAKER_VERBS else words
    if joined.startswith("get_random"):
        rest = words[2:]
    if not rest:
        return None
    if not has_verb and len(words) > 2:
        return None
    named = _classify("_".join(rest), extra, frozenset())
    if named is None or not (named.is_secret or named.role in ("nonce", "iv", "salt")):
        if has_verb and rest[-1] in ("string", "str", "bytes", "chars") and joined.startswith("get_random"):
            return None
        return None
    if not has_verb and named.weak:
        return None
    return named


def makes_non_secret(function_name: str) -> bool:
    """`make_boundary`, `generate_filename`: a maker verb whose product the
    name says is not a secret, so secret-like locals inside are scaffolding."""
    words = split_words(function_name)
    if len(words) < 2 or words[0] not in MAKER_VERBS:
        return False
    return is_secret_maker(function_name) is None and _classify("_".join(words[1:]), frozenset(), frozenset()) is None


# ------------------------------------------------------------------ paths
def parameter_defaults(arguments: ast.arguments) -> List[Tuple[ast.arg, ast.expr]]:
    """Each parameter that has a default, with it: a default is an assignment
    made once, when the function is defined."""
    positional = list(getattr(arguments, "posonlyargs", [])) + list(arguments.args)
    pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults))
    pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None]
    return pairs


def default_parameter(arguments: ast.arguments, default: ast.AST) -> Optional[ast.arg]:
    """The parameter whose default is `default` (`challenge` in
    `def f(dc, challenge=os.urandom(8))`)."""
    return next((param for param, value in parameter_defaults(arguments) if value is default), None)

def path_segments(expr: ast.AST) -> List[Optional[str]]:
    """The names along an attribute or subscript path, outermost first:
    `ticket["key"]["keyvalue"]` -> ticket, key, keyvalue; `self.session.token`
    -> self, session, token.  A segment that is not a name (`rows[0]`,
    `d[k]`) is None."""
    out: List[Optional[str]] = []
    node = expr
    while True:
        if isinstance(node, ast.Attribute):
            out.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            key = node.slice
            out.append(key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None)
            node = node.value
        else:
            if isinstance(node, ast.Name):
                out.append(node.id)
            return out[::-1]


def classify_path(
    segments: Sequence[Optional[str]],
    extra: FrozenSet[str] = frozenset(),
    excluded: FrozenSet[str] = frozenset(),
) -> Optional[SecretName]:
    """What a path names, read by every segment: the last named segment
    decides (`creds["token"][0]` is a token, `self.token.value` too), and a
    bare generic word takes its qualifier from the segment before it
    (`self.session.key` is a session key, `cache["key"]` and `row.key` are
    lookup keys, `keys.public.key` a public one)."""
    names = list(segments)
    while names and (names[-1] is None or names[-1].lower() in TRANSPARENT_TAILS):
        names.pop()
    if not names:
        return None
    last = names[-1]
    assert last is not None
    named = _classify(last, extra, excluded)
    previous = names[-2] if len(names) > 1 else None
    if named is None or not named.weak or previous is None or not previous.isidentifier():
        return named
    owner = split_words(previous)
    if owner and (owner[-1] in NON_SECRET_KEY_MODIFIERS or owner[-1] in METADATA_HEADS or _is_public(owner)):
        return None
    qualified = _classify(f"{previous}_{last}", extra, excluded)
    if qualified is not None and qualified.role != named.role:
        return qualified
    return named
