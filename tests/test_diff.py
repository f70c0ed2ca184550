from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.diff import DiffParseError, parse_unified_diff, summary_from_file_list, unquote_git_path
from checks.globs import glob_match


def git_diff(tmp_path: Path, before: dict[str, str], after: dict[str, str | None]) -> str:
    def run(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, text=True).stdout

    run("init", "-q", "-b", "main")
    run("config", "user.email", "t@example.com")
    run("config", "user.name", "t")
    for name, text in before.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    run("add", "-A")
    run("commit", "-qm", "base")
    for name, text in after.items():
        if text is None:
            (tmp_path / name).unlink()
        else:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text)
    run("add", "-A")
    run("commit", "-qm", "head")
    return run("diff", "-M", "HEAD~1", "HEAD")


def test_git_diff_statuses_and_counts(tmp_path: Path) -> None:
    text = git_diff(
        tmp_path,
        {"keep.py": "a\nb\nc\n", "gone.txt": "x\n", "old/name.py": "".join(f"line {i}\n" for i in range(20))},
        {
            "keep.py": "a\nB\nc\nd\n",
            "gone.txt": None,
            "new.md": "hello\n",
            "old/name.py": None,
            "new/name.py": "".join(f"line {i}\n" for i in range(20)),
        },
    )
    summary = parse_unified_diff(text)
    by_path = {f.path: f for f in summary.files}
    assert by_path["keep.py"].status == "modified"
    assert (by_path["keep.py"].additions, by_path["keep.py"].deletions) == (2, 1)
    assert by_path["gone.txt"].status == "removed" and by_path["gone.txt"].deletions == 1
    assert by_path["new.md"].status == "added" and by_path["new.md"].additions == 1
    assert by_path["new/name.py"].status == "renamed"
    assert by_path["new/name.py"].previous_path == "old/name.py"
    assert summary.changed_lines == 2 + 1 + 1 + 1
    assert summary.changed_files == 4


def test_ignored_files_are_kept_but_not_counted() -> None:
    text = (
        "diff --git a/package-lock.json b/package-lock.json\n"
        "--- a/package-lock.json\n+++ b/package-lock.json\n"
        "@@ -1 +1 @@\n-a\n+b\n"
        "diff --git a/src/x.py b/src/x.py\n--- a/src/x.py\n+++ b/src/x.py\n@@ -1 +1,2 @@\n a\n+b\n"
    )
    summary = parse_unified_diff(text).with_ignores(["package-lock.json", "vendor/**"])
    assert summary.changed_lines == 1 and summary.changed_files == 1
    assert [f.path for f in summary.ignored] == ["package-lock.json"]
    assert summary.ignored[0].ignored_by == "package-lock.json"


def test_file_list_fallback() -> None:
    summary = summary_from_file_list(
        [
            {
                "filename": "a.py",
                "status": "modified",
                "additions": 3,
                "deletions": 1,
                "changes": 4,
                "patch": "@@",
            },
            {
                "filename": "b.py",
                "status": "renamed",
                "previous_filename": "c.py",
                "additions": 0,
                "deletions": 0,
                "changes": 0,
            },
        ],
        truncated=True,
    )
    assert summary.source == "file_list" and summary.truncated
    assert summary.changed_lines == 4
    assert summary.files[1].previous_path == "c.py"


def test_empty_diff_is_empty_summary() -> None:
    assert parse_unified_diff("").files == ()


def test_garbage_is_a_clear_error() -> None:
    with pytest.raises(DiffParseError):
        parse_unified_diff("this is not a diff\nat all\n")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("+- @\n,0123456789abdifgt/\\.\t")), max_size=400))
def test_parser_never_raises_other_errors(text: str) -> None:
    try:
        summary = parse_unified_diff(text)
    except DiffParseError:
        return
    assert summary.changed_lines >= 0


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("package-lock.json", "package-lock.json", True),
        ("package-lock.json", "web/package-lock.json", True),
        ("vendor/**", "vendor/a/b.go", True),
        ("vendor/**", "src/vendor/a.go", False),
        ("**/vendor/**", "src/vendor/a.go", True),
        ("*.min.js", "static/app.min.js", True),
        ("*.min.js", "static/app.js", False),
        ("src/*.py", "src/a.py", True),
        ("src/*.py", "src/x/a.py", False),
        ("release/*", "release/1.2", True),
        ("main", "main", True),
        ("main", "maintenance", False),
        ("dist/", "dist/a/b.js", True),
        ("[!a]*.py", "b.py", True),
        ("[!a]*.py", "a.py", False),
    ],
)
def test_globs(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, path) is expected


# --- Finding 9: git's C-quoted paths are unquoted -----------------------------------------------------


def git_quote(name: str) -> str:
    """What git writes for `name` under core.quotePath (quote_c_style): bytes ≥ 0x80 and control characters
    as escapes, and the whole name in double quotes when anything needed escaping."""
    named = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 34: '"', 92: "\\"}
    out, quoted = [], False
    for byte in name.encode():
        if byte in named:
            out.append("\\" + named[byte])
            quoted = True
        elif byte < 0x20 or byte >= 0x7F:
            out.append(f"\\{byte:03o}")
            quoted = True
        else:
            out.append(chr(byte))
    return '"' + "".join(out) + '"' if quoted else "".join(out)


@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1))
def test_unquoting_undoes_gits_quoting(name: str) -> None:
    assert unquote_git_path(git_quote(name)) == name


@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters='\x00"\\/'), min_size=1))
def test_a_quoted_name_in_a_diff_reads_as_the_name(name: str) -> None:
    quoted_a, quoted_b = git_quote("a/" + name), git_quote("b/" + name)
    diff = f"diff --git {quoted_a} {quoted_b}\nnew file mode 100644\nindex 0000000..1111111\n"
    diff += f"--- /dev/null\n+++ {quoted_b}\n@@ -0,0 +1 @@\n+x\n"
    (change,) = parse_unified_diff(diff).files
    assert change.path == name


NAMES = ["ü.txt", "a\tb.py", 'a"q.py', "back\\slash.py", "a#b.py", "50%.py", "sp ace.py", "日本/語.go"]


def test_real_git_quoted_names_are_read_back(tmp_path: Path) -> None:
    text = git_diff(
        tmp_path,
        {"old name ü.py": "".join(f"line {i}\n" for i in range(20))},
        {
            **{name: "x\n" for name in NAMES},
            "old name ü.py": None,
            "nëw.py": "".join(f"line {i}\n" for i in range(20)),
        },
    )
    assert '"' in text  # git did quote some of them
    summary = parse_unified_diff(text)
    assert sorted(f.path for f in summary.files) == sorted([*NAMES, "nëw.py"])
    (renamed,) = [f for f in summary.files if f.status == "renamed"]
    assert renamed.previous_path == "old name ü.py"
    # An ignore glob sees the real name, not its quoted form.
    ignored = summary.with_ignores(["*.txt"]).ignored
    assert [f.path for f in ignored] == ["ü.txt"]
