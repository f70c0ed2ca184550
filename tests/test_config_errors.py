from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.errors import ConfigError, ConfigProblem
from config.loader import parse_config_text
from config.model import Config


def problems(text: str) -> tuple[ConfigProblem, ...]:
    with pytest.raises(ConfigError) as caught:
        parse_config_text(text, ".agentbudget.yml")
    assert caught.value.problems
    assert all(p.file == ".agentbudget.yml" and p.fix for p in caught.value.problems)
    return caught.value.problems


# (YAML text, key path, line, text in the message, text in the fix)
ERROR_CASES = [
    pytest.param("review:\n  max_changed_lines: [1\n", "", 3, "YAML syntax error", "", id="yaml-syntax"),
    pytest.param("review:\n\tmax_files: 3\n", "", 2, "YAML syntax error", "tabs", id="yaml-tab"),
    pytest.param(
        "review:\n  max_changed_lines: lots\n",
        "review.max_changed_lines",
        2,
        "expected a whole number; got the text 'lots'",
        "whole number",
        id="wrong-type-int",
    ),
    pytest.param(
        'review:\n  max_changed_lines: "1500"\n',
        "review.max_changed_lines",
        2,
        "got the text '1500'",
        "default is `max_changed_lines: 1500`",
        id="quoted-number",
    ),
    pytest.param(
        "review:\n  skip_drafts: maybe\n",
        "review.skip_drafts",
        2,
        "expected true or false",
        "true or false",
        id="wrong-type-bool",
    ),
    pytest.param(
        "review:\n  branches: main\n",
        "review.branches",
        2,
        "expected a list; got the text 'main'",
        "write a list",
        id="scalar-for-list",
    ),
    pytest.param(
        "review:\n  branches: [main, 3]\n",
        "review.branches[1]",
        2,
        "expected text; got 3",
        "quote",
        id="wrong-list-item",
    ),
    pytest.param(
        "reveiw:\n  max_files: 3\n",
        "reveiw",
        1,
        "unknown key `reveiw`",
        "did you mean `review`?",
        id="unknown-key-typo",
    ),
    pytest.param(
        "review:\n  triggers:\n    event: [opened]\n",
        "review.triggers.event",
        3,
        "unknown key",
        "did you mean `events`?",
        id="nested-unknown-key",
    ),
    pytest.param(
        "max_files: 3\n", "max_files", 1, "unknown key", "move it to `review.max_files`", id="misplaced-key"
    ),
    pytest.param(
        "budget:\n  per_pr:\n    zzz: 1\n",
        "budget.per_pr.zzz",
        3,
        "unknown key",
        "keys allowed here: tokens, usd",
        id="unknown-key-no-match",
    ),
    pytest.param("mode: strict\n", "mode", 1, "'enforce' or 'observe'", "use one of", id="bad-enum"),
    pytest.param(
        "review:\n  triggers:\n    events: [opened, synchronized]\n",
        "review.triggers.events[1]",
        3,
        "synchronize",
        "use one of",
        id="bad-enum-in-list",
    ),
    pytest.param(
        "approvals:\n  permission: owner\n",
        "approvals.permission",
        2,
        "'admin'",
        "use one of",
        id="bad-permission",
    ),
    pytest.param(
        "budget:\n  per_pr:\n    usd: -5\n",
        "budget.per_pr.usd",
        3,
        "greater than or equal to 0",
        ">= 0",
        id="negative-budget",
    ),
    pytest.param(
        "budget:\n  per_org_month: {tokens: -1}\n",
        "budget.per_org_month.tokens",
        2,
        "greater than or equal to 0",
        ">= 0",
        id="negative-tokens",
    ),
    pytest.param(
        "budget:\n  per_pr: {usd: .nan}\n", "budget.per_pr.usd", 2, "finite", "finite", id="nan-budget"
    ),
    pytest.param(
        "budget:\n  warn_at: [0.5, 1.5]\n",
        "budget.warn_at[1]",
        2,
        "less than or equal to 1",
        "<= 1",
        id="warn-over-one",
    ),
    pytest.param("budget: 5\n", "budget", 1, "got 5", "indent the keys", id="scalar-for-section"),
    pytest.param(
        "models:\n  large: {provider: anthropic, name: claude-9, max_output_tokens: 9}\n",
        "models.large.name",
        2,
        "no price for `claude-9`",
        "models.prices.claude-9",
        id="unpriced-model",
    ),
    pytest.param(
        "models:\n  routing:\n    - paths: [src/**]\n",
        "models.routing[0].use",
        3,
        "missing required key `use`",
        "add `use`",
        id="missing-required",
    ),
    pytest.param(
        "models:\n  routing:\n    - use: large\n",
        "models.routing[0]",
        3,
        "needs a condition",
        "changed_lines_over",
        id="rule-without-condition",
    ),
    pytest.param(
        "models:\n  prices:\n    m: {input_per_mtok: 1}\n",
        "models.prices.m.cached_input_per_mtok",
        3,
        "missing required key `cached_input_per_mtok`",
        "add `cached_input_per_mtok`",
        id="incomplete-price",
    ),
    pytest.param(
        "models:\n  prices_as_of: 2025-13-01\n", "", 2, "not a valid date", "YYYY-MM-DD", id="impossible-date"
    ),
    pytest.param(
        "models:\n  prices_as_of: soon\n", "models.prices_as_of", 2, "date", "YYYY-MM-DD", id="not-a-date"
    ),
    pytest.param(
        "review:\n  max_files: 1\n  max_files: 2\n",
        "review.max_files",
        3,
        "duplicate key",
        "remove one",
        id="duplicate-key",
    ),
    pytest.param(
        "review:\n  triggers:\n    on: [opened]\n",
        "review.triggers.on",
        3,
        "read by YAML as a boolean",
        'quote it: `"on":`',
        id="yaml-boolean-key",
    ),
    pytest.param("- review\n", "", 1, "must be a mapping", "", id="top-level-list"),
    pytest.param("just text\n", "", 1, "must be a mapping", "", id="top-level-scalar"),
    pytest.param(
        "_extends: ../../etc:x.yml\n",
        "_extends",
        1,
        "`_extends` must be",
        "_extends: .github",
        id="bad-extends",
    ),
    pytest.param("_extends: [a]\n", "_extends", 1, "`_extends` must be", "", id="extends-not-text"),
    pytest.param("a: 1\n---\nb: 2\n", "", 2, "another document", "single YAML document", id="two-documents"),
]


