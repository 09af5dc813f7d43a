"""The base class every rule derives from: the plumbing, so a rule holds only judgement.

- **Dispatch**: a rule defines `visit_<Node>` methods (`visit_Call`,
  `visit_Compare`...); the node types it wants are derived from those names,
  and the engine calls each method with nodes of that type only.
- **Test code**: a rule declares `TEST_CODE`, what it does in test code; the
  engine (and its pre-filter) drops a rule that skips test code before the
  file is parsed.
- **Shared analyses**: `self.ctx.shared(Factory)` builds a family analysis
  (nonce sites, cipher sites) once per file for every rule that asks.
- **Display**: `self.ctx.spelled(node)` is a node's source on one line.
- **Fixes**: `FIX` declares the fix a rule offers; `self.fix(...)` makes one
  with that applicability.
"""

from __future__ import annotations

import ast
import enum
from typing import Callable, ClassVar, Dict, List, Optional, Sequence, Tuple, Type

from cryptolint.context import Context, TestCodeKind
from cryptolint.diagnostic import Applicability, Diagnostic, Edit, Fix, Import, Level, Span
from cryptolint.rule import CATEGORIES, Rule


class TestCode(enum.Enum):
    """What a rule does in test code (`tests/`, `test_*.py`, test harnesses)."""

    __test__ = False  # not a pytest test class

    #: Reported in all test code: what it finds matters wherever it is (an
    #: encrypted password, a deprecated crypto library).
    REPORT = "report"
    #: Reported in a test harness outside the test folders, a helper that
    #: ships with the package (an ECB cipher, `verify=False` there reach its
    #: users); skipped in test files (known-answer tests) and lab code.
    HELPERS = "helpers"
    #: Skipped in test code unless `all-rules-in-tests` is set: fixture
    #: passwords, fixed nonces of known-answer tests, fast work factors.
    SKIP = "skip"


#: The prefix of the methods the engine dispatches nodes to.
_VISIT = "visit_"


class Part:
    """A piece of detection shared by rules (in a `checks/_family.py` module):
    it visits what its rule hands it and reports as that rule."""

    def __init__(self, rule: "Check") -> None:
        self.rule = rule
        self.ctx = rule.ctx
        self.diagnostics: List[Diagnostic] = []

    def report(
        self, node: ast.AST, message: Optional[str] = None, fix: Optional[Fix] = None, level: Level = Level.ERROR
    ) -> None:
        rule = self.rule
        self.diagnostics.append(
            Diagnostic(
                code=rule.CODE, name=rule.NAME, message=message or rule.MESSAGE, span=self.ctx.span(node), fix=fix, level=level
            )
        )

    def finish(self) -> None:
        """Called once after every node was visited."""


class Check:
    """A rule: metadata as class attributes, detection in `visit_<Node>` methods.

    The engine makes one instance per file, then calls `visit_Call(node)` for
    every `ast.Call` (and so on for each `visit_<Node>` method the rule has),
    and `finish()` at the end.
    """

    CODE: ClassVar[str]
    NAME: ClassVar[str]
    CATEGORY: ClassVar[str]
    #: One line for the catalogue.
    SUMMARY: ClassVar[str]
    #: Default message; `report` may pass a more specific one.
    MESSAGE: ClassVar[str]
    #: The node types the rule visits, derived from its `visit_<Node>` methods.
    NODES: ClassVar[Tuple[Type[ast.AST], ...]] = ()
    #: Node type -> the name of the method that visits it (derived).
    HANDLERS: ClassVar[Dict[Type[ast.AST], str]] = {}
    DEFAULT_ENABLED: ClassVar[bool] = True
    #: The fix's applicability when the rule offers one (None: no fix).
    FIX: ClassVar[Optional[Applicability]] = None
    #: What the rule does in test code.
    TEST_CODE: ClassVar[TestCode] = TestCode.REPORT
    #: Declared heuristic: may report on inference, not on certainty.
    HEURISTIC: ClassVar[bool] = False
    CWE: ClassVar[Tuple[int, ...]] = ()
    #: Lower-case words, one of which must occur in the source for the rule to
    #: possibly fire (the engine's pre-filter).  Empty: always run.
    TRIGGERS: ClassVar[Tuple[str, ...]] = ()
    #: Protocols whose specifications fix primitives this rule reports (`cryptolint.protocols`).
    PROTOCOLS: ClassVar[Tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        for legacy in ("NODES", "visit"):
            if legacy in vars(cls):
                raise TypeError(f"{cls.__name__}: define `visit_<Node>` methods instead of `{legacy}`")
        handlers: Dict[Type[ast.AST], str] = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass):
                if not attr.startswith(_VISIT):
                    continue
                node_type = getattr(ast, attr[len(_VISIT) :], None)
                if not (isinstance(node_type, type) and issubclass(node_type, ast.AST)):
                    raise TypeError(f"{cls.__name__}.{attr}: `{attr[len(_VISIT):]}` is not an `ast` node type")
                handlers[node_type] = attr
        cls.HANDLERS = handlers
        cls.NODES = tuple(handlers)

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
        if not cls.HANDLERS:
            raise ValueError(f"{cls.__name__}: no `visit_<Node>` method")

    @classmethod
    def runs_on(cls, test_code: Optional[TestCodeKind], all_rules_in_tests: bool) -> bool:
        """Whether the rule runs on a file of that kind of test code (None:
        not test code), by its declared test-code policy."""
        if test_code is None or all_rules_in_tests or cls.TEST_CODE is TestCode.REPORT:
            return True
        return cls.TEST_CODE is TestCode.HELPERS and test_code is TestCodeKind.HARNESS

    def handlers(self) -> Dict[Type[ast.AST], Callable[[ast.AST], None]]:
        """Node type -> this instance's bound visit method."""
        return {node_type: getattr(self, name) for node_type, name in self.HANDLERS.items()}

    def finish(self) -> None:
        """Called once after every node was visited."""

    # ------------------------------------------------------------- fixes
    def fix(
        self,
        title: str,
        edits: Sequence[Edit],
        add_imports: Tuple[Import, ...] = (),
        remove_imports: Tuple[Import, ...] = (),
        applicability: Optional[Applicability] = None,
    ) -> Fix:
        """A fix of this rule: the declared `FIX` applicability unless told otherwise."""
        chosen = applicability or self.FIX
        if chosen is None:
            raise TypeError(f"{type(self).__name__} declares no FIX")
        return Fix(title, chosen, tuple(edits), add_imports=add_imports, remove_imports=remove_imports)

    # ------------------------------------------------------------ reporting
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
