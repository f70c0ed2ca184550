"""Finding 5: PATH/BRANCH globs match in work linear in the path, with the semantics they always had, and
config validation refuses patterns past the complexity limits."""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.globs import compile_glob, glob_match
from config.globs import check_glob

# --- Finding 5: globs match in linear work ------------------------------------------------------------


def reference_regex(pattern: str) -> re.Pattern[str]:
    """The backtracking translation the matcher replaced: the semantics to keep, on small inputs."""
    directory, anchored, body = pattern.endswith("/"), "/" in pattern.rstrip("/"), pattern.strip("/")
    out, i = [], 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        elif body[i] == "[" and body.find("]", i + 1) > i + 1:
            end = body.find("]", i + 1)
            cls = body[i + 1 : end]
            out.append("[" + ("^" + cls[1:] if cls.startswith("!") else cls).replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    return re.compile(("" if anchored else "(?:.*/)?") + "".join(out) + ("(?:/.*)?" if directory else ""))


@settings(max_examples=400)
@given(
    st.text(st.sampled_from("ab/*?.]!-"), min_size=1, max_size=10).map(lambda p: p.replace("?.", "[?."))
    | st.text(st.sampled_from("ab/*?.[]!-"), min_size=1, max_size=10).filter(lambda p: p.count("[") <= 1),
    st.text(st.sampled_from("ab/.-"), max_size=12),
)
def test_the_linear_matcher_keeps_the_documented_semantics(pattern: str, path: str) -> None:
    if "[]" in pattern or "[!]" in pattern:
        return  # refused at config validation
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", FutureWarning)
            expected = reference_regex(pattern).fullmatch(path) is not None
    except (re.error, FutureWarning):
        return  # e.g. a reversed range: the old translation could not compile it either
    assert glob_match(pattern, path) == expected, (pattern, path)


@pytest.mark.parametrize("pattern", ["**a**a**a**a**a**a**b", "*a*a*a*a*a*a*a*b", "**/a/**/a/**/a/**/b"])
def test_a_pathological_glob_costs_at_most_states_times_path_length(pattern: str) -> None:
    glob = compile_glob(pattern)
    path = "a" * 3_000
    glob.steps = 0
    assert not glob.match(path) and not glob.match("a/" * 1_500)
    assert 0 < glob.steps <= (len(glob.states) + 1) * 2 * 3_000


def test_config_refuses_globs_past_the_complexity_limits() -> None:
    assert check_glob("src/**/*.py") is None
    assert "wildcards" in (check_glob("*a" * 20) or "")
    assert "characters" in (check_glob("a" * 300) or "")
    assert "empty character class" in (check_glob("src/[]") or "")


def test_a_config_glob_past_the_limits_is_an_error_naming_key_and_line() -> None:
    from config.errors import ConfigError
    from config.loader import parse_config_text

    text = "review:\n  ignore_paths:\n    - ok/**\n    - '" + "**a" * 20 + "'\n"
    with pytest.raises(ConfigError) as raised:
        parse_config_text(text, ".agentbudget.yml")
    (problem,) = raised.value.problems
    assert "review.ignore_paths[1]" in str(problem) and ".agentbudget.yml:4" in str(problem)
    assert "wildcards; the limit is 16" in str(problem)
