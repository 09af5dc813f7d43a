"""CRY704's fixes turn checking back on: a program that builds unverified
TLS contexts is fixed, run in a subprocess, and every context it builds then
requires a certificate for the right host name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cryptolint.fixer import fix_source
from tests.helpers import ALL_ON

PROGRAM = '''\
import ssl
from ssl import CERT_NONE, _create_unverified_context


def unverified():
    return ssl._create_unverified_context()


def unverified_imported():
    return _create_unverified_context()


def client():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = CERT_NONE
    return context


ssl._create_default_https_context = ssl._create_unverified_context

if __name__ == "__main__":
    contexts = [unverified(), unverified_imported(), client(), ssl._create_default_https_context()]
    for context in contexts:
        assert context.verify_mode == ssl.CERT_REQUIRED, context.verify_mode
        assert context.check_hostname is True
    print("verified", len(contexts))
'''


def test_fixed_contexts_check_certificates_and_host_names(tmp_path: Path) -> None:
    result = fix_source(PROGRAM.encode(), "contexts.py", ALL_ON, unsafe=True)
    assert result.error is None
    assert not [d for d in result.remaining if d.code == "CRY704"]
    script = tmp_path / "contexts.py"
    script.write_bytes(result.fixed)
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "verified 4"


def test_the_program_fails_before_the_fix(tmp_path: Path) -> None:
    script = tmp_path / "contexts.py"
    script.write_text(PROGRAM)
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "AssertionError" in run.stderr
