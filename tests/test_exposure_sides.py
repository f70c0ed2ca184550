"""Reversing a file's patch on its head text gives the merge-base text (the base is never fetched)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.exposure.sides import PatchMismatch, blob_ids, reverse_patch

line = st.sampled_from(["a\n", "b\n", "c\n", "\n", "route('/x')\n", "  @app.get('/y')\n", "-- x\n", "++\n"])
text = st.lists(line, max_size=40).map("".join)
tail = st.sampled_from(["", "end", "\r"])


def git_diff(tmp_path: Path, before: str | None, after: str | None, context: int = 3) -> str:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    args = ["git", "diff", "--no-index", f"-U{context}", "--no-color"]
    for path, content in ((a, before), (b, after)):
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(content.encode())
    left = str(a) if before is not None else "/dev/null"
    right = str(b) if after is not None else "/dev/null"
    done = subprocess.run([*args, left, right], capture_output=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout.decode()


@settings(max_examples=60, deadline=None)
@given(before=text, after=text, end_a=tail, end_b=tail, context=st.integers(0, 4))
def test_reversing_a_git_patch_restores_the_base(
    tmp_path_factory: pytest.TempPathFactory, before: str, after: str, end_a: str, end_b: str, context: int
) -> None:
    tmp = tmp_path_factory.mktemp("sides")
    before, after = before + end_a, after + end_b
    patch = git_diff(tmp, before, after, context)
    assert reverse_patch(after, patch) == before


def test_a_deleted_file_comes_back_from_its_patch_alone(tmp_path: Path) -> None:
    before = "from fastapi import APIRouter\nrouter = APIRouter()\n@router.get('/internal/x')\n"
    patch = git_diff(tmp_path, before, None)
    assert reverse_patch(None, patch) == before


def test_a_github_file_list_patch_without_headers_reverses() -> None:
    head = "one\ntwo\nTHREE\nfour\n"
    patch = "@@ -1,4 +1,4 @@\n one\n two\n-three\n+THREE\n four"
    assert reverse_patch(head, patch) == "one\ntwo\nthree\nfour\n"


def test_a_patch_of_another_revision_is_refused() -> None:
    patch = "@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n"
    with pytest.raises(PatchMismatch):
        reverse_patch("one\nsomething else\n", patch)


def test_a_truncated_patch_is_refused() -> None:
    with pytest.raises(PatchMismatch):
        reverse_patch("one\nTWO\nthree\n", "@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n")


def test_form_feeds_and_unicode_separators_are_not_line_breaks(tmp_path: Path) -> None:
    before = "a\x0cb\nc\u2028d\nplain\n"
    after = "a\x0cb\nc\u2028d\nchanged\n"
    assert reverse_patch(after, git_diff(tmp_path, before, after)) == before


def test_blob_ids_are_read_from_the_index_line(tmp_path: Path) -> None:
    patch = git_diff(tmp_path, "x\n", "y\n")
    ids = blob_ids(patch)
    assert ids is not None and ids[0] != ids[1] and len(ids[0]) >= 7
    assert blob_ids("@@ -1 +1 @@\n-x\n+y\n") is None
