"""The base class every rule derives from."""

from __future__ import annotations

import ast
from typing import ClassVar, List, Optional, Tuple, Type

from cryptolint.context import Context
from cryptolint.diagnostic import Applicability, Diagnostic, Fix, Level, Span
from cryptolint.registry import CATEGORIES, Rule


class Check:
    """A rule: metadata as class attributes, detection in `visit`.

    The engine makes one instance per file, then calls `visit(node)` for every
    node whose type is in `NODES`, and `finish()` at the end.
    """

    CODE: ClassVar[str]
    NAME: ClassVar[str]
    CATEGORY: ClassVar[str]
    #: One line for the catalogue.
    SUMMARY: ClassVar[str]
    #: Default message; `report` may pass a more specific one.
    MESSAGE: ClassVar[str]
    NODES: ClassVar[Tuple[Type[ast.AST], ...]] = ()
    DEFAULT_ENABLED: ClassVar[bool] = True
    #: The fix's applicability when the rule offers one (None: no fix).
    FIX: ClassVar[Optional[Applicability]] = None
    #: Declared heuristic: may report on inference, not on certainty.
    HEURISTIC: ClassVar[bool] = False
    CWE: ClassVar[Tuple[int, ...]] = ()
    #: Lower-case words, one of which must occur in the source for the rule to
    #: possibly fire (the engine's pre-filter).  Empty: always run.
    TRIGGERS: ClassVar[Tuple[str, ...]] = ()
    #: Protocols whose specifications fix primitives this rule reports (`cryptolint.protocols`).
    PROTOCOLS: ClassVar[Tuple[str, ...]] = ()

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.diagnostics: List[Diagnostic] = []

    @classmethod
    def rule(cls) -> Rule:
        return Rule(
            code=cls.CODE,
            name=cls.NAME,
            category=cls.CATEGORY,
            summary=cls.SUMMARY,
            default_enabled=cls.DEFAULT_ENABLED,
            fix=cls.FIX,
            heuristic=cls.HEURISTIC,
            cwe=cls.CWE,
            protocols=cls.PROTOCOLS,
        )

    @classmethod
    def validate(cls) -> None:
        """Raise if the class's metadata is inconsistent (used by meta-tests)."""
        if not cls.CODE.startswith(CATEGORIES[cls.CATEGORY]):
            raise ValueError(f"{cls.__name__}: {cls.CODE} is not in family {cls.CATEGORY}")

    def visit(self, node: ast.AST) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after every node was visited."""

    def report(
        self, node: ast.AST, message: Optional[str] = None, fix: Optional[Fix] = None, level: Level = Level.ERROR
    ) -> None:
        self.report_span(self.ctx.span(node), message, fix, level)

    def report_span(
        self, span: Span, message: Optional[str] = None, fix: Optional[Fix] = None, level: Level = Level.ERROR
    ) -> None:
        self.diagnostics.append(
            Diagnostic(
                code=self.CODE, name=self.NAME, message=message or self.MESSAGE, span=span, fix=fix, level=level
            )
        )
