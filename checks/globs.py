"""Path and branch globs with the semantics users know from .gitignore and GitHub rulesets.

`*` matches within one path segment, `**` matches across segments, `?` one character, `[...]` a class
(`[!...]` negated). A pattern without a slash matches the basename anywhere (like .gitignore); a pattern
ending in `/` also covers everything below that directory.

Matching is linear in the path: a pattern compiles to a small automaton (one or two states per token) that
is run over the path one character at a time, on the set of states it can be in, never backtracking. The
sets met are memoised as a lazy DFA, so a common pattern costs one dictionary lookup per character. A
backtracking regex took seconds on `**a**a**a**a**a**a**b` against a long path; here the work is at most
(states x path length); `config/globs.py` bounds a pattern's size when the config is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

MAX_DFA_STATES = 2048  # memoised state sets per pattern; past it, sets are computed afresh

Step = Callable[[str], tuple[int, ...]]


@dataclass(frozen=True)
class _State:
    step: Step  # the states a character leads to
    eps: tuple[int, ...] = ()  # the states reached without consuming a character


def _class_test(body: str) -> Callable[[str], bool]:
    negated = body.startswith("!")
    body = body[1:] if negated else body
    singles: set[str] = set()
    ranges: list[tuple[str, str]] = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            ranges.append((body[i], body[i + 2]))
            i += 3
        else:
            singles.add(body[i])
            i += 1

    def test(c: str) -> bool:
        inside = c in singles or any(lo <= c <= hi for lo, hi in ranges)
        return inside != negated

    return test


def _tokens(pattern: str) -> tuple[list[tuple[str, Callable[[str], bool] | None]], bool, bool]:
    """(tokens, anchored, directory): kinds `char` (test), `star`, `any`, `dirs`."""
    directory = pattern.endswith("/")
    anchored = "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    tokens: list[tuple[str, Callable[[str], bool] | None]] = [] if anchored else [("dirs", None)]
    i = 0
    while i < len(body):
        char = body[i]
        if body.startswith("**/", i):
            tokens.append(("dirs", None))
            i += 3
        elif body.startswith("**", i):
            tokens.append(("any", None))
            i += 2
        elif char == "*":
            tokens.append(("star", None))
            i += 1
        elif char == "?":
            tokens.append(("char", _in_segment))
            i += 1
        elif char == "[" and body.find("]", i + 1) != -1:
            end = body.find("]", i + 1)
            tokens.append(("char", _class_test(body[i + 1 : end])))
            i = end + 1
        else:
            tokens.append(("char", _is(char)))
            i += 1
    return tokens, anchored, directory


@dataclass
class Glob:
    """One compiled pattern. `steps` counts the state transitions computed (for tests of the bound)."""

    pattern: str
    states: tuple[_State, ...]
    accept: int
    steps: int = 0
    _dfa: dict[tuple[frozenset[int], str], frozenset[int]] = field(default_factory=dict)

    def _closure(self, start: Iterable[int]) -> frozenset[int]:
        seen, stack = set(start), list(start)
        while stack:
            state = stack.pop()
            if state == self.accept:
                continue
            for target in self.states[state].eps:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return frozenset(seen)

    def _advance(self, current: frozenset[int], c: str) -> frozenset[int]:
        known = self._dfa.get((current, c))
        if known is not None:
            self.steps += 1
            return known
        targets: list[int] = []
        for state in current:
            self.steps += 1
            if state != self.accept:
                targets.extend(self.states[state].step(c))
        following = self._closure(targets)
        if len(self._dfa) < MAX_DFA_STATES:
            self._dfa[(current, c)] = following
        return following

    def match(self, path: str) -> bool:
        current = self._closure((0,))
        for c in path:
            current = self._advance(current, c)
            if not current:
                return False
        return self.accept in current


def _any(c: str) -> bool:
    return True


def _in_segment(c: str) -> bool:
    return c != "/"


def _is(literal: str) -> Callable[[str], bool]:
    def test(c: str) -> bool:
        return c == literal

    return test


def _to(target: int, test: Callable[[str], bool]) -> Step:
    def step(c: str) -> tuple[int, ...]:
        return (target,) if test(c) else ()

    return step


def _dirs_loop(state: int) -> Step:
    """Inside `(?:.*/)`: any character stays; a `/` may also end it."""

    def step(c: str) -> tuple[int, ...]:
        return (state, state + 1) if c == "/" else (state,)

    return step


def _none(c: str) -> tuple[int, ...]:
    return ()


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> Glob:
    tokens, _, directory = _tokens(pattern)
    states: list[_State] = []
    for kind, test in tokens:
        i = len(states)
        if kind == "char":
            assert callable(test)
            states.append(_State(_to(i + 1, test)))
        elif kind == "star":  # [^/]*
            states.append(_State(_to(i, _in_segment), (i + 1,)))
        elif kind == "any":  # .*
            states.append(_State(_to(i, _any), (i + 1,)))
        else:  # dirs: (?:.*/)?
            states.append(_State(_none, (i + 1, i + 2)))
            states.append(_State(_dirs_loop(i + 1)))
    if directory:  # (?:/.*)?
        i = len(states)
        states.append(_State(_to(i + 1, _is("/")), (i + 2,)))
        states.append(_State(_to(i + 1, _any), (i + 2,)))
    return Glob(pattern, tuple(states), len(states))


def glob_match(pattern: str, path: str) -> bool:
    return compile_glob(pattern).match(path)


def first_match(patterns: Iterable[str], path: str) -> str | None:
    for pattern in patterns:
        if glob_match(pattern, path):
            return pattern
    return None
