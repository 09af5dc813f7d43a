"""CRY706: a private key written to a file without encryption."""

from __future__ import annotations

import ast
from typing import Optional

from cryptolint.analysis import apis
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._library_refs import find

_MAX_DEPTH = 3
_EXPOSED = "so anyone who reads the file or a copy of it holds the key"
#: What to pass instead, by library.
_SAFER = {
    "cryptography": "use `BestAvailableEncryption(passphrase)`, the passphrase kept elsewhere",
    "PyCryptodome": 'pass a `passphrase` (with `pkcs=8, protection="scryptAndAES256-CBC"`) kept elsewhere',
    "pyOpenSSL": "pass a `cipher` and a `passphrase` kept elsewhere",
    "paramiko": "pass a `password` kept elsewhere",
}


class UnencryptedPrivateKey(Check):
    CODE = "CRY706"
    NAME = "unencrypted-private-key"
    CATEGORY = "key-management"
    SUMMARY = "A private key is serialized without encryption (`NoEncryption()`, no passphrase) and written to a file."
    MESSAGE = f"A private key is written to a file without encryption, {_EXPOSED}; encrypt it with a passphrase kept elsewhere"
    TEST_CODE = TestCode.SKIP
    CWE = (312, 522)
    TRIGGERS = ("private_bytes", "export_key", "exportkey", "dump_privatekey", "write_private_key")

    def visit_Call(self, node: ast.Call) -> None:
        api = self._api(node)
        if api is None:
            return
        protection = apis.argument_or_keyword(node, api, "protection")
        keyword = api.params["protection"].keyword
        if protection is None and any(k.arg is None for k in node.keywords):
            return  # `**options` may hold the passphrase
        if not self._unprotected(api, protection):
            return
        writes = api.facts.get("writes")
        if writes == "file":
            target = apis.argument(node, api, "target")
            if target is None or self._file(target) != "file":
                return
        elif writes is None and not self._written(node, 0):
            return
        shown = self.ctx.shown(node.func, self.ctx.call_name(node))
        how = f"with `{self.ctx.shown(protection)}`" if protection is not None else f"with no `{keyword}`"
        verb = "writes a private key to a file" if writes is not None else "serializes a private key for a file"
        message = f"`{shown}` {verb} {how}, {_EXPOSED}; {_SAFER[self._library(api)]}"
        self.report(protection if protection is not None else node.func, message)

    def _api(self, call: ast.Call) -> Optional[apis.Api]:
        name = self.ctx.module.call_name_through_with(call)
        api = apis.PRIVATE_KEY_EXPORTS.get(name) if name else None
        if api is not None:
            return api
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        api = apis.PRIVATE_KEY_EXPORTS.get(func.attr)
        if api is None or not api.facts.get("by_method"):
            return None
        library = api.facts.get("library")
        if library is not None and name is not None and not name.startswith(f"{library}."):
            return None  # a method of the same name on something else
        return api

    @staticmethod
    def _library(api: apis.Api) -> str:
        if api.facts.get("library"):
            return str(api.facts["library"])
        if api.facts.get("unprotected"):
            return "cryptography"
        return "pyOpenSSL" if api.name.startswith("OpenSSL.") else "PyCryptodome"

    def _unprotected(self, api: apis.Api, protection: Optional[ast.expr]) -> bool:
        marker = api.facts.get("unprotected")
        if marker is not None:
            ref = find(self.ctx, protection)
            return ref is not None and ref.call is not None and ref.qualname == marker
        if protection is None:
            return True
        const = self.ctx.values.constant(protection)
        return const is not None and const.value is None

    # ------------------------------------------------------------- writes
    def _written(self, expr: ast.AST, depth: int) -> bool:
        """`expr`'s value reaches a write to a (non-temporary) file in this function."""
        if depth > _MAX_DEPTH:
            return False
        top = self.ctx.flows.carrier_top(expr)
        parent = self.ctx.module.parent(top)
        if isinstance(parent, ast.Call) and top in parent.args:
            return self._write_call(parent, top)
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and getattr(parent, "value", None) is top:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            for target in targets:
                if isinstance(target, ast.Name) and any(self._written(use, depth + 1) for use in self.ctx.flows.uses(target)):
                    return True
        return False

    def _write_call(self, call: ast.Call, data: ast.AST) -> bool:
        name = self.ctx.call_name(call)
        if name in apis.FD_WRITERS:
            return len(call.args) > 1 and call.args[1] is data and self._descriptor(call.args[0]) == "file"
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in apis.FILE_WRITE_METHODS or call.args[0] is not data:
            return False
        if func.attr in ("write_bytes", "write_text"):
            return name is None or name.startswith("pathlib.")
        return self._file(func.value) == "file"

    def _file(self, expr: ast.AST, depth: int = 0) -> Optional[str]:
        """"file" for a file opened for writing, "temporary" for a temporary
        one (owner-only and removed after use), None when not known."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Call):
            name = self.ctx.call_name(expr)
            if name in apis.TEMPORARY_FILES:
                return "temporary"
            if name == "os.fdopen" and expr.args:
                return self._descriptor(expr.args[0])
            if name in apis.FILE_OPENERS:
                return "file"
            return None
        if isinstance(expr, ast.Name):
            value = self._opened_around(expr) or self._bound(expr)
            return self._file(value, depth + 1) if value is not None else None
        return None

    def _opened_around(self, name: ast.Name) -> Optional[ast.AST]:
        """`with open(path, "wb") as f: f.write(...)`: what the innermost
        `with` around the use binds the name to."""
        for ancestor in self.ctx.module.ancestors(name):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                return None
            if isinstance(ancestor, (ast.With, ast.AsyncWith)):
                for item in ancestor.items:
                    if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name.id:
                        return item.context_expr
        return None

    def _descriptor(self, expr: ast.AST) -> Optional[str]:
        """What a file descriptor comes from: `tempfile.mkstemp()` or `os.open(...)`."""
        value: Optional[ast.AST] = expr
        if isinstance(expr, ast.Name):
            value = self._bound(expr)
            if value is None:
                value = self._unpacked_from(expr)
        if isinstance(value, ast.Call):
            name = self.ctx.call_name(value)
            if name in apis.TEMPORARY_FILES:
                return "temporary"
            if name == "os.open":
                return "file"
        return None

    def _bound(self, name: ast.Name) -> Optional[ast.AST]:
        """The value a name is bound to once, by assignment or `with ... as name`."""
        _, bindings = self.ctx.module.lookup(name.id, self.ctx.module.scope_of(name))
        if len(bindings) != 1:
            return None
        binding = bindings[0]
        if binding.kind == "assign":
            return binding.value
        if binding.kind == "with":
            for item in getattr(binding.node, "items", []):
                if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name.id:
                    return item.context_expr  # type: ignore[no-any-return]
        return None

    def _unpacked_from(self, name: ast.Name) -> Optional[ast.AST]:
        """`fd, path = tempfile.mkstemp()`: the call a tuple target unpacks."""
        _, bindings = self.ctx.module.lookup(name.id, self.ctx.module.scope_of(name))
        if len(bindings) == 1 and bindings[0].kind == "unpack" and isinstance(bindings[0].node, ast.Assign):
            return bindings[0].node.value
        return None
