"""`agentbudget init [PATH]`: set a repository up so that the right pull-request description is the easy one.

It writes a starting `.agentbudget.yml` (observe mode, with the schema line) and the schema next to it,
a pull-request template with the evidence sections, and instructions for coding agents in the files the
repository already gives them (`AGENTS.md`, `CLAUDE.md`, `.github/copilot-instructions.md`, Cursor's
`.cursor/rules/`), or in the ones picked with `--agents-file`; `AGENTS.md` when there are none.

It never overwrites. Markdown files get agentbudget's part between `<!-- agentbudget:begin -->` and
`<!-- agentbudget:end -->` (appended once, replaced in place afterwards). A change to a file the user
owns (an existing config, an older schema) is shown as a diff and applied only when confirmed: at the
prompt, or with `--yes`; on a non-interactive stdin without `--yes` nothing is changed. A second run
changes nothing and says so.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from app.init_text import AGENT_INSTRUCTIONS, CURSOR_RULE_HEADER, SCHEMA_FILE, config_text
from app.local import UsageError
from checks.evidence import SECTION_KEYS, headed_keys, template
from config.errors import ConfigError
from config.loader import CONFIG_PATHS, parse_config_text
from config.schema import schema_text

BEGIN, END = "<!-- agentbudget:begin -->", "<!-- agentbudget:end -->"
SCHEMA_LINE = "# yaml-language-server: $schema="
CURSOR_RULE = ".cursor/rules/agentbudget.mdc"
AGENT_FILES = ("AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md", CURSOR_RULE)
AGENT_ALIASES = dict(zip(("agents", "claude", "copilot", "cursor"), AGENT_FILES, strict=True))
# Where GitHub looks for a single pull-request template, in the order it is used here.
PR_TEMPLATES = (
    ".github/pull_request_template.md",
    "pull_request_template.md",
    "docs/pull_request_template.md",
)
EXIT_DONE, EXIT_PENDING, EXIT_USAGE = 0, 1, 2


class InitError(UsageError):
    """A path or argument init cannot work with; the message names it (exit code 2)."""


@dataclass(frozen=True)
class Change:
    path: str  # relative to the repository, `/`-separated
    old: str | None  # None: the file does not exist yet
    new: str
    confirm: bool = False  # rewrites text the user owns: shown as a diff, applied only when confirmed
    needs: str = ""  # a path whose change must be applied first (the config that points at the schema)

    @property
    def changed(self) -> bool:
        return self.old != self.new


def merge_section(old: str | None, section: str, head: str = "") -> str:
    """`old` with agentbudget's section between the markers: replaced in place, or appended once."""
    block = f"{BEGIN}\n{section.strip()}\n{END}\n"
    if old is None:
        return head + block
    crlf = "\r\n" in old
    text = old.replace("\r\n", "\n")
    if text.count(BEGIN) > 1 or text.count(END) > 1:
        raise InitError(f"more than one {BEGIN} … {END} section")
    start, end = text.find(BEGIN), text.find(END)
    if start >= 0 and end > start:
        rest = text[end + len(END) :]
        merged = text[:start] + block + rest.removeprefix("\n")
    elif start >= 0 or end >= 0:
        raise InitError(f"{BEGIN} and {END} do not enclose a section; fix or remove them")
    elif not text.strip():
        merged = head + block
    else:
        merged = text + ("" if text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n") + block
    return merged.replace("\n", "\r\n") if crlf else merged


def _outside_section(text: str) -> str:
    start, end = text.find(BEGIN), text.find(END)
    return text[:start] + text[end + len(END) :] if 0 <= start < end else text


def _find(root: Path, relative: str) -> str | None:
    """The existing path that matches `relative` with any letter case, as it is spelled on disk."""
    here, parts = root, []
    for name in relative.split("/"):
        exact = here / name
        if not exact.exists() and here.is_dir():
            exact = next((p for p in sorted(here.iterdir()) if p.name.lower() == name.lower()), exact)
        if not exact.exists():
            return None
        here = exact
        parts.append(exact.name)
    return "/".join(parts)


def _read(root: Path, relative: str) -> str | None:
    path = root / relative
    if not path.exists():
        return None
    if not path.is_file():
        raise InitError(f"{relative}: not a regular file")
    if not path.resolve().is_relative_to(root.resolve()):
        raise InitError(f"{relative}: links outside the repository; not touching it")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InitError(f"{relative}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _schema_target(text: str) -> str | None:
    for line in text.splitlines()[:20]:
        if line.strip().startswith(SCHEMA_LINE):
            return line.strip()[len(SCHEMA_LINE) :].strip()
    return None


def _config_changes(root: Path, notes: list[str]) -> list[Change]:
    path = next((found for p in CONFIG_PATHS if (found := _find(root, p))), CONFIG_PATHS[0])
    ref = Path(os.path.relpath(root / SCHEMA_FILE, (root / path).parent)).as_posix()
    old = _read(root, path)
    if old is None:
        new, confirm = config_text(ref), False
    else:
        try:
            parse_config_text(old, path)
        except ConfigError as exc:
            notes += [f"{path}: {problem}" for problem in exc.problems]
        target = _schema_target(old)
        new = old if target is not None else f"{SCHEMA_LINE}{ref}\n" + old
        confirm = True
    changes = [Change(path, old, new, confirm)]
    if _schema_target(new) == ref:
        old_schema = _read(root, SCHEMA_FILE)
        schema = Change(SCHEMA_FILE, old_schema, schema_text(), old_schema is not None, needs=path)
        changes.append(schema)
    return changes


def _pr_template_change(root: Path) -> Change:
    path = next((found for p in PR_TEMPLATES if (found := _find(root, p))), PR_TEMPLATES[0])
    old = _read(root, path)
    covered = headed_keys(_outside_section(old.replace("\r\n", "\n"))) if old is not None else frozenset()
    needed = [key for key in SECTION_KEYS if key not in covered]
    if not needed:
        return Change(path, old, old or "")
    return Change(path, old, merge_section(old, template(needed)))


def _agent_files(root: Path, picked: Sequence[str], notes: list[str]) -> list[str]:
    if picked:
        chosen = []
        for name in picked:
            target = AGENT_ALIASES.get(name.lower(), name.removeprefix("./"))
            if target not in AGENT_FILES:
                options = ", ".join((*AGENT_FILES, *AGENT_ALIASES))
                raise InitError(f"--agents-file {name}: expected one of {options}")
            chosen.append(_find(root, target) or target)
    else:
        chosen = [found for name in AGENT_FILES[:3] if (found := _find(root, name))]
        cursor = _find(root, ".cursor/rules") or _find(root, ".cursorrules")
        chosen += [_find(root, CURSOR_RULE) or CURSOR_RULE] if cursor else []
        notes.append(
            f"agent instructions: {', '.join(chosen)} (found in the repository)"
            if chosen
            else "agent instructions: AGENTS.md (no agent instructions found; pick others with --agents-file)"
        )
        chosen = chosen or ["AGENTS.md"]
    return _distinct(root, list(dict.fromkeys(chosen)), notes)


def _distinct(root: Path, chosen: list[str], notes: list[str]) -> list[str]:
    """One copy per agent: a symlinked file, or a CLAUDE.md that imports AGENTS.md, needs none of its own."""
    seen: dict[Path, str] = {}
    kept = []
    for name in chosen:
        real = (root / name).resolve()
        if real in seen:
            notes.append(f"{name}: the same file as {seen[real]}")
            continue
        try:
            text = _read(root, name) or ""
        except InitError as exc:
            notes.append(f"{exc}; left as it is")
            continue
        agents = next((other for other in chosen if other.lower() == "agents.md"), None)
        if agents and name.lower() == "claude.md" and f"@{agents}" in text.split():
            notes.append(f"{name}: imports {agents}, which gets the instructions")
            continue
        seen[real] = name
        kept.append(name)
    return kept


def plan(root: Path, agents_files: Sequence[str] = ()) -> tuple[list[Change], list[str]]:
    """What init would write under `root`, and notes for the user. Reads files, writes none."""
    if not root.is_dir():
        raise InitError(f"{root}: not a directory")
    notes: list[str] = []
    changes = [*_config_changes(root, notes), _pr_template_change(root)]
    for name in _agent_files(root, agents_files, notes):
        head = CURSOR_RULE_HEADER if name == CURSOR_RULE else ""
        try:
            old = _read(root, name)
            changes.append(Change(name, old, merge_section(old, AGENT_INSTRUCTIONS, head)))
        except InitError as exc:
            notes.append(f"{name}: {exc}; left as it is")
    return changes, notes


def _diff(change: Change) -> str:
    old = (change.old or "").splitlines(keepends=True)
    new = change.new.splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"a/{change.path}", f"b/{change.path}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _write(root: Path, change: Change) -> None:
    path = root / change.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(change.new.encode("utf-8"))


def _confirmed(change: Change, *, yes: bool, stdin: TextIO, out: TextIO) -> bool | None:
    """True to apply, False when declined, None when nobody can be asked."""
    out.write(_diff(change))
    if yes:
        return True
    if not stdin.isatty():
        return None
    out.write(f"Apply this change to {change.path}? [y/N] ")
    out.flush()
    return stdin.readline().strip().lower() in ("y", "yes")


def run_init(
    root: Path, *, yes: bool = False, agents_files: Sequence[str] = (), stdin: TextIO, out: TextIO
) -> int:
    """Apply the plan; 0 when everything is in place, 1 when a change awaits confirmation."""
    changes, notes = plan(root, agents_files)
    out.writelines(f"note: {note}\n" for note in notes)
    written = pending = 0
    held: set[str] = set()
    for change in changes:
        if not change.changed:
            out.write(f"unchanged  {change.path}\n")
            continue
        if change.needs in held:
            held.add(change.path)
            out.write(f"not changed {change.path} (waits for {change.needs})\n")
            continue
        verb = "created" if change.old is None else "updated"
        if change.confirm:
            answer = _confirmed(change, yes=yes, stdin=stdin, out=out)
            if not answer:
                pending += 1
                held.add(change.path)
                why = "declined" if answer is False else "not a terminal: run again with --yes to apply"
                out.write(f"not changed {change.path} ({why})\n")
                continue
        _write(root, change)
        written += 1
        out.write(f"{verb:<10} {change.path}\n")
    if not written and not pending:
        out.write(f"Nothing to change: {root} is already set up for agentbudget.\n")
    elif written:
        out.write("Commit these files on the default branch: the check reads them from the base branch.\n")
    return EXIT_PENDING if pending else EXIT_DONE
