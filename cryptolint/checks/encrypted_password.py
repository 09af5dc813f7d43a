"""CRY205: a user's password encrypted (reversibly) instead of hashed."""

from __future__ import annotations

import ast
from typing import Iterator, List, Optional, Set, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.names import TRANSPARENT_TAILS, split_words
from cryptolint.checks._base import Check
from cryptolint.context import Context
from cryptolint.checks._password_values import display_name, leaves, password_role

#: The only words that may stand before `password` in a name that this rule
#: takes for the password of one of the application's users.  Any other word
#: (`db_password`, `smtp_password`, `proxy_password`) names a credential for
#: another system, which the application must be able to read back.
USER_PASSWORD_WORDS = frozenset(
    """
    user users new raw plain plaintext clear cleartext login customer member
    current old confirm confirmed my your input entered submitted given
    initial temp temporary first second signup register registration
    chosen desired candidate the
    """.split()
)
#: Words that, anywhere around the value (the enclosing function or class,
#: the object it is read from, the variable it came from), say it is a
#: credential for something else: a database, a mail server, an API.
EXTERNAL_CREDENTIAL_WORDS = frozenset(
    """
    db database sql mysql postgres postgresql pg psql redis mongo mongodb
    oracle mssql sqlite rabbit rabbitmq amqp kafka broker smtp mail email
    imap pop ftp sftp ssh ldap ad kerberos proxy vpn wifi wlan router
    service services api remote external upstream third integration
    integrations connection connections conn dsn datasource server host
    credential credentials creds secret secrets vault keyring keychain
    wallet config configuration conf settings cfg env environ environment
    bot webhook git repo registry docker cloud aws azure gcp s3 bucket
    device camera printer jira slack twilio stripe
    """.split()
)

#: Words that, among a module's own functions, classes and imports, say that
#: it keeps passwords for other sites or systems: a password manager, a
#: credential vault, a mail or network client.
VAULT_WORDS = frozenset(
    """
    site sites website websites vault vaults credential credentials creds
    keyring keychain wallet broker brokers ssid wifi smtp imap ftp sftp ldap
    proxy proxies entry entries
    """.split()
)

#: Parameter and local variable words that say the password belongs to
#: another system (`def connect(host, port, user, password)`); not `db` or
#: `url`, which user-registration code has too.
LOCAL_VAULT_WORDS = VAULT_WORDS | frozenset({"host", "hostname", "server", "port", "service", "ssh"})


