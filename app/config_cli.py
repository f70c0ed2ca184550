"""`agentbudget config validate [FILE]`, `config schema` and `config defaults`: the command line around
the config core, which reads no files itself."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from config.defaults import render_defaults
from config.errors import ConfigError
from config.loader import CONFIG_PATHS, parse_config_text
from config.schema import schema_text
from config.source import EXTENDS_KEY, read_source

EXIT_VALID = 0
EXIT_PROBLEMS = 2


def run_validate(path: str | None, out: TextIO) -> int:
    """Print each problem as `file:line: key.path: message (fix: ...)`; 0 when valid, 2 otherwise."""
    candidates = (path,) if path else CONFIG_PATHS
    found = next((Path(candidate) for candidate in candidates if Path(candidate).is_file()), None)
    if found is None:
        where = path or " or ".join(CONFIG_PATHS)
        out.write(f"{where}: no such file (without one, the shipped defaults apply)\n")
        return EXIT_PROBLEMS
    file = str(path or found)
    try:
        text = found.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        out.write(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start}) (fix: save it as UTF-8)\n")
        return EXIT_PROBLEMS
    try:
        parse_config_text(text, file)
    except ConfigError as exc:
        out.writelines(f"{problem}\n" for problem in exc.problems)
        return EXIT_PROBLEMS
    extends = read_source(text, file).extends
    note = f" (`{EXTENDS_KEY}: {extends}` is checked when the app loads it)" if extends else ""
    out.write(f"{file}: valid{note}\n")
    return EXIT_VALID


def run_schema(out: TextIO) -> int:
    out.write(schema_text())
    return EXIT_VALID


def run_defaults(out: TextIO) -> int:
    """The shipped `.agentbudget.yml`: every key with its default and description."""
    out.write(render_defaults())
    return EXIT_VALID
