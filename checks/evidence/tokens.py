"""Tokens spent by the authoring agent: a fenced `agentbudget` YAML block, or `Agent-Tokens:` trailers.

    ```agentbudget                       Agent-Tokens: input=182340 cached=120000 output=9412
    agent: claude-code                   Agent-Tokens: 182k in / 9.4k out
    model: claude-sonnet-4-5             Agent-Model: claude-sonnet-4-5
    input_tokens: 182,340                Agent-Cost: $0.42
    cached_input_tokens: 120k
    output_tokens: 9412
    cost_usd: 0.42
    ```

Counts tolerate "182,340", "182 340", "182k", "1.2M"; a negative count or one above 10^12 is dropped
with a note, never raised. The block is read with `yaml.safe_load` (plain scalars, lists and mappings
only) and only when it is at most 8 KB. Trailers are summed across commits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import yaml

from checks.evidence.model import TokenReport

MAX_BLOCK_BYTES = 8 * 1024
MAX_COUNT = 10**12
MAX_COST_MICROS = 10**12
MAX_COMMITS = 250
MAX_COMMIT_CHARS = 64 * 1024
MAX_TRAILERS_PER_COMMIT = 20
MAX_FLOW_DEPTH = 16
_MAX_NAME = 100

# fmt: off
_ALIASES: dict[str, str] = {
    **dict.fromkeys(("agent", "agent_name", "tool", "author_agent"), "agent"),
    **dict.fromkeys(("model", "model_name", "models"), "model"),
    **dict.fromkeys(
        ("input_tokens", "input", "in", "prompt_tokens", "tokens_in", "uncached_input_tokens"), "input_tokens"
    ),
    **dict.fromkeys(
        ("cached_input_tokens", "cached_tokens", "cached", "cache_read_tokens", "cache_read_input_tokens",
         "cached_input", "cache_read", "cache"),
        "cached_input_tokens",
    ),
    **dict.fromkeys(
        ("cache_write_tokens", "cache_creation_input_tokens", "cache_write", "cache_creation_tokens",
         "cache_creation", "cache_write_input_tokens"),
        "cache_write_tokens",
    ),
    **dict.fromkeys(("output_tokens", "output", "out", "completion_tokens", "tokens_out"), "output_tokens"),
    **dict.fromkeys(("cost_usd", "cost", "usd", "cost_dollars", "total_cost_usd", "price_usd"), "cost_usd"),
}
# fmt: on
_SUFFIX = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9}
_NUMBER = re.compile(r"(-?)(\d+(?:\.\d+)?)\s*([kmb]?)")
_GROUPING = re.compile(r"(?<=\d)[,_\s\u00a0\u202f'](?=\d{3}(?!\d))")
_TRAILER = re.compile(
    r"^[ \t]*(agent-tokens|agent-model|agent-name|agent-cost|agent)[ \t]*:[ \t]*(.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_PAIR = re.compile(r"([A-Za-z][\w-]{0,40})\s*[=:]\s*(\$?-?[\d][\d.,_]{0,30}\s*[kKmMbB]?)(?![\w.])")
_AMOUNT_UNIT = re.compile(r"(-?\d[\d.,_]{0,30}\s*[kKmMbB]?)\s*(?:tokens?\s+)?([A-Za-z][\w-]{0,20})")
_DOLLARS = re.compile(r"\$\s*(\d[\d,]{0,15}(?:\.\d{1,9})?)")


class ValueProblem(ValueError):
    """A token count or cost that cannot be used, with a reason fit for a note."""


@dataclass
class _Tally:
    agents: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    cost_micros: int | None = None
    problems: list[str] = field(default_factory=list)

    def add_count(self, name: str, value: int) -> None:
        self.counts[name] = min(self.counts.get(name, 0) + value, MAX_COUNT)

    def add_cost(self, micros: int) -> None:
        self.cost_micros = min((self.cost_micros or 0) + micros, MAX_COST_MICROS)

    def add_name(self, names: list[str], value: object) -> None:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            name = str(value).strip()[:_MAX_NAME]
            if name and name not in names:
                names.append(name)

    @property
    def reported(self) -> bool:
        return bool(self.counts) or self.cost_micros is not None

    def report(self, source: str) -> TokenReport:
        return TokenReport(
            source=source,
            agent=_joined(self.agents),
            model=_joined(self.models),
            input_tokens=self.counts.get("input_tokens"),
            cached_input_tokens=self.counts.get("cached_input_tokens"),
            cache_write_tokens=self.counts.get("cache_write_tokens"),
            output_tokens=self.counts.get("output_tokens"),
            cost_usd_micros=self.cost_micros,
        )


def _joined(names: list[str]) -> str | None:
    if not names:
        return None
    shown = ", ".join(names[:3])
    return shown if len(names) <= 3 else f"{shown} (+{len(names) - 3} more)"


def _decimal(value: object, what: str) -> Decimal:
    """A non-negative number from YAML or trailer text: 182340, "182,340", "182k", 1.5e3, "$0.42"."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueProblem(f"{what} is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueProblem(f"{what} is not a finite number")
    text = str(value).strip().lower()[:40]
    for prefix in ("~", "≈", "usd", "$"):
        text = text.removeprefix(prefix).strip()
    for suffix in ("usd", "tokens", "tok"):
        text = text.removesuffix(suffix).strip()
    text = _GROUPING.sub("", text.strip())
    match = _NUMBER.fullmatch(text) if "e" not in text else None
    try:
        number = Decimal(text) if match is None else Decimal(match.group(2)) * _SUFFIX[match.group(3)]
    except InvalidOperation:
        raise ValueProblem(f"{what} {str(value)[:40]!r} is not a number") from None
    if match is not None and match.group(1):
        number = -number
    if not number.is_finite():
        raise ValueProblem(f"{what} is not a finite number")
    if number < 0:
        raise ValueProblem(f"{what} {str(value)[:40]!r} is negative")
    return number


