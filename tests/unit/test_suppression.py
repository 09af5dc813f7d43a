"""`# noqa` and per-file-ignores.  `# noqa` is compared with flake8's own code:
for every line and code of each sample, cryptolint's decision must equal the
one flake8's FileProcessor + Violation make."""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import pytest
from flake8.processor import FileProcessor
from flake8.violation import Violation

from cryptolint.diagnostic import Diagnostic, Span
from cryptolint.settings import Settings
from cryptolint.suppression import Noqa, NoqaMap, SuppressionFilter, per_file_ignored, source_lines

FLAKE8_OPTIONS = argparse.Namespace(
    hang_closing=False, indent_size=4, max_line_length=79, max_doc_length=None,
    verbose=0, stdin_display_name="stdin", disable_noqa=False,
)
CODES = ("CRY101", "CRY102", "CRY201", "CRY001")

SAMPLES = {
    "variants": """\
a = f()  # noqa
b = f()  # NOQA
c = f()  # NoQa: CRY101
d = f()  # noqa:CRY101,CRY2
e = f()  # noqa: CRY201 CRY102
g = f()  # noqa: CRY1
h = f()  # noqa : CRY201
i = f()  # noqa: CRY
j = f()  #noqa
k = f()  # noqa: cry101
m = f()  # noqa:CRY101 because the value is public
n = f()  # ticket 7 # noqa: CRY2
o = f()  # noqa: CRY201,,CRY101
p = f()  # noqa:
q = f()
""",
    "continuations": """\
x = f(1) + \\
    f(2)  # noqa: CRY101
y = f(\"\"\"one
two\"\"\")  # noqa
z = [
    f(3),  # noqa: CRY1
    f(4),
]
w = 1; v = f(5)  # noqa: CRY201
def g():  # noqa: CRY102
    '''doc
    string'''  # noqa: CRY201
    return f(6)
# noqa
""",
    "comments_only": """\
# a comment # noqa
x = 1
   # noqa: CRY101
""",
    "crlf": "a = f()  # noqa\r\nb = f()\r\nc = (1 +\r\n  2)  # noqa: CRY101\r\n",
    "file_level": "x = f()\n  # flake8: noqa\n",
}


def flake8_ignores(lines, line: int, code: str, filename: str = "sample.py") -> bool:
    processor = FileProcessor(filename, FLAKE8_OPTIONS, lines=list(lines))
    if processor.should_ignore_file():
        return True
    violation = Violation(code, filename, line, 1, "message", processor.noqa_line_for(line))
    return violation.is_inline_ignored(False)


def diagnostic(line: int, code: str = "CRY101") -> Diagnostic:
    return Diagnostic(code, "name", "message", Span(line, 0, line, 1))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_noqa_decisions_equal_flake8s(name):
    lines = source_lines(SAMPLES[name])
    keep = SuppressionFilter(lines, "sample.py", Settings())
    mismatches = []
    for line, code in itertools.product(range(1, len(lines) + 1), CODES):
        ours = not keep.keep(diagnostic(line, code))
        theirs = flake8_ignores(lines, line, code)
        if ours != theirs:
            mismatches.append((line, code, ours, theirs))
    assert mismatches == []


def test_noqa_variants_exactly():
    lines = source_lines(SAMPLES["variants"])
    noqa = NoqaMap(lines)
    suppressed = {
        line for line in range(1, len(lines) + 1) if noqa.suppresses(diagnostic(line, "CRY101"))
    }
    # e: other codes; j: `#noqa` has no space; k: codes are case-sensitive; n: CRY2 only; q: none.
    assert suppressed == {1, 2, 3, 4, 6, 7, 8, 11, 13, 14}
    assert noqa.directive_for(4) == Noqa(4, 9, ("CRY101", "CRY2"), len("# noqa:CRY101,CRY2"))
    assert noqa.directive_for(7) == Noqa(7, 9, None, len("# noqa"))  # `# noqa : X` is blanket, as in flake8
    assert noqa.directive_for(12) == Noqa(12, 20, ("CRY2",), len("# noqa: CRY2"))


def test_multi_line_strings_and_backslashes_share_a_noqa():
    noqa = NoqaMap(source_lines(SAMPLES["continuations"]))
    assert [noqa.suppresses(diagnostic(n)) for n in range(1, 6)] == [True, True, True, True, False]
    # inside brackets every physical line stands alone (as in flake8)
    assert noqa.suppresses(diagnostic(6)) and not noqa.suppresses(diagnostic(7))
    # a docstring's noqa covers its lines but not the `def` line
    assert [noqa.suppresses(diagnostic(n, "CRY201")) for n in (10, 11, 12, 13)] == [False, True, True, False]


