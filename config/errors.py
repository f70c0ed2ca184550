"""The one error boundary of configuration: every YAML or validation failure becomes a `ConfigProblem`.

A problem names the file, the key path (`review.max_changed_lines`), the line where known, what is wrong
and how to fix it. Nothing here raises anything but `ConfigError`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

KeyPath = tuple[str | int, ...]
# Where a key path was written: (file, 1-based line or None).
Locate = Callable[[KeyPath], tuple[str, int | None]]


@dataclass(frozen=True)
class ConfigProblem:
    file: str
    key_path: str  # "" when the problem is the file itself (syntax, size)
    line: int | None
    message: str
    fix: str

    def __post_init__(self) -> None:
        # Keys and values quoted from user files may hold newlines or be huge; a problem is one short line.
        for name in ("key_path", "message", "fix"):
            object.__setattr__(self, name, _clip(_one_line(getattr(self, name))))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        key = f" {self.key_path}:" if self.key_path else ""
        return f"{where}:{key} {self.message} (fix: {self.fix})"


class ConfigError(Exception):
    def __init__(self, problems: Sequence[ConfigProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class KeyProblem(ValueError):
    """Raised by model validators: a problem at `sub_path` below the validated section, with its fix."""

    def __init__(self, sub_path: KeyPath, message: str, fix: str) -> None:
        self.sub_path = sub_path
        self.message = message
        self.fix = fix
        super().__init__(message)


def format_key_path(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def problem_from_yaml_error(exc: yaml.YAMLError, file: str, text: str = "") -> ConfigProblem:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1 if text else None
        return ConfigProblem(
            file,
            "",
            line,
            f"character #x{exc.character:04x} is not allowed in YAML",
            "remove the control character (or save the file as UTF-8 text)",
        )
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    what = _one_line(str(getattr(exc, "problem", None) or exc))
    context = getattr(exc, "context", None)
    kind = "YAML error" if isinstance(exc, yaml.constructor.ConstructorError) else "YAML syntax error"
    message = f"{kind}: {what}" + (f" ({_one_line(str(context))})" if context else "")
    return ConfigProblem(file, "", line, message, _yaml_fix(what))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _yaml_fix(problem: str) -> str:
    if "another document" in problem:
        return "keep a single YAML document: remove the `---` separator and what follows or merge them"
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "not a valid date" in problem:
        return "write a date as YYYY-MM-DD"
    if "constructor for the tag" in problem:
        return "remove the `!tag`: only plain YAML values are allowed"
    if "mapping values are not allowed" in problem:
        return "put a space after each `key:` and quote values that contain `: `"
    if "could not find expected ':'" in problem or "simple key" in problem:
        return (
            "every line in a mapping needs `key: value`; check the indentation of this and the previous line"
        )
    return "check the indentation and quoting on this line and the one before"


def problems_from_validation_error(
    exc: ValidationError, locate: Locate, root: type[BaseModel]
) -> list[ConfigProblem]:
    return [_problem(error, locate, root) for error in exc.errors(include_url=False)]


def _problem(error: ErrorDetails, locate: Locate, root: type[BaseModel]) -> ConfigProblem:
    path: KeyPath = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, KeyProblem):
        path += cause.sub_path
        message, fix = cause.message, cause.fix
    elif kind == "extra_forbidden":
        message, fix = f"unknown key `{path[-1]}`", _unknown_key_fix(path, root)
    elif kind == "missing":
        message, fix = f"missing required key `{path[-1]}`", f"add `{path[-1]}`"
    else:
        expected = _EXPECTED.get(kind) or _lower_first(error["msg"])
        message = f"{expected}; got {_describe(error.get('input'))}"
        fix = _type_fix(kind, path, ctx, root)
    file, line = locate(path)
    return ConfigProblem(file, format_key_path(path), line, message, fix)


_EXPECTED = {
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "bool_type": "expected true or false",
    "string_type": "expected text",
    "tuple_type": "expected a list",
    "model_type": "expected a mapping of keys",
    "dict_type": "expected a mapping of keys",
}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)[:40]


_TYPE_FIXES = {
    "int_type": "write a whole number without quotes",
    "int_from_float": "write a whole number without quotes",
    "float_type": "write a number without quotes, e.g. 2.5",
    "finite_number": "write a finite number, e.g. 2.5",
    "bool_type": "write true or false without quotes",
    "string_type": 'quote the value so YAML reads it as text, e.g. "1.0"',
    "tuple_type": "write a list: `[a, b]`, or one `- item` per line below the key",
    "model_type": "indent the keys that belong under it, or remove the key to keep the defaults",
    "dict_type": "indent the keys that belong under it, or remove the key to keep the defaults",
}


def _type_fix(kind: str, path: KeyPath, ctx: dict[str, Any], root: type[BaseModel]) -> str:
    if kind == "literal_error":
        return f"use one of: {ctx.get('expected', '')}"
    bounds = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "")
        shown = f"{limit:g}" if isinstance(limit, int | float) else str(limit)
        return f"use a value {bounds[kind]} {shown}"
    if kind.startswith("date"):
        return "write a date as YYYY-MM-DD"
    fix = _TYPE_FIXES.get(kind, "see `agentbudget config schema` for the expected shape")
    return fix + _default_example(path, root)


def _default_example(path: KeyPath, root: type[BaseModel]) -> str:
    value: Any = root()
    for part in path:
        if isinstance(value, BaseModel) and isinstance(part, str) and part in type(value).model_fields:
            value = getattr(value, part)
        else:
            return ""
    if isinstance(value, bool | int | float) and path:
        shown = str(value).lower() if isinstance(value, bool) else f"{value:g}"
        return f" (the default is `{path[-1]}: {shown}`)"
    return ""


def _unknown_key_fix(path: KeyPath, root: type[BaseModel]) -> str:
    key = str(path[-1])
    section = _model_at(path[:-1], root)
    known = sorted(section.model_fields) if section is not None else []
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    elsewhere = [dotted for dotted, name in _all_fields(root, ()) if name == key]
    if elsewhere:
        return f"move it to `{elsewhere[0]}`"
    if known:
        return f"remove it; keys allowed here: {', '.join(known)}"
    return "remove it"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _model_at(path: KeyPath, root: type[BaseModel]) -> type[BaseModel] | None:
    """The section model a key path leads to (skipping list indexes and mapping keys such as model names)."""
    model: type[BaseModel] | None = root
    skip_next = False
    for part in path:
        if skip_next:
            skip_next = False
            continue
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            return None
        annotation = model.model_fields[part].annotation
        skip_next = get_origin(annotation) in (tuple, list, dict)
        model = _model_in(annotation)
    return model


def _all_fields(model: type[BaseModel], prefix: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    for name, field in model.model_fields.items():
        yield ".".join((*prefix, name)), name
        nested = _model_in(field.annotation)
        if nested is not None and get_origin(field.annotation) not in (tuple, list, dict):
            yield from _all_fields(nested, (*prefix, name))