def parse_count(value: object, what: str) -> int:
    number = _decimal(value, what)
    if number > MAX_COUNT:
        raise ValueProblem(f"{what} {str(value)[:40]!r} is above 10^12")
    return int(number.to_integral_value(ROUND_HALF_UP))


def parse_cost_micros(value: object, what: str = "cost_usd") -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*\$?\d{1,6},\d{1,2}\s*", value):
        value = value.replace(",", ".")  # "0,42": a decimal comma, not thousands
    number = _decimal(value, what)
    if number > MAX_COST_MICROS // 1_000_000:
        raise ValueProblem(f"{what} {str(value)[:40]!r} is above $1,000,000")
    return int((number * 1_000_000).to_integral_value(ROUND_HALF_UP))


def _alias(key: object) -> str | None:
    name = str(key).strip().casefold().replace("-", "_").replace(" ", "_")[:60]
    return _ALIASES.get(name)


def _add_field(tally: _Tally, name: str, value: object, where: str) -> None:
    if value is None or value == "":
        return
    try:
        if name == "agent":
            tally.add_name(tally.agents, value)
        elif name == "model":
            tally.add_name(tally.models, value)
        elif name == "cost_usd":
            tally.add_cost(parse_cost_micros(value, f"{where} cost_usd"))
        else:
            tally.add_count(name, parse_count(value, f"{where} {name}"))
    except ValueProblem as problem:
        tally.problems.append(f"{problem}: ignored")


def _add_mapping(tally: _Tally, data: Mapping[object, object]) -> None:
    unknown: list[str] = []
    for key, value in list(data.items())[:50]:
        name = _alias(key)
        if name is None:
            unknown.append(str(key)[:40])
        else:
            _add_field(tally, name, value, "agentbudget block:")
    if unknown:
        tally.problems.append(f"agentbudget block: unknown keys ignored: {', '.join(unknown[:5])}")


def _flow_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def _load_block(text: str) -> object:
    if len(text.encode("utf-8", "replace")) > MAX_BLOCK_BYTES:
        raise ValueProblem(f"agentbudget block is larger than {MAX_BLOCK_BYTES // 1024} KB: ignored")
    if _flow_depth(text) > MAX_FLOW_DEPTH:  # PyYAML's scanner slows down on deep [[[…: refuse before it
        raise ValueProblem(f"agentbudget block nests deeper than {MAX_FLOW_DEPTH} levels: ignored")
    try:
        return yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as error:
        first = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise ValueProblem(f"agentbudget block is not valid YAML ({first}): ignored") from None


def tokens_from_block(text: str) -> tuple[TokenReport | None, bool, list[str]]:
    """(report, said nothing, problems) for the text of one agentbudget block."""
    try:
        data = _load_block(text)
    except ValueProblem as problem:
        return None, False, [str(problem)]
    tally = _Tally()
    entries = data if isinstance(data, list) else [data]
    for entry in entries[:20]:
        if isinstance(entry, Mapping):
            _add_mapping(tally, entry)
        elif entry is not None:
            return None, False, ["agentbudget block is not a mapping of keys to values: ignored"]
    if not tally.reported:
        return None, True, tally.problems
    return tally.report("body"), False, tally.problems


def _trailer_fields(value: str) -> list[tuple[str, str]]:
    """(field, raw value) pairs of an Agent-Tokens value in any of the forms agents write."""
    pairs = [(name, raw) for name, raw in _PAIR.findall(value)]
    if not pairs:
        pairs = [(unit, amount) for amount, unit in _AMOUNT_UNIT.findall(value)]
    found = [(_alias(name) or "", raw.rstrip(",. ")) for name, raw in pairs]
    if not any(name == "cost_usd" for name, _ in found):
        found.extend(("cost_usd", dollars) for dollars in _DOLLARS.findall(value)[:1])
    return [(name, raw) for name, raw in found if name and name not in ("agent", "model")]


def _add_trailer(tally: _Tally, key: str, value: str) -> None:
    key = key.lower()
    if key == "agent-model":
        tally.add_name(tally.models, value)
    elif key in ("agent-name", "agent"):
        tally.add_name(tally.agents, value)
    elif key == "agent-cost":
        _add_field(tally, "cost_usd", value, "Agent-Cost trailer:")
    else:
        fields = _trailer_fields(value)
        if not fields:
            tally.problems.append(f"Agent-Tokens trailer {value[:60]!r} names no count: ignored")
        for name, raw in fields:
            _add_field(tally, name, raw, "Agent-Tokens trailer:")


def trailer_lines(messages: Sequence[str]) -> Iterable[tuple[str, str]]:
    for message in messages[:MAX_COMMITS]:
        found = _TRAILER.finditer(message[:MAX_COMMIT_CHARS])
        for match, _ in zip(found, range(MAX_TRAILERS_PER_COMMIT), strict=False):
            yield match.group(1), match.group(2).strip()[:500]


def tokens_from_trailers(messages: Sequence[str]) -> tuple[TokenReport | None, int, list[str]]:
    """(report summed over every commit, trailers seen, problems)."""
    tally = _Tally()
    seen = 0
    for key, value in trailer_lines(messages):
        seen += 1
        _add_trailer(tally, key, value)
    notes = list(tally.problems)
    if len(messages) > MAX_COMMITS:
        notes.append(f"read the trailers of the first {MAX_COMMITS} of {len(messages):,} commits")
    if not tally.reported:
        if seen:
            notes.append("Agent-Model/Agent-Name trailers without Agent-Tokens: no token counts")
        return None, seen, notes
    return tally.report("trailers"), seen, notes
