"""What a pull request's edit of `.agentbudget.yml` would change, for the check-run note.

The base branch's configuration is always the one enforced; this only tells the author what their edit
will do after merge, and flags edits that would loosen the gate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from fnmatch import fnmatchcase
from typing import Any

from config.model import PERMISSION_ORDER, Config

LOOSENS = " (loosens the gate)"
_MISSING = object()


def _higher(before: Any, after: Any) -> bool:
    if after is None:
        return before is not None  # null means "no limit"
    return before is not None and after > before


def _removes(before: Any, after: Any) -> bool:
    return bool(set(before) - set(after))


def _adds(before: Any, after: Any) -> bool:
    return bool(set(after) - set(before))


def _becomes(old: Any, new: Any) -> Callable[[Any, Any], bool]:
    return lambda before, after: before == old and after == new


def _lower_permission(before: Any, after: Any) -> bool:
    return PERMISSION_ORDER.index(after) < PERMISSION_ORDER.index(before)


# Key-path globs → "does this change loosen the gate?"
_LOOSENING: tuple[tuple[str, Callable[[Any, Any], bool]], ...] = (
    ("budget.*.tokens", _higher),
    ("budget.*.usd", _higher),
    ("approvals.budget_ceiling_usd", _higher),
    ("review.max_changed_lines", _higher),
    ("review.max_files", _higher),
    ("review.ignore_paths", _adds),
    ("review.agents.*", _removes),
    ("evidence.required", _removes),
    ("evidence.require_passing_checks", _removes),
    ("evidence.applies_to", _becomes("all", "agent")),
    ("exposure.internal_paths", _removes),
    ("exposure.internal_files", _removes),
    ("exposure.block_on_growth", _becomes(True, False)),
    ("approvals.permission", _lower_permission),
    ("approvals.allow_self_approval", _becomes(False, True)),
    ("approvals.bound_to_sha", _becomes(True, False)),
    ("models.large_requires_approval", _becomes(True, False)),
    ("mode", _becomes("enforce", "observe")),
)


def describe_changes(base: Config, head: Config) -> tuple[str, ...]:
    """One line per changed key, e.g. "`budget.per_pr.usd`: 5 → 50 (loosens the gate)"."""
    return tuple(
        f"`{path}`: {_change_text(before, after)}" + (LOOSENS if _loosens(path, before, after) else "")
        for path, before, after in _differences(base, head)
    )


def loosened_keys(base: Config, head: Config) -> tuple[str, ...]:
    return tuple(path for path, before, after in _differences(base, head) if _loosens(path, before, after))


def loosens_gate(base: Config, head: Config) -> bool:
    return bool(loosened_keys(base, head))


def _differences(base: Config, head: Config) -> Iterator[tuple[str, Any, Any]]:
    before, after = _flatten(base.model_dump(mode="json")), _flatten(head.model_dump(mode="json"))
    for path in [*before, *(p for p in after if p not in before)]:
        old, new = before.get(path, _MISSING), after.get(path, _MISSING)
        if old != new:
            yield path, old, new


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def _loosens(path: str, before: Any, after: Any) -> bool:
    if before is _MISSING or after is _MISSING:
        return False
    return any(fnmatchcase(path, pattern) and check(before, after) for pattern, check in _LOOSENING)


def _change_text(before: Any, after: Any) -> str:
    if before is _MISSING:
        return f"added ({_show(after)})"
    if after is _MISSING:
        return f"removed (was {_show(before)})"
    if _scalar_list(before) and _scalar_list(after):
        added = [item for item in after if item not in before]
        removed = [item for item in before if item not in after]
        parts = ([f"adds {_items(added)}"] if added else []) + (
            [f"removes {_items(removed)}"] if removed else []
        )
        return "; ".join(parts) or f"reordered to {_show(after)}"
    return f"{_show(before)} → {_show(after)}"


def _scalar_list(value: Any) -> bool:
    return isinstance(value, list) and not any(isinstance(item, dict | list) for item in value)


def _items(values: list[Any]) -> str:
    return ", ".join(f"`{_show(value)}`" for value in values)


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        text = "[" + ", ".join(_show(item) for item in value) + "]"
        return text if len(text) <= 80 else f"{len(value)} entries"
    if isinstance(value, dict):
        text = "{" + ", ".join(f"{key}: {_show(item)}" for key, item in value.items()) + "}"
        return text if len(text) <= 80 else f"{len(value)} keys"
    return str(value)
