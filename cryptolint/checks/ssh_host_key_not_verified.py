"""CRY708: an SSH client that accepts any server's host key."""

from __future__ import annotations

import ast

from cryptolint.analysis import apis
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._checking_optout import user_choice

_RISK = "so whoever answers for that host (a hostile network, a spoofed DNS answer) is trusted with the login and the session"


class SshHostKeyNotVerified(Check):
    CODE = "CRY708"
    NAME = "ssh-host-key-not-verified"
    CATEGORY = "key-management"
    SUMMARY = (
        "An SSH client accepts a server's host key unseen: paramiko's `AutoAddPolicy`/`WarningPolicy`, asyncssh's "
        "`known_hosts=None`, pysftp's `cnopts.hostkeys = None`, `StrictHostKeyChecking=no`, or `ssh-keyscan` output trusted as `known_hosts`."
    )
    MESSAGE = f"An SSH client accepts any server's host key, {_RISK}; load the known host keys and reject unknown ones"
    #: A host-key opt-out in a test helper that ships is its users' too.
    TEST_CODE = TestCode.HELPERS
    CWE = (322, 295)
    TRIGGERS = ("paramiko", "asyncssh", "pysftp", "stricthostkeychecking", "userknownhostsfile", "ssh-keyscan")

    def visit_Call(self, call: ast.Call) -> None:
        if isinstance(call.func, ast.Attribute) and call.func.attr in apis.SSH_POLICY_METHODS and call.args:
            policy = call.args[0]
            target = policy.func if isinstance(policy, ast.Call) else policy
            what = apis.SSH_UNCHECKED_HOST_KEY_POLICIES.get(self.ctx.resolve(target) or "")
            if what is not None and not user_choice(self.ctx, call):
                self.report(
                    policy,
                    f"`{self.ctx.shown(target)}` {what}, {_RISK}; "
                    "call `load_system_host_keys()` and keep `RejectPolicy`, adding new hosts' keys out of band",
                )
            return
        name = self.ctx.module.call_name_through_with(call)
        api = apis.SSH_KNOWN_HOSTS_APIS.get(name) if name else None
        if api is None:
            return
        known = apis.argument_or_keyword(call, api, "known_hosts")
        const = self.ctx.values.constant(known) if known is not None else None
        if known is not None and const is not None and const.value is None and not user_choice(self.ctx, call):
            self.report(
                known,
                f"`known_hosts=None` makes `{self.ctx.shown(call.func, name)}` accept any server's host key, {_RISK}; "
                "leave the default (`~/.ssh/known_hosts`) or name a known-hosts file",
            )

    def visit_Assign(self, node: ast.Assign) -> None:
        """pysftp's `cnopts.hostkeys = None`."""
        const = self.ctx.values.constant(node.value)
        if const is None or const.value is not None or user_choice(self.ctx, node):
            return
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr == "hostkeys" and self.ctx.resolve(target.value) in apis.SSH_HOSTKEYS_OWNERS:
                self.report(
                    node.value,
                    f"`{self.ctx.shown(target)} = None` makes pysftp accept any server's host key, {_RISK}; "
                    "leave the default (`~/.ssh/known_hosts`) or load the host's key into `hostkeys`",
                )

    def visit_Constant(self, node: ast.Constant) -> None:
        if not isinstance(node.value, str) or isinstance(self.ctx.module.parent(node), (ast.Expr, ast.Compare)):
            return
        flat = "".join(node.value.split()).lower()
        option = next((o for o in sorted(apis.SSH_UNCHECKED_OPTIONS) if o in flat or o.replace("=", "") in flat), None)
        if option is not None and not user_choice(self.ctx, node):
            self.report(node, f"`{_shown(node.value, option)}` makes `ssh` accept any server's host key, {_RISK}; keep host-key checking on and ship the host's key in `known_hosts`")
        elif node.value.lstrip().startswith(apis.SSH_KEYSCAN) and self._writes_known_hosts(node):
            self.report(
                node,
                f"`{apis.SSH_KEYSCAN}` output written to `known_hosts` trusts whatever key the network returns on first use, {_RISK}; "
                "compare the key with a fingerprint obtained out of band before trusting it",
            )

    def _writes_known_hosts(self, node: ast.Constant) -> bool:
        function: ast.AST = self.ctx.module.enclosing_function(node) or self.ctx.module.tree
        for sub in ast.walk(function):
            text = sub.value if isinstance(sub, ast.Constant) and isinstance(sub.value, str) else sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else None
            if text is not None and "known_hosts" in text.lower():
                return True
        return False


def _shown(text: str, option: str) -> str:
    """The option as written in `text` (the whole string when short)."""
    return text if len(text) <= 40 else option
