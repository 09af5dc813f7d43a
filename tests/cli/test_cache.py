"""The cache of findings: exact round trip, keys, corruption, concurrency, the CLI flags."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import List, Tuple

import pytest

from cryptolint import cache as cache_module
from cryptolint.cache import Cache, CacheFormatError, dumps, loads, settings_key
from cryptolint.diagnostic import Applicability, Diagnostic, Edit, Fix, Import, Level, Span
from cryptolint.engine import lint_source
from cryptolint.settings import Settings
from tests.helpers import ALL_ON, FIXTURES_DIR, ONE_LINER, TOKENS, fixture_files, lines, project, run


def _everything(diagnostic: Diagnostic) -> Tuple[object, ...]:
    """All of a diagnostic, including the fields equality leaves out (fix, level)."""
    return (diagnostic, diagnostic.fix, diagnostic.level)


def _fixture_diagnostics() -> List[Diagnostic]:
    found: List[Diagnostic] = []
    for path in fixture_files() + sorted(FIXTURES_DIR.glob("fixes/*.py")):
        found.extend(lint_source(path.read_bytes(), str(path.relative_to(FIXTURES_DIR)), ALL_ON))
    return found


def test_every_fixture_diagnostic_round_trips_exactly():
    found = _fixture_diagnostics()
    assert sum(d.fix is not None for d in found) > 20  # fixes of many kinds are exercised
    assert [_everything(d) for d in loads(dumps(found))] == [_everything(d) for d in found]


def test_round_trip_of_every_field_shape():
    odd = Diagnostic(
        "CRY101", "insecure-random", "`ünïcode` {braces} \"quotes\" \\ and \x00 nul", Span(3, 0, 5, 12),
        Fix("Use `secrets`", Applicability.UNSAFE,
            (Edit(Span(3, 0, 3, 4), "f({0}, {{1}})", (Span(3, 2, 3, 3),)), Edit(Span(5, 0, 5, 12), "", ())),
            add_imports=(Import("secrets"), Import("os.path", "join")), remove_imports=(Import("random"),)),
        level=Level.NOTE,
    )
    plain = Diagnostic("CRY001", "syntax-error", "cannot parse", Span(1, 0, 1, 0))
    assert [_everything(d) for d in loads(dumps([odd, plain]))] == [_everything(odd), _everything(plain)]
    assert loads(dumps([])) == ()


@pytest.mark.parametrize(
    "entry",
    [
        b"", b"\xff\xfe", b"[]", b"{}", b"null", b'{"format": 1}', b'{"format": 999, "diagnostics": []}',
        b'{"format": 1, "diagnostics": [{"code": "CRY101"}]}',
        b'{"format": 1, "diagnostics": [1]}',
        # a field of the wrong type, an unknown enum value, an extra field
        dumps([Diagnostic("CRY101", "n", "m", Span(1, 0, 1, 1))]).replace(b'"line":1', b'"line":"1"'),
        dumps([Diagnostic("CRY101", "n", "m", Span(1, 0, 1, 1))]).replace(b'"error"', b'"fatal"'),
        dumps([Diagnostic("CRY101", "n", "m", Span(1, 0, 1, 1))]).replace(b'"code"', b'"extra":0,"code"'),
        dumps([Diagnostic("CRY101", "n", "m", Span(1, 0, 1, 1))])[:-7],  # truncated
    ],
)
def test_anything_but_an_exact_entry_is_rejected(entry: bytes):
    with pytest.raises(CacheFormatError):
        loads(entry)


def test_keys_change_with_content_path_settings_and_noqa(tmp_path: Path):
    base = Cache.open(tmp_path, Settings())
    key = base.key(b"x = 1\n", "/p/a.py", "a.py")
    assert key == Cache.open(tmp_path, Settings()).key(b"x = 1\n", "/p/a.py", "a.py")
    assert len({
        key,
        base.key(b"x = 2\n", "/p/a.py", "a.py"),
        base.key(b"x = 1\n", "/p/b.py", "a.py"),
        base.key(b"x = 1\n", "/p/a.py", "tests/a.py"),
        Cache.open(tmp_path, Settings(ignore=("CRY1",))).key(b"x = 1\n", "/p/a.py", "a.py"),
        Cache.open(tmp_path, Settings(), noqa=False).key(b"x = 1\n", "/p/a.py", "a.py"),
    }) == 6


def test_settings_key_does_not_depend_on_the_hash_seed():
    settings = replace(ALL_ON, secret_names=frozenset({"hush", "sesame", "vault", "opaque"}))
    code = (
        "from cryptolint.cache import settings_key; from tests.helpers import ALL_ON; from dataclasses import replace;"
        "print(settings_key(replace(ALL_ON, secret_names=frozenset({'hush', 'sesame', 'vault', 'opaque'}))))"
    )
    keys = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                             cwd=Path(__file__).resolve().parents[2], check=True)
        keys.add(out.stdout.strip())
    assert keys == {settings_key(settings)}


def test_the_code_fingerprint_covers_the_version(monkeypatch: pytest.MonkeyPatch):
    before = cache_module.code_fingerprint()
    cache_module.code_fingerprint.cache_clear()
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    try:
        assert cache_module.code_fingerprint() != before
    finally:
        cache_module.code_fingerprint.cache_clear()


def test_get_put_and_corrupted_entries(tmp_path: Path):
    cache = Cache.open(tmp_path / "c", ALL_ON)
    found = tuple(lint_source(ONE_LINER, "app.py", ALL_ON))
    key = cache.key(ONE_LINER.encode(), "/x/app.py", "app.py")
    assert cache.get(key) is None
    cache.put(key, found)
    assert [_everything(d) for d in cache.get(key) or ()] == [_everything(d) for d in found]
    entry = Path(cache._entry(key))
    entry.write_bytes(entry.read_bytes()[:10])  # a torn write, a disk error
    assert cache.get(key) is None
    cache.put(key, found)  # written again
    assert cache.get(key) is not None
    root = tmp_path / "c"
    assert (root / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (root / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert not [p for p in root.rglob("*.tmp")]


def test_an_unwritable_cache_is_skipped(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = Cache.open(blocker / "cache", ALL_ON)
    cache.put("ab" * 20, ())  # must not raise
    assert cache.get("ab" * 20) is None


# ------------------------------------------------------------------ CLI
def _entries(root: Path) -> List[Path]:
    return sorted(root.rglob("*.json"))


def test_warm_run_reports_exactly_what_the_cold_run_did(tmp_path: Path):
    root = project(tmp_path, {"app/tokens.py": TOKENS, "app/one.py": ONE_LINER, "app/ok.py": "x = 1\n",
                              "app/broken.py": "import random\ndef f(:\n"})
    cold = run("check", "-j", "1", cwd=root)
    assert len(_entries(root / ".cryptolint_cache")) == 4
    for args in (["-j", "1"], ["-j", "2"], ["--format", "json"]):
        warm = run("check", *args, cwd=root)
        reference = run("check", "--no-cache", *args, cwd=root)
        assert (warm.stdout, warm.stderr, warm.returncode) == (reference.stdout, reference.stderr, reference.returncode)
    assert cold.stdout == run("check", "-j", "1", cwd=root).stdout


def test_a_changed_file_is_checked_again(tmp_path: Path):
    root = project(tmp_path, {"app.py": "import random\n"})
    assert run("check", "-q", cwd=root).returncode == 0
    (root / "app.py").write_text(ONE_LINER)
    again = run("check", "-q", cwd=root)
    assert [line.split(":")[0] for line in lines(again)] == ["app.py"] and again.returncode == 1


def test_a_configuration_change_is_a_miss(tmp_path: Path):
    root = project(tmp_path, {"app.py": ONE_LINER})
    assert run("check", "-q", cwd=root).returncode == 1
    (root / "pyproject.toml").write_text('[tool.cryptolint]\nignore = ["CRY101"]\n')
    assert run("check", "-q", cwd=root).returncode == 0


def test_no_cache_writes_nothing_and_cache_dir_moves_it(tmp_path: Path):
    root = project(tmp_path, {"app.py": ONE_LINER})
    run("check", "--no-cache", cwd=root)
    assert not (root / ".cryptolint_cache").exists()
    run("check", "--cache-dir", "elsewhere/c", cwd=root)
    assert not (root / ".cryptolint_cache").exists() and len(_entries(root / "elsewhere" / "c")) == 1


def test_corrupted_entries_are_ignored_by_the_cli(tmp_path: Path):
    root = project(tmp_path, {"app.py": ONE_LINER, "ok.py": "import random\n"})
    reference = run("check", "--no-cache", cwd=root)
    run("check", cwd=root)
    for entry in _entries(root / ".cryptolint_cache"):
        entry.write_bytes(b'{"format": 1, "diagnostics": [')
    assert run("check", cwd=root).stdout == reference.stdout
    for entry in _entries(root / ".cryptolint_cache"):  # rewritten
        assert json.loads(entry.read_bytes())["format"] == cache_module.FORMAT


def test_concurrent_runs_share_one_cache(tmp_path: Path):
    files = {f"pkg/m{i:02d}.py": ONE_LINER if i % 3 else "import random\n" for i in range(30)}
    root = project(tmp_path, files)
    reference = run("check", "--no-cache", cwd=root).stdout
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    runs = [
        subprocess.Popen([sys.executable, "-m", "cryptolint", "check", "-j", "2"], cwd=root, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120) for process in runs]
    assert [out for out, _ in outputs] == [reference] * 4
    assert [err for _, err in outputs] == [""] * 4
    assert len(_entries(root / ".cryptolint_cache")) == 30
    assert run("check", cwd=root).stdout == reference


def test_fix_uses_the_cache_and_leaves_it_consistent(tmp_path: Path):
    root = project(tmp_path, {"app.py": ONE_LINER, "ok.py": "import random\n"})
    run("check", cwd=root)  # prime
    fixed = run("check", "--fix", cwd=root)
    assert fixed.returncode == 0 and "secrets.choice" in (root / "app.py").read_text()
    assert run("check", cwd=root).returncode == 0
