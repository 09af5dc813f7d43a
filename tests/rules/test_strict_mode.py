"""The auditor's mode (`policy = "strict"`, `--strict`): the context-free
forms of CRY101, CRY206 and CRY102 are reported below the rules' own level,
and nothing changes without it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import replace
from typing import List, Tuple

from cryptolint.config import FileConfig, Overrides, merge
from cryptolint.diagnostic import Level
from cryptolint.engine import lint_source
from cryptolint.policy import POLICIES
from tests.helpers import ALL_ON, ROOT

SOURCE = textwrap.dedent(
    """
    import hashlib
    import random
    import uuid


    def deal(deck):
        random.shuffle(deck)
        return deck


    def etag(body):
        return hashlib.md5(body).hexdigest()


    def checksum(body):
        return hashlib.sha1(body, usedforsecurity=False).hexdigest()


    def new_session():
        session_token = str(uuid.uuid4())
        return session_token


    def reset_token():
        return "".join(random.choice("abcdef") for _ in range(32))
    """
)
STRICT = replace(ALL_ON, policy=POLICIES["strict"])


def _found(settings) -> List[Tuple[int, str, Level]]:
    return [(d.line, d.code, d.level) for d in lint_source(SOURCE, "app.py", settings)]


def test_default_reports_only_in_context():
    assert _found(ALL_ON) == [(26, "CRY101", Level.ERROR)]


def test_strict_adds_the_context_free_forms_at_a_lower_level():
    assert _found(STRICT) == [
        (8, "CRY101", Level.NOTE),
        (13, "CRY206", Level.NOTE),
        (21, "CRY102", Level.WARNING),
        (26, "CRY101", Level.ERROR),
    ]


def test_strict_findings_carry_no_fix():
    notes = [d for d in lint_source(SOURCE, "app.py", STRICT) if d.level is not Level.ERROR]
    assert notes and all(d.fix is None for d in notes if d.code != "CRY102")


def test_strict_flag_turns_on_the_auditors_mode_over_any_policy():
    policy = merge(FileConfig(policy="owasp-2021"), Overrides(strict=True)).settings.policy
    assert policy.name == "owasp-2021" and policy.strict and policy.uuid4_is_weak
    assert policy.bcrypt_rounds == POLICIES["owasp-2021"].bcrypt_rounds
    plain = merge(FileConfig(), Overrides()).settings.policy
    assert not plain.strict and not plain.uuid4_is_weak


def test_cli_strict_json_shows_the_level(tmp_path):
    (tmp_path / "app.py").write_text(SOURCE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cryptolint", "check", "--isolated", "--strict", "--format", "json", "app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 1, result.stderr
    levels = [(f["line"], f["code"], f["level"]) for f in json.loads(result.stdout)]
    assert levels == [(8, "CRY101", "note"), (13, "CRY206", "note"), (21, "CRY102", "warning"), (26, "CRY101", "error")]
