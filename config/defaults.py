"""The shipped `config/default.agentbudget.yml`, rendered from the model: its comments are the field
descriptions, so the file, the schema and `Config()` cannot drift apart.

`agentbudget config defaults > config/default.agentbudget.yml` regenerates it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from config.model import Config

DEFAULT_FILE = Path(__file__).with_name("default.agentbudget.yml")
SCHEMA_FILE = Path(__file__).with_name("schema.json")
WIDTH = 110
HEADER = """\
# yaml-language-server: $schema=./schema.json
#
# agentbudget configuration: the shipped defaults. Generated from config/model.py by
# `agentbudget config defaults`; edit the model's descriptions, not this file.
#
# Your repository's `.agentbudget.yml` (or `.github/agentbudget.yml`) needs only the keys you change. It is
# merged over your organization's defaults (the same file in the owner's `.github` repository), which are
# merged over these. Mappings merge key by key; a list or a value replaces the one below it. Unknown keys
# are errors, reported in the check run with their line.
#
# The file is read from the pull request's BASE branch: a pull request that edits it is evaluated with
# the current file, and its edit takes effect after merge.
#
# `_extends: repo`, `owner/repo` or `owner/repo:path/file.yml` inherits another file (Probot syntax).
# Check a file with `agentbudget config validate`. For editor completion, save the schema with
# `agentbudget config schema > .agentbudget.schema.json` and start your file with
#   # yaml-language-server: $schema=.agentbudget.schema.json
"""


class _IndentedDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def render_defaults() -> str:
    return HEADER + "\n" + "\n".join(_render(Config(), 0)) + "\n"


def _render(model: BaseModel, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for name, field in type(model).model_fields.items():
        if indent == 0 and out:
            out.append("")
        out += [pad + "# " + line for line in textwrap.wrap(field.description or "", WIDTH - indent - 2)]
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            out.append(f"{pad}{name}:")
            out += _render(value, indent + 2)
        else:
            out += [pad + line for line in _leaf(name, _plain(value))]
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python", exclude_defaults=True)
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _leaf(name: str, value: Any) -> list[str]:
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return [f"{name}:"] + [f"  - {_flow(item)}" for item in value]  # one rule per line
    inline = _flow(value)
    if not isinstance(value, dict | list) or (isinstance(value, list) and len(inline) <= 60):
        return [f"{name}: {inline}"]
    text = yaml.dump(
        {name: value}, Dumper=_IndentedDumper, default_flow_style=False, sort_keys=False, width=WIDTH
    )
    return text.rstrip("\n").split("\n")


def _flow(value: Any) -> str:
    text = yaml.dump(value, Dumper=_IndentedDumper, default_flow_style=True, sort_keys=False, width=10_000)
    return text.removesuffix("\n").removesuffix("\n...").strip()