class EncryptedPassword(Check):
    CODE = "CRY205"
    NAME = "encrypted-password"
    CATEGORY = "passwords-and-hashing"
    SUMMARY = "A user's password is encrypted (reversibly) instead of hashed with a password hash."
    MESSAGE = "A password is encrypted, so anyone with the key can read it; hash it with `cryptolint.safe.hash_password`"
    CWE = (257,)
    TRIGGERS = ("crypto", "nacl")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._module_vocabulary: Optional[Set[str]] = None

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        api = apis.ENCRYPT_APIS.get(name) if name else None
        if api is None:
            return
        data = apis.argument(node, api, "data")
        if data is None:
            return
        password = self._user_password(data)
        if password is None:
            return
        callee = self.ctx.spelled(node.func)
        if len(callee) > 40:
            callee = name.replace("()", "").rsplit(".", 2)[-2] + "." + name.rsplit(".", 1)[-1]  # type: ignore[union-attr]
        message = (
            f"`{callee}` encrypts the password `{display_name(self.ctx, password)}`, so whoever holds the key can "
            "read it; store a password hash instead (`cryptolint.safe.hash_password`, Argon2id)"
        )
        self.report(node, message)

    def _user_password(self, data: ast.expr) -> Optional[ast.AST]:
        """The piece of `data` that is the password of an application user."""
        if self._external_context(data):
            return None
        for leaf in leaves(self.ctx, data):
            role = password_role(self.ctx, leaf)
            if role is None or self._typed_at_prompt(leaf):
                continue
            if not _user_words(role.words):
                continue
            if any(w in EXTERNAL_CREDENTIAL_WORDS for w in self._origin_words(leaf)):
                continue
            return leaf
        return None

    def _typed_at_prompt(self, leaf: ast.AST) -> bool:
        """Read with `getpass.getpass()`: a command-line tool asking for a
        credential it will use later, not the app's user database."""
        for expr in _unwrap(leaf):
            if isinstance(expr, ast.Name):
                value = self.ctx.module.single_value(expr.id, self.ctx.module.scope_of(expr))
                if isinstance(value, ast.Call) and self.ctx.call_name(value) in apis.PASSWORD_SOURCES:
                    return True
            if isinstance(expr, ast.Call) and self.ctx.call_name(expr) in apis.PASSWORD_SOURCES:
                return True
        return False

    def _external_context(self, node: ast.AST) -> bool:
        """The code around `node` is about another system's credentials or a
        password vault: the enclosing functions and classes, their parameters
        and local variables (`save_connection`, `site_name`), or the module's
        own functions, classes and imports (`add_site`, `Credential`)."""
        if self._external_code(node, callers=True):
            return True
        return bool(self._module_words() & VAULT_WORDS)

    def _external_code(self, node: ast.AST, callers: bool) -> bool:
        """The functions and classes around `node`, or (one level up) the
        callers of its function in this module, are about other systems."""
        words: Set[str] = set()
        local: Set[str] = set()
        function: Optional[ast.AST] = None
        for ancestor in self.ctx.module.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                words.update(split_words(ancestor.name))
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                function = function or ancestor
                scope = self.ctx.module.scopes.get(ancestor)
                if scope is not None:
                    for name in scope.bindings:
                        local.update(split_words(name))
        if words & (EXTERNAL_CREDENTIAL_WORDS | VAULT_WORDS) or local & LOCAL_VAULT_WORDS:
            return True
        if not callers or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        return any(self._external_code(call, callers=False) for call in self._calls_to(function.name))

    def _calls_to(self, function_name: str) -> List[ast.Call]:
        """Calls in this module of a function or method by that name."""
        found = []
        for call in self.ctx.module.nodes_of(ast.Call):
            func = call.func
            ident = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if ident == function_name:
                found.append(call)
        return found

    def _module_words(self) -> Set[str]:
        if self._module_vocabulary is None:
            vocabulary: Set[str] = set()
            for name, bindings in self.ctx.module.module_scope.bindings.items():
                if any(b.kind in ("def", "class", "import", "other") for b in bindings):
                    vocabulary.update(split_words(name))
            self._module_vocabulary = vocabulary
        return self._module_vocabulary

    def _origin_words(self, leaf: ast.AST) -> List[str]:
        """Words of where the value is read from: `self.smtp.password` gives
        `smtp`, `cfg["db"]["password"]` gives `db` and `cfg`, and a variable
        gives the words of what it was assigned (`os.environ["DB_PASSWORD"]`)."""
        words: List[str] = []
        for expr in _unwrap(leaf):
            if isinstance(expr, ast.Name):
                value = self.ctx.module.single_value(expr.id, self.ctx.module.scope_of(expr))
                if value is not None:
                    words.extend(self._origin_words(value) if value is not leaf else [])
                    words.extend(_all_words(value))
            else:
                words.extend(_all_words(expr))
        name = None
        for expr in _unwrap(leaf):
            if isinstance(expr, ast.Call):
                name = self.ctx.call_name(expr)
        if name in ("os.getenv", "os.environ.get"):
            words.append("env")
        return words


def _user_words(words: Tuple[str, ...]) -> bool:
    """Only user-password words before the head (`new_password`, not `db_password`)."""
    body = [w for w in words if w not in TRANSPARENT_TAILS]
    modifiers = body[:-1]
    return all(w in USER_PASSWORD_WORDS for w in modifiers)


def _unwrap(expr: ast.AST) -> Iterator[ast.AST]:
    """`expr` and what it is read from, through `.encode()` and calls."""
    current: Optional[ast.AST] = expr
    while current is not None:
        yield current
        if isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
            current = current.func.value
        elif isinstance(current, ast.Call) and current.args:
            current = current.args[0]
        else:
            current = None


def _all_words(expr: ast.AST) -> List[str]:
    """Identifier words of every name, attribute and string key in `expr`,
    except the last (which names the password itself)."""
    words: List[str] = []
    node = expr
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    elif isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            words.extend(split_words(sub.id))
        elif isinstance(sub, ast.Attribute):
            words.extend(split_words(sub.attr))
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and len(sub.value) < 40:
            words.extend(split_words(sub.value))
    if isinstance(expr, ast.Call) and expr.args:
        first = expr.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            words.extend(split_words(first.value)[:-1])
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, str):
        words.extend(split_words(expr.slice.value)[:-1])
    return words