def test_noqa_inside_a_string_is_not_a_comment():
    lines = source_lines('token = f("# noqa")\n')
    assert SuppressionFilter(lines, "x.py", Settings()).keep(diagnostic(1))


@pytest.mark.parametrize("comment", ["# flake8: noqa", "# cryptolint: noqa", "# FLAKE8=NOQA", "# flake8: noqa: CRY101"])
def test_file_level_exemption(comment):
    lines = source_lines(f"import random\n{comment}\nx = f()\n")
    assert NoqaMap(lines).file_exempt
    assert not SuppressionFilter(lines, "x.py", Settings()).keep(diagnostic(3))


def test_file_level_comment_after_code_does_not_exempt():
    assert not NoqaMap(source_lines("x = f()  # flake8: noqa\n")).file_exempt


def test_untokenizable_source_falls_back_to_the_physical_line(tmp_path):
    text = "x = f(  # noqa: CRY101\ny = f()\n"
    noqa = NoqaMap(source_lines(text))
    assert not noqa.tokenized
    assert noqa.suppresses(diagnostic(1)) and not noqa.suppresses(diagnostic(2))
    path = tmp_path / "broken.py"
    path.write_text(text)
    assert flake8_ignores(source_lines(text), 1, "CRY101", str(path))


def test_bytes_with_cookie_and_bom_are_decoded():
    latin = "# -*- coding: latin-1 -*-\nname = 'caf\xe9'  # noqa\n".encode("latin-1")
    assert not SuppressionFilter.for_source(latin, "x.py", Settings()).keep(diagnostic(2))
    bom = b"\xef\xbb\xbfx = f()  # noqa\n"
    assert not SuppressionFilter.for_source(bom, "x.py", Settings()).keep(diagnostic(1))
    assert SuppressionFilter.for_source(b"\xff\xfe\x00", "x.py", Settings()).keep(diagnostic(1))


def test_form_feed_does_not_shift_lines():
    lines = source_lines("a = 1\n\x0c\nb = f()  # noqa\n")
    assert len(lines) == 3
    assert not SuppressionFilter(lines, "x.py", Settings()).keep(diagnostic(3))


def test_disabled_noqa_keeps_everything():
    lines = source_lines("x = f()  # noqa\n")
    assert SuppressionFilter(lines, "x.py", Settings(), noqa=False).keep(diagnostic(1))


# ----------------------------------------------------------- per-file
def test_per_file_ignores_by_anchored_glob_and_by_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path.resolve().as_posix()
    settings = Settings(per_file_ignores=(
        (f"{root}/tests/*", ("CRY3",)),
        (f"{root}/**/conftest.py", ("CRY101", "CRY2")),
    ))
    assert per_file_ignored("tests/unit/test_a.py", settings) == ("CRY3",)
    assert per_file_ignored("src/pkg/conftest.py", settings) == ("CRY101", "CRY2")
    assert per_file_ignored(str(tmp_path / "src" / "app.py"), settings) == ()
    keep = SuppressionFilter([], "src/conftest.py", settings)
    assert not keep.keep(diagnostic(1, "CRY101"))
    assert not keep.keep(diagnostic(1, "CRY201"))
    assert keep.keep(diagnostic(1, "CRY102"))


def test_relative_patterns_in_settings_are_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings(per_file_ignores=(("legacy/*", ("ALL",)), ("*_pb2.py", ("CRY1",))))
    assert not SuppressionFilter([], "legacy/old.py", settings).keep(diagnostic(1, "CRY302"))
    assert not SuppressionFilter([], str(Path("gen") / "api_pb2.py"), settings).keep(diagnostic(1))
    assert SuppressionFilter([], "src/legacy.py", settings).keep(diagnostic(1))


def test_comment_line_is_where_a_new_noqa_covers_the_line():
    text = 'token = \\\n    f()\ns = """a\nb"""\nt = g(\n    1,\n)\n'
    noqa = NoqaMap(source_lines(text))
    assert [noqa.comment_line(n) for n in range(1, 8)] == [2, 2, 4, 4, 5, 6, 7]


def test_comment_line_of_untokenizable_source_is_the_physical_line():
    noqa = NoqaMap(source_lines("token = \\\n    f(\n"))
    assert [noqa.comment_line(n) for n in (1, 2)] == [1, 2]
    assert not noqa.tokenized
