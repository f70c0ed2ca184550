"""What a pull request that edits the configuration is told: the base branch's config is the one enforced,
and what the edit would change once merged (or why, as written, it is invalid)."""

from __future__ import annotations

from dataclasses import dataclass

from checks import escape as safe
from config.changes import describe_changes
from config.errors import ConfigError
from config.loader import parse_config_text
from config.model import Config


@dataclass(frozen=True)
class ConfigEdit:
    """The config file a pull request edits, as its head holds it."""

    path: str
    text: str | None = None  # None: the head has no such file to read
    problem: str = ""  # why the head's file could not be read ("key: message"), when it could not


def edit_notes(edit: ConfigEdit | None, base: Config) -> tuple[str, ...]:
    if edit is None:
        return ()
    note = (
        f"This PR edits `{edit.path}`. The configuration on the base branch is enforced; "
        "the edit takes effect after merge."
    )
    problem = edit.problem
    head: Config | None = None
    if not problem and edit.text is not None:
        try:
            head = parse_config_text(edit.text, edit.path)
        except ConfigError as exc:
            problem = first_problem(exc)
    if problem:
        return (note + f" As written it is invalid: {safe.line(problem)}.",)
    if head is None:
        return (note,)
    # The head's text is the PR author's: escaped, so it cannot pose as our gate table or open a tag.
    changes = [safe.line(change) for change in describe_changes(base, head)]
    if changes:
        note += " It would change: " + "; ".join(changes[:10]) + ("; …" if len(changes) > 10 else "") + "."
    return (note,)


def first_problem(exc: ConfigError) -> str:
    first = exc.problems[0]
    return f"{first.key_path}: {first.message}"
