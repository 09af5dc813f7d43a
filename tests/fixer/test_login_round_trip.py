"""The README's example project keeps working after `--fix --unsafe-fixes`:
a password hashed, stored and verified again, before and after the fix."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import FIXTURES_DIR

EXAMPLE = FIXTURES_DIR / "projects" / "example"

ROUND_TRIP = """
import json, sys
sys.path.insert(0, sys.argv[1])
from accounts.passwords import check_password, hash_password
stored = hash_password("correct horse")
print(json.dumps({
    "stored": stored,
    "right": check_password("correct horse", stored),
    "wrong": check_password("wrong horse", stored),
    "old_right": check_password("correct horse", sys.argv[2]),
    "old_wrong": check_password("wrong horse", sys.argv[2]),
}))
"""


def round_trip(project: Path) -> dict:
    # A hash stored before the fix (unsalted SHA-256 hex) must still verify after it.
    old = hashlib.sha256(b"correct horse").hexdigest()
    done = subprocess.run(
        [sys.executable, "-c", ROUND_TRIP, str(project), old], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout)


def test_login_round_trip_before_and_after_unsafe_fixes(tmp_path: Path) -> None:
    project = tmp_path / "example"
    shutil.copytree(EXAMPLE, project)
    before = round_trip(project)
    assert (before["right"], before["wrong"], before["old_right"], before["old_wrong"]) == (True, False, True, False)

    subprocess.run([sys.executable, "-m", "cryptolint", "check", "--fix", "--unsafe-fixes", "-q", "."], cwd=project,
                   capture_output=True, timeout=120)
    fixed = (project / "accounts" / "passwords.py").read_text()
    assert "safe.verify_password(password, stored_hash)" in fixed

    after = round_trip(project)
    assert after["stored"].startswith("$argon2id$")
    assert (after["right"], after["wrong"], after["old_right"], after["old_wrong"]) == (True, False, True, False)
