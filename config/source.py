"""One configuration file read: YAML text to plain data, with the line of every key.

The YAML is parsed once: composed into nodes (for lines, duplicate keys and size limits), then constructed
with PyYAML's safe constructors. Limits keep a hostile file (alias bombs, deep nesting) from costing more
than a normal one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from config.errors import ConfigError, ConfigProblem, KeyPath, format_key_path, problem_from_yaml_error

MAX_BYTES = 256 * 1024
MAX_NODES = 20_000  # counted with aliases expanded, so a "billion laughs" file stops here
MAX_DEPTH = 32
EXTENDS_KEY = "_extends"
# Probot's `_extends` syntax: [owner/]repo[:path/to/file.yml]
EXTENDS_PATTERN = re.compile(
    r"^(?:(?P<owner>[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})/)?(?P<repo>[-_.\w]+)(?::(?P<path>[-_./\w]+\.ya?ml))?$",
    re.IGNORECASE,
)
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "a date",
}


@dataclass(frozen=True)
class ConfigSource:
    file: str
    data: Mapping[str, Any]  # the file's keys, without `_extends`
    extends: str | None
    lines: Mapping[KeyPath, int]

    def line_of(self, path: KeyPath) -> int | None:
        return self.lines.get(path)


class _Loader(yaml.SafeLoader):
    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid date ({exc})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def too_large(file: str, size: int) -> ConfigError:
    """The error for a file over MAX_BYTES, whether its text or only its size (from metadata) is known."""
    return ConfigError(
        [
            _file_problem(
                file,
                f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}",
                "keep only the keys you change; defaults fill in the rest",
            )
        ]
    )


def read_source(text: str, file: str) -> ConfigSource:
    """Parse one file's text; raises ConfigError naming the file (and line) on any failure."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise too_large(file, size)
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:  # the reader refuses control characters before any parsing
        raise ConfigError([problem_from_yaml_error(exc, file, text)]) from None
    try:
        node = loader.get_single_node()
        lines = _index(node, file) if node is not None else {}
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise ConfigError([problem_from_yaml_error(exc, file, text)]) from None
    except RecursionError:
        raise ConfigError(
            [_file_problem(file, "the YAML is nested too deeply", "flatten the file")]
        ) from None
    finally:
        loader.dispose()
    return _split_extends(data, lines, file)


def _file_problem(
    file: str, message: str, fix: str, line: int | None = None, key_path: str = ""
) -> ConfigProblem:
    return ConfigProblem(file, key_path, line, message, fix)


def _split_extends(data: Any, lines: dict[KeyPath, int], file: str) -> ConfigSource:
    if data is None:
        return ConfigSource(file, {}, None, lines)
    if not isinstance(data, dict):
        raise ConfigError(
            [
                _file_problem(
                    file,
                    f"the file must be a mapping of keys such as `review:`, not {type(data).__name__}",
                    "start from `agentbudget config schema` or config/default.agentbudget.yml",
                    1,
                )
            ]
        )
    keys = dict(data)
    extends = keys.pop(EXTENDS_KEY, None)
    if extends is not None and not _valid_extends(extends):
        raise ConfigError(
            [
                _file_problem(
                    file,
                    f"`_extends` must be `repo`, `owner/repo` or `owner/repo:path/file.yml`; got {extends!r}",
                    "write e.g. `_extends: .github` or `_extends: acme/policies:agentbudget/base.yml`",
                    lines.get((EXTENDS_KEY,)),
                    EXTENDS_KEY,
                )
            ]
        )
    return ConfigSource(file, keys, extends, lines)


def _valid_extends(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    found = EXTENDS_PATTERN.match(value)
    if found is None:
        return False
    path = found.group("path") or ""
    return ".." not in path.split("/") and not path.startswith("/")


def _index(root: Node, file: str) -> dict[KeyPath, int]:
    """Line of every key and list item; refuses duplicate keys, non-text keys and oversized documents."""
    lines: dict[KeyPath, int] = {}
    remaining = [MAX_NODES]

    def visit(node: Node, path: KeyPath, depth: int, merged: bool) -> None:
        remaining[0] -= 1
        if remaining[0] < 0:
            raise ConfigError(
                [
                    _file_problem(
                        file,
                        f"the document has more than {MAX_NODES:,} values "
                        "(aliases count each time they are used)",
                        "remove YAML aliases",
                    )
                ]
            )
        if depth > MAX_DEPTH:
            raise ConfigError(
                [
                    _file_problem(
                        file,
                        "the YAML is nested too deeply",
                        "flatten the file",
                        node.start_mark.line + 1,
                        format_key_path(path),
                    )
                ]
            )
        if isinstance(node, MappingNode):
            visit_mapping(node, path, depth, merged)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                record((*path, index), item, merged)
                visit(item, (*path, index), depth + 1, merged)

    def visit_mapping(node: MappingNode, path: KeyPath, depth: int, merged: bool) -> None:
        seen: set[str] = set()
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            key = _text_key(key_node, path, file)
            if key in seen:
                raise ConfigError(
                    [
                        _file_problem(
                            file,
                            f"duplicate key `{key}`: YAML would silently keep only the last one",
                            "remove one of them",
                            key_node.start_mark.line + 1,
                            format_key_path((*path, key)),
                        )
                    ]
                )
            seen.add(key)
            record((*path, key), key_node, merged)
            visit(value_node, (*path, key), depth + 1, merged)
        for merge in merges:  # `<<: *anchor` keys yield to the mapping's own keys
            for merged_node in merge.value if isinstance(merge, SequenceNode) else [merge]:
                visit(merged_node, path, depth + 1, True)

    def record(path: KeyPath, node: Node, merged: bool) -> None:
        if merged:
            lines.setdefault(path, node.start_mark.line + 1)
        else:
            lines[path] = node.start_mark.line + 1

    visit(root, (), 0, False)
    return lines


def _text_key(node: Node, path: KeyPath, file: str) -> str:
    if isinstance(node, ScalarNode) and node.tag == _STR_TAG:
        return str(node.value)
    shown = node.value if isinstance(node, ScalarNode) else "a list or mapping"
    kind = _TAG_NAMES.get(node.tag, "not text")
    raise ConfigError(
        [
            _file_problem(
                file,
                f"key `{shown}` is read by YAML as {kind}, not as a key name",
                f'quote it: `"{shown}":`' if isinstance(node, ScalarNode) else "use a plain name as the key",
                node.start_mark.line + 1,
                format_key_path((*path, str(shown))),
            )
        ]
    )
