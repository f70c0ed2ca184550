"""Diff summaries: the one place that parses unified diffs.

Input is either a unified diff (GitHub's `application/vnd.github.diff`, or `git diff`) or GitHub's
list-files answer (used when the diff is too large to be served). Output is plain frozen data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from unidiff.errors import UnidiffParseError
from unidiff.patch import PatchSet

from checks.globs import first_match


class DiffParseError(ValueError):
    """The text is not a unified diff we can read."""


@dataclass(frozen=True)
class FileChange:
    path: str
    status: str  # added | modified | removed | renamed
    additions: int
    deletions: int
    previous_path: str | None = None
    binary: bool = False
    patch: str | None = None
    ignored_by: str | None = None  # the ignore pattern that excluded this file from the counts

    @property
    def changed_lines(self) -> int:
        return self.additions + self.deletions


@dataclass(frozen=True)
class DiffSummary:
    files: tuple[FileChange, ...]
    source: str = "diff"  # "diff" (full patch) | "file_list" (GitHub's list-files fallback)
    truncated: bool = False  # the file list hit GitHub's cap; counts are a lower bound

    @property
    def counted(self) -> tuple[FileChange, ...]:
        return tuple(f for f in self.files if f.ignored_by is None)

    @property
    def ignored(self) -> tuple[FileChange, ...]:
        return tuple(f for f in self.files if f.ignored_by is not None)

    @property
    def additions(self) -> int:
        return sum(f.additions for f in self.counted)

    @property
    def deletions(self) -> int:
        return sum(f.deletions for f in self.counted)

    @property
    def changed_lines(self) -> int:
        return self.additions + self.deletions

    @property
    def changed_files(self) -> int:
        return len(self.counted)

    def with_ignores(self, patterns: Iterable[str]) -> DiffSummary:
        """Mark files matching any of `patterns` as ignored (kept, reported, not counted)."""
        pats = tuple(patterns)
        return replace(
            self,
            files=tuple(replace(f, ignored_by=first_match(pats, f.path)) for f in self.files),
        )


def _status(patched: Any) -> str:
    if patched.is_added_file:
        return "added"
    if patched.is_removed_file:
        return "removed"
    if patched.is_rename:
        return "renamed"
    return "modified"


_C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def unquote_git_path(path: str) -> str:
    """A path as git wrote it, C-quoted (`"\\303\\274.txt"`, `"a\\tb.py"`) when it holds non-ASCII bytes,
    control characters, quotes or backslashes (core.quotePath), back to the name itself."""
    if len(path) < 2 or path[0] != '"' or path[-1] != '"':
        return path
    out = bytearray()
    body, i = path[1:-1], 0
    while i < len(body):
        char = body[i]
        if char != "\\" or i + 1 == len(body):
            out += char.encode("utf-8", "surrogateescape")
            i += 1
        elif body[i + 1] in _C_ESCAPES:
            out.append(_C_ESCAPES[body[i + 1]])
            i += 2
        elif len(body[i + 1 : i + 4]) == 3 and all(c in "01234567" for c in body[i + 1 : i + 4]):
            out.append(int(body[i + 1 : i + 4], 8) & 0xFF)
            i += 4
        else:  # an escape git never writes: kept as it stands
            out += b"\\"
            i += 1
    return out.decode("utf-8", "replace")


def _strip_prefix(path: str | None) -> str | None:
    if path is None or path == "/dev/null":
        return None
    path = unquote_git_path(path)
    return path[2:] if path[:2] in ("a/", "b/") else path


def parse_unified_diff(text: str, *, keep_patches: bool = True) -> DiffSummary:
    if not text.strip():
        return DiffSummary(files=())
    try:
        patch_set = PatchSet(text)
    except UnidiffParseError as exc:
        raise DiffParseError(f"not a unified diff: {exc}") from exc
    if not patch_set and "diff --git" not in text and "\n+++ " not in text:
        raise DiffParseError("not a unified diff: no file headers found")
    files = []
    for patched in patch_set:
        status = _status(patched)
        previous = _strip_prefix(patched.source_file) if status == "renamed" else None
        files.append(
            FileChange(
                path=unquote_git_path(patched.path),
                status=status,
                additions=patched.added,
                deletions=patched.removed,
                previous_path=previous,
                binary=bool(getattr(patched, "is_binary_file", False)),
                patch=str(patched) if keep_patches else None,
            )
        )
    return DiffSummary(files=tuple(files), source="diff")


_STATUS_FROM_GITHUB = {
    "added": "added",
    "removed": "removed",
    "modified": "modified",
    "renamed": "renamed",
    "copied": "added",
    "changed": "modified",
    "unchanged": "modified",
}


def summary_from_file_list(entries: Iterable[Mapping[str, Any]], *, truncated: bool = False) -> DiffSummary:
    """Build a summary from GitHub's `GET /repos/{o}/{r}/pulls/{n}/files` entries."""
    files = tuple(
        FileChange(
            path=str(entry["filename"]),
            status=_STATUS_FROM_GITHUB.get(str(entry.get("status", "modified")), "modified"),
            additions=int(entry.get("additions", 0)),
            deletions=int(entry.get("deletions", 0)),
            previous_path=entry.get("previous_filename"),
            binary="patch" not in entry and int(entry.get("changes", 0)) == 0,
            patch=entry.get("patch"),
        )
        for entry in entries
    )
    return DiffSummary(files=files, source="file_list", truncated=truncated)