@pytest.mark.parametrize(("text", "key_path", "line", "message", "fix"), ERROR_CASES)
def test_error_paths_name_key_line_and_fix(
    text: str, key_path: str, line: int, message: str, fix: str
) -> None:
    found = problems(text)
    first = found[0]
    assert (first.key_path, first.line) == (key_path, line), first
    assert message.lower() in first.message.lower(), first
    assert fix in first.fix, first
    assert "\n" not in str(first)


def test_all_problems_are_reported_not_just_the_first() -> None:
    found = problems("reveiw: 1\nmode: strict\nbudget:\n  per_pr: {usd: -1}\n")
    assert [p.key_path for p in found] == ["mode", "budget.per_pr.usd", "reveiw"]
    assert {p.line for p in found} == {1, 2, 4}


def test_problem_renders_as_file_line_key_message_fix() -> None:
    (first,) = problems("review:\n  max_files: -1\n")
    assert str(first) == (
        ".agentbudget.yml:2: review.max_files: input should be greater than or equal to 0; got -1 "
        "(fix: use a value >= 0)"
    )


@pytest.mark.parametrize(
    "text",
    ["", "# only a comment\n", "---\n", "~\n", "review:\n", "review:\n  # all keys commented out\nbudget:\n"],
)
def test_empty_files_and_sections_mean_defaults(text: str) -> None:
    assert parse_config_text(text, "f.yml") == Config()


def test_sections_merge_over_defaults_key_by_key() -> None:
    config = parse_config_text("models:\n  small: {provider: openai, name: gpt-5}\n", "f.yml")
    assert (config.models.small.name, config.models.small.max_output_tokens) == ("gpt-5", 2048)


def test_yaml_anchors_and_merge_keys_work() -> None:
    text = "budget:\n  per_pr: &small {usd: 1}\n  per_repo_month:\n    <<: *small\n    tokens: 5\n"
    config = parse_config_text(text, "f.yml")
    assert (config.budget.per_repo_month.usd, config.budget.per_repo_month.tokens) == (1, 5)


def test_alias_bomb_is_refused_cheaply() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    found = problems("\n".join(lines) + "\n")
    assert "more than 20,000 values" in found[0].message


def test_problems_stay_on_one_short_line() -> None:
    (found,) = problems('"bad\\nkey": 1\n')
    assert found.message == "unknown key `bad key`" and found.key_path == "bad key"
    (found,) = problems(f"{'k' * 1000}: 1\n")
    assert len(found.message) == 300 and found.message.endswith("…")


def test_deep_nesting_is_refused() -> None:
    assert "nested too deeply" in problems("a: " + "[" * 200 + "]" * 200 + "\n")[0].message
    assert problems("a: " + "[" * 5000 + "\n")  # recursion inside the YAML parser itself


def test_huge_file_is_refused() -> None:
    assert "limit is" in problems("# " + "x" * 300_000 + "\n")[0].message


def test_python_tags_are_refused_not_executed() -> None:
    found = problems("mode: !!python/object/apply:os.system [echo hi]\n")
    assert "python/object/apply" in found[0].message
    assert "remove the `!tag`" in found[0].fix


def test_control_characters_are_reported_with_their_line() -> None:
    (found,) = problems("mode: enforce\nreview: \x08\n")
    assert (found.line, found.message) == (2, "character #x0008 is not allowed in YAML")


YAMLISH = st.text(
    alphabet=st.sampled_from(list("abmodereviw_:- \n\t[]{}\"'&*!<>|#%@`,.?0123456789~")), max_size=80
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), YAMLISH))
def test_arbitrary_text_raises_only_config_error(text: str) -> None:
    try:
        parse_config_text(text, "f.yml")
    except ConfigError as exc:
        assert exc.problems
        assert all("\n" not in str(problem) for problem in exc.problems)


KEYS = st.sampled_from(["review", "budget", "models", "mode", "max_files", "per_pr", "usd", "events", "x"])
LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=5)
)
STRUCTURES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300)
@given(st.dictionaries(KEYS, STRUCTURES, max_size=4))
def test_arbitrary_structures_raise_only_config_error(data: dict[str, object]) -> None:
    import yaml

    try:
        parse_config_text(yaml.safe_dump(data), "f.yml")
    except ConfigError as exc:
        assert all(p.file == "f.yml" for p in exc.problems)
