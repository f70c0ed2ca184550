from __future__ import annotations

import json
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.evidence import (
    MAX_BODY_CHARS,
    SECTION_KEYS,
    Evidence,
    TestClaim,
    missing,
    parse_evidence,
    template,
)
from checks.evidence.content import SECTION_TEXT_LIMIT

CORPUS = Path(__file__).parent / "evidence_corpus"
BODIES = sorted(CORPUS.glob("*.md"))
RESULTS = {"passed", "failed", "not_run", "planned", "unknown"}


def parse_file(body_path: Path) -> Evidence:
    commits_path = body_path.with_suffix(".commits.json")
    commits = json.loads(commits_path.read_text()) if commits_path.exists() else []
    return parse_evidence(body_path.read_text(encoding="utf-8"), commits)


def summary(evidence: Evidence) -> dict[str, Any]:
    return {
        "present": [key for key in SECTION_KEYS if evidence.has(key)],
        "empty": list(evidence.empty),
        "tests": [{"command": claim.command, "result": claim.result} for claim in evidence.tests],
        "tokens": asdict(evidence.tokens) if evidence.tokens else None,
    }


def claims(*pairs: tuple[str | None, str]) -> list[tuple[str | None, str]]:
    return list(pairs)


def found(evidence: Evidence) -> list[tuple[str | None, str]]:
    return [(claim.command, claim.result) for claim in evidence.tests]


# The corpus: PR bodies in the house styles of agents and people, each with what it should parse to.


def test_the_corpus_is_big_enough() -> None:
    assert len(BODIES) >= 25
    assert len(list(CORPUS.glob("*.commits.json"))) >= 3
    assert all(body.with_suffix(".expected.json").exists() for body in BODIES)


@pytest.mark.parametrize("body_path", BODIES, ids=[path.stem for path in BODIES])
def test_corpus(body_path: Path) -> None:
    expected = json.loads(body_path.with_suffix(".expected.json").read_text())
    evidence = parse_file(body_path)
    got = summary(evidence)
    assert got == {key: expected[key] for key in ("present", "empty", "tests", "tokens")}, evidence.notes
    for key, heading in expected.get("headings", {}).items():
        assert evidence.sections[key].heading == heading
    for fragment in expected.get("notes_contain", []):
        assert any(fragment in note for note in evidence.notes), (fragment, evidence.notes)
    for key in evidence.empty:
        assert any(note.startswith(key.replace("_", " ").capitalize()[:5]) for note in evidence.notes)


# The contract the rest of the app codes against.


def test_has_missing_and_frozen_sections() -> None:
    evidence = parse_evidence("## Summary\nAdd X.\n\n## Testing\n- `pytest` ✅\n")
    assert evidence.has("what_changed") and evidence.has("tests_run")
    assert not evidence.has("tokens") and not evidence.has("no_such_key")
    assert missing(evidence, ("tests_run", "uncertainty", "what_changed", "tokens")) == (
        "uncertainty",
        "tokens",
    )
    with pytest.raises(TypeError):
        evidence.sections["uncertainty"] = evidence.sections["tests_run"]  # type: ignore[index]
    assert hash(evidence) == hash(parse_evidence("## Summary\nAdd X.\n\n## Testing\n- `pytest` ✅\n"))
    assert evidence == parse_evidence("## Summary\nAdd X.\n\n## Testing\n- `pytest` ✅\n")


def test_section_keeps_heading_text_and_line() -> None:
    evidence = parse_evidence("intro\n\n## 🧪 Test plan\n\n- [x] `make test` ✅ <!-- hint -->\n")
    section = evidence.sections["tests_run"]
    assert (section.key, section.heading, section.line) == ("tests_run", "🧪 Test plan", 3)
    assert section.text == "- [x] `make test` ✅"


def test_template_pasted_unedited_is_all_missing() -> None:
    evidence = parse_evidence(template(SECTION_KEYS))
    assert missing(evidence, SECTION_KEYS) == SECTION_KEYS
    assert evidence.empty == SECTION_KEYS


def test_template_filled_in_is_all_present() -> None:
    filled = (
        template(SECTION_KEYS)
        .replace("-->\n\n## Not", "-->\nAdd a cache.\n\n## Not")
        .replace("-->\n\n## Tests", "-->\nThe CLI.\n\n## Tests")
        .replace("-->\n\n## Unc", "-->\n- [x] `pytest` ✅\n\n## Unc")
        .replace("-->\n\n```", "-->\nCache invalidation.\n\n```")
        .replace("input_tokens:          #", "input_tokens: 1000 #")
    )
    evidence = parse_evidence(filled)
    assert missing(evidence, SECTION_KEYS) == ()
    assert found(evidence) == [("pytest", "passed")]


def test_template_names_each_key_once_and_rejects_unknown_keys() -> None:
    text = template(("tests_run", "tokens"))
    assert text.startswith("## Tests run\n<!--") and "```agentbudget" in text and "## What" not in text
    with pytest.raises(ValueError, match="tets_run"):
        template(("tets_run",))


def test_commit_messages_given_as_one_string_still_read() -> None:
    evidence = parse_evidence("", "x\n\nAgent-Tokens: input=5 output=6")
    assert evidence.tokens is not None and evidence.tokens.output_tokens == 6


def test_test_claim_is_not_collected_by_pytest() -> None:
    assert TestClaim.__test__ is False


# Headings: the forms the parser recognizes, and the ones it must not.


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("# Summary\nx", "what_changed"),
        ("###### What's changed\nx", "what_changed"),
        ("## Changes ##\nx", "what_changed"),
        ("Summary\n=======\nx", "what_changed"),
        ("Test plan\n---------\n- `pytest` ✅", "tests_run"),
        ("**Testing:** `pytest` ✅", "tests_run"),
        ("__Out of scope__\n- the CLI", "not_changed"),
        ("Testing: `pytest` passes", "tests_run"),
        ("Testing done:\n- `pytest` ✅", "tests_run"),
        ("测试\uff1a`pnpm test` 通过", "tests_run"),
        ("<h2>Known limitations</h2>\nslow", "uncertainty"),
        ("<details><summary>Test results</summary>\n\n42 passed\n</details>", "tests_run"),
        ("> ## Risks\n> the cache", "uncertainty"),
        ("## 1. Non-goals\nthe CLI", "not_changed"),
        ("## Te\u200bsting\n- `pytest` ✅", "tests_run"),
        ("## \uff34\uff25\uff33\uff34\uff29\uff2e\uff27\n- `pytest` ✅", "tests_run"),
        ("## Änderungen\nx", "what_changed"),
        ("## 変更点\nx", "what_changed"),
        ("## 风险\nx", "uncertainty"),
        ("   ## Risks\nx", "uncertainty"),
    ],
)
def test_heading_forms(body: str, key: str) -> None:
    assert parse_evidence(body).has(key), parse_evidence(body)


@pytest.mark.parametrize(
    "body",
    [
        "```\n## Testing\n- `pytest` ✅\n```",
        "~~~md\n## Testing\n- `pytest` ✅\n~~~",
        "    ## Testing\n    - `pytest` ✅",
        "<!-- ## Testing\n- `pytest` ✅ -->",
        "#Testing\n- `pytest` ✅",
        "- **Testing:** `pytest` ✅ was a bullet in a list with no heading above",
        "> ```\n> ## Testing\n> ```",
    ],
)
def test_not_headings(body: str) -> None:
    assert not parse_evidence(body).has("tests_run") or not any(
        section.heading for section in parse_evidence(body).sections.values() if section.key == "tests_run"
    )


def test_code_fence_hides_headings_but_not_after_it_closes() -> None:
    body = "## Summary\nx\n````\n```\n## Testing\n```\n````\n## Risks\ny"
    evidence = parse_evidence(body)
    assert [*evidence.sections] == ["what_changed", "uncertainty"]


def test_unclosed_comment_hides_the_rest_like_github_does() -> None:
    evidence = parse_evidence("## Summary\nx\n<!-- TODO\n## Testing\n- `pytest` ✅")
    assert not evidence.has("tests_run")


def test_a_sentence_ending_in_a_colon_is_not_a_label_heading() -> None:
    evidence = parse_evidence("## Testing\n\nRan the worker tests:\n\n```console\n$ pytest -q\n3 passed\n```")
    assert evidence.sections["tests_run"].heading == "Testing"
    assert found(evidence) == [("pytest -q", "passed")]


def test_a_same_key_pseudo_heading_inside_a_section_is_content() -> None:
    body = "## Testing\n**Unit tests:**\n- `pytest` ✅\n**E2E tests:**\n- `npm run e2e` ❌\n## Risks\nx"
    section = parse_evidence(body).sections["tests_run"]
    assert section.heading == "Testing" and "**E2E tests:**" in section.text


def test_subheadings_are_content_and_same_level_headings_end_a_section() -> None:
    body = (
        "## Changes\n### Backend\n- a\n### Frontend\n- b\n## Motivation\nbecause\n## Testing\n- `pytest` ✅"
    )
    evidence = parse_evidence(body)
    assert "### Frontend\n- b" in evidence.sections["what_changed"].text
    assert "because" not in evidence.sections["what_changed"].text


def test_thematic_break_ends_a_section_before_the_agent_footer() -> None:
    evidence = parse_evidence("## Testing\n- `pytest` ✅\n\n---\n\n💡 Tip: tests pass faster with -n auto")
    assert found(evidence) == [("pytest", "passed")]


def test_a_section_repeated_is_merged() -> None:
    evidence = parse_evidence(
        "## Summary\nA.\n\n## Changes\n- B\n\n## Testing\nN/A\n\n## Test plan\n- `make` ✅"
    )
    assert evidence.sections["what_changed"].heading == "Summary / Changes"
    assert "A." in evidence.sections["what_changed"].text and "- B" in evidence.sections["what_changed"].text
    assert evidence.has("tests_run") and "tests_run" not in evidence.empty


def test_details_with_the_original_prompt_is_not_evidence() -> None:
    body = (
        "## Summary\nx\n<details>\n<summary>Original prompt</summary>\n\n"
        "## Testing\n- [x] `pytest` ✅\n</details>"
    )
    assert not parse_evidence(body).has("tests_run")


def test_details_section_returns_to_the_enclosing_section() -> None:
    body = (
        "## Testing\n<details><summary>Test output</summary>\n\n```\n3 passed\n```\n</details>\n"
        "- `ruff check` ✅"
    )
    assert found(parse_evidence(body)) == [(None, "passed"), ("ruff check", "passed")]


# Saying nothing: placeholders and template text count as missing, with the reason in the notes.


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is empty"),
        ("N/A", "says only 'N/A'"),
        ("- TBD", "says only 'TBD'"),
        ("None.", "says only 'None.'"),
        ("_No response_", "says only 'No response'"),
        ("<!-- Describe how you tested -->", "is empty"),
        ("Describe the tests that you ran to verify your changes.", "template's guidance"),
        ("<describe your tests here>", "template's guidance"),
        ("[Add test commands]", "template's guidance"),
        ("How was this tested?", "template's guidance"),
        ("Closes #12", "issue reference"),
        ("🤖 Generated with [Claude Code](https://claude.com/claude-code)", "is empty"),
    ],
)
def test_sections_that_say_nothing(text: str, reason: str) -> None:
    evidence = parse_evidence(f"## Summary\nReal change.\n\n## Testing\n{text}\n\n## Risks\nReal risk.")
    assert evidence.empty == ("tests_run",) and not evidence.has("tests_run")
    assert any(
        note.startswith("Tests run: section 'Testing' (line 4)") and reason in note for note in evidence.notes
    )


@pytest.mark.parametrize(
    "text",
    [
        "No known risks; the change is a pure rename.",
        "Add a `--since` filter so you can resume exports.",
        "List view now sorts by date.",
        "Note that you must run the migration first.",
    ],
)
def test_real_content_is_not_mistaken_for_a_placeholder(text: str) -> None:
    assert parse_evidence(f"## Risks\n{text}").has("uncertainty")
    assert parse_evidence(f"## Summary\n{text}").has("what_changed")


def test_an_open_question_is_content_where_questions_belong() -> None:
    assert parse_evidence("## Open questions\nShould this PR also bump the version?").has("uncertainty")
    assert not parse_evidence("## Testing\nDid you run the tests?").has("tests_run")


def test_section_text_is_bounded() -> None:
    evidence = parse_evidence("## Summary\n" + "word " * 5000)
    text = evidence.sections["what_changed"].text
    assert len(text) < SECTION_TEXT_LIMIT + 100 and text.endswith("more characters not shown)")


# Test claims.


@pytest.mark.parametrize(
    ("line", "claim"),
    [
        ("- [x] `pytest -q` ✅", ("pytest -q", "passed")),
        ("- [x] `pytest -q`", ("pytest -q", "passed")),
        ("- [ ] `pytest -q`", ("pytest -q", "planned")),
        ("- [ ] Verify `pytest` passes", ("pytest", "planned")),
        ("- `npm test` *(fails: command not found)*", ("npm test", "not_run")),
        ("- ❌ `pnpm lint` — missing script: lint", ("pnpm lint", "not_run")),
        ("1. Open Settings and verify the toggle works", (None, "planned")),
        ("- `npm test` should pass once #12 lands", ("npm test", "planned")),
        ('- [ ] Send a raw request — expect `{"success": false}`', (None, "planned")),
        ("- Navigate to `/admin` and confirm the page loads", (None, "planned")),
        ("- ❌ `npm test` (2 failing)", ("npm test", "failed")),
        ("- `go test ./...` fails on main too", ("go test ./...", "failed")),
        ("- `go test ./...` (previously failing, now passes)", ("go test ./...", "passed")),
        ("- `pytest`: 40 passed, 2 skipped, 0 failed", ("pytest", "passed")),
        ("- ⚠️ `npm run e2e` could not run: no browser in the sandbox", ("npm run e2e", "not_run")),
        ("- ⚠️ `npm run e2e` (fails: timeout in login.spec)", ("npm run e2e", "failed")),
        ("- ❌ `make docker` — skipped, Docker is not installed", ("make docker", "not_run")),
        ("All tests pass", (None, "passed")),
        ("CI is green", (None, "passed")),
        ("- pytest -q tests/unit — all green", ("pytest -q tests/unit", "passed")),
        ("- Ran cargo test --workspace and it passed", ("cargo test --workspace", "passed")),
        ("- python -m pytest -q backend", ("python -m pytest -q backend", "unknown")),
        ("| `tox -e py311` | ✔️ |", ("tox -e py311", "passed")),
        ("- ✅ `$ make lint`", ("make lint", "passed")),
        ("- `pnpm test` 全部通过", ("pnpm test", "passed")),
        ("- `npm test` テスト失敗", ("npm test", "failed")),
        ("- `mvn verify` não executado", ("mvn verify", "not_run")),
    ],
)
def test_claim_lines(line: str, claim: tuple[str | None, str]) -> None:
    assert found(parse_evidence(f"## Testing\n{line}")) == [claim]


@pytest.mark.parametrize(
    "line",
    [
        "Added unit tests for the parser.",
        "| Command | Result |",
        "|---|---|",
        "Tested on macOS 14 and Ubuntu.",
        "- Updated the `sqlmodel.md` tests to verify the fix works",
        "- `tests/fixtures/empty-input/` covers the empty case",
    ],
)
def test_lines_that_claim_nothing(line: str) -> None:
    evidence = parse_evidence(f"## Testing\nManual check of the export screen.\n\n{line}")
    # the section says testing happened, with no outcome: one claim of its own, nothing from the line
    assert evidence.has("tests_run") and found(evidence) == [(None, "unknown")]
    assert evidence.tests[0].text == "Manual check of the export screen."


def test_fenced_session_commands_take_their_result_from_the_output() -> None:
    body = (
        "## Testing\n```console\n$ ruff check .\nAll checks passed!\n$ pytest -q\n..F\n"
        "FAILED tests/test_a.py::test_x - AssertionError\n1 failed, 2 passed in 0.1s\n$ mypy app\n```"
    )
    assert found(parse_evidence(body)) == [
        ("ruff check .", "passed"),
        ("pytest -q", "failed"),
        ("mypy app", "unknown"),
    ]


def test_fenced_command_list_without_prompts() -> None:
    body = "## Testing\n```bash\n# unit\nmake test\ncargo clippy -- -D warnings\n```"
    assert found(parse_evidence(body)) == [
        ("make test", "unknown"),
        ("cargo clippy -- -D warnings", "unknown"),
    ]


def test_a_result_line_before_a_block_lends_it_its_result() -> None:
    body = "## Testing\nAll green ✅:\n```sh\nmake test\nmake lint\n```"
    assert found(parse_evidence(body)) == [("make test", "passed"), ("make lint", "passed")]


def test_code_samples_in_a_tests_section_are_not_commands() -> None:
    body = "## Testing\nAdded:\n```python\ndef test_x():\n    assert run() == 1\n```"
    assert parse_evidence(body).tests == ()


def test_prose_claims_count_when_there_is_no_tests_section() -> None:
    evidence = parse_evidence(
        "Fixes the crash on empty input.\n\nI ran `go test ./...` and everything passed."
    )
    assert found(evidence) == [("go test ./...", "passed")]
    assert evidence.sections["tests_run"].heading == ""


def test_prose_does_not_turn_identifiers_into_commands() -> None:
    evidence = parse_evidence("Rename `per_page` to `page_size`. Tests pass.")
    assert found(evidence) == [(None, "passed")]


def test_prose_about_tests_is_not_a_claim() -> None:
    assert parse_evidence("## Summary\n- Add tests for the parser\n- Run the formatter on save").tests == ()


def test_claims_are_deduplicated_and_bounded() -> None:
    lines = "\n".join(f"- `pytest -k case{i}` ✅" for i in range(300))
    evidence = parse_evidence(f"## Testing\n- `pytest` ✅\n- `pytest` ✅\n{lines}")
    assert len(evidence.tests) == 100 and found(evidence)[:2] == [
        ("pytest", "passed"),
        ("pytest -k case0", "passed"),
    ]
    assert any("test claims; kept the first 100" in note for note in evidence.notes)


def test_every_claim_result_is_one_of_the_five() -> None:
    for body_path in BODIES:
        assert {claim.result for claim in parse_file(body_path).tests} <= RESULTS


# Tokens: the agentbudget block and the commit trailers.


def block(text: str) -> Evidence:
    return parse_evidence(f"## Summary\nx\n\n```agentbudget\n{text}\n```")


@pytest.mark.parametrize(
    ("value", "count"),
    [
        ("182340", 182340),
        ('"182,340"', 182340),
        ("182k", 182000),
        ("1.2M", 1200000),
        ("'182 340'", 182340),
        ("~9.4k", 9400),
        ("182340.0", 182340),
        ("1_000", 1000),
        ("12,000 tokens", 12000),
    ],
)
def test_block_counts_tolerate_how_people_write_numbers(value: str, count: int) -> None:
    evidence = block(f"input_tokens: {value}")
    assert evidence.tokens is not None and evidence.tokens.input_tokens == count, evidence.notes


@pytest.mark.parametrize(
    ("value", "micros"),
    [
        ("0.42", 420000),
        ('"$0.42"', 420000),
        ("'0,42'", 420000),
        ("1", 1000000),
        ("0.0000015", 2),
        ("12 USD", 12000000),
    ],
)
def test_block_cost_is_micro_dollars(value: str, micros: int) -> None:
    evidence = block(f"cost_usd: {value}")
    assert evidence.tokens is not None and evidence.tokens.cost_usd_micros == micros, evidence.notes


@pytest.mark.parametrize(
    ("value", "note"),
    [
        ("-5", "is negative"),
        ("1e13", "above 10^12"),
        ("10000000000000", "above 10^12"),
        ("true", "not a number"),
        ("[1, 2]", "not a number"),
        (".inf", "not a finite number"),
        ("2024-01-01", "not a number"),
    ],
)
def test_block_rejects_bad_counts_with_a_note_and_keeps_the_rest(value: str, note: str) -> None:
    evidence = block(f"output_tokens: 7\ninput_tokens: {value}")
    assert evidence.tokens is not None
    assert (evidence.tokens.input_tokens, evidence.tokens.output_tokens) == (None, 7)
    assert any(note in line for line in evidence.notes), evidence.notes


@pytest.mark.parametrize(
    "text",
    [
        "input_tokens: [1, 2",
        "!!python/object/apply:os.system ['echo hi']",
        "a: &a [*a, *a]\nb: &b [*a, *a]\nc: [*b, *b, *b]",
        "[" * 3000,
        "input_tokens: " + "[" * 40 + "1" + "]" * 40,
        "- " * 3000 + "x",
        "input_tokens: " + "9" * 5000,
        "- 1\n- 2",
        "just a string",
        "x" * 9000,
    ],
)
def test_hostile_blocks_are_notes_not_crashes(text: str) -> None:
    evidence = parse_evidence(f"```agentbudget\n{text}\n```")
    assert evidence.tokens is None and evidence.notes


def test_block_aliases_and_sessions_summed() -> None:
    evidence = block(
        "- {agent: a, model: m1, prompt_tokens: 10, completion_tokens: 2}\n- {agent: a, model: m2, input: 5}"
    )
    assert evidence.tokens is not None
    assert (evidence.tokens.agent, evidence.tokens.model) == ("a", "m1, m2")
    assert (evidence.tokens.input_tokens, evidence.tokens.output_tokens) == (15, 2)


def test_first_block_wins_and_later_ones_are_noted() -> None:
    evidence = parse_evidence("```agentbudget\ninput_tokens: 1\n```\n```agentbudget\ninput_tokens: 2\n```")
    assert evidence.tokens is not None and evidence.tokens.input_tokens == 1
    assert any("2 agentbudget blocks" in note for note in evidence.notes)


def test_yaml_info_string_with_agentbudget_is_the_block() -> None:
    evidence = parse_evidence("```yaml agentbudget\noutput_tokens: 3\n```")
    assert evidence.tokens is not None and evidence.tokens.output_tokens == 3


@pytest.mark.parametrize(
    ("trailer", "fields"),
    [
        ("Agent-Tokens: input=1234 cached=100 output=56", (1234, 100, None, 56, None)),
        ("Agent-Tokens: 1234 in / 56 out", (1234, None, None, 56, None)),
        ("agent-tokens: 1.2k in / 300 cached / 80 out / $0.01", (1200, 300, None, 80, 10000)),
        ("Agent-Tokens: input: 8,500, output: 700, cache_write: 20", (8500, None, 20, 700, None)),
        ("Agent-Tokens: in=10 out=2 cost=0.5", (10, None, None, 2, 500000)),
    ],
)
def test_trailer_forms(trailer: str, fields: tuple[int | None, ...]) -> None:
    tokens = parse_evidence("", [f"subject\n\nbody\n\n{trailer}"]).tokens
    assert tokens is not None and tokens.source == "trailers"
    assert (
        tokens.input_tokens,
        tokens.cached_input_tokens,
        tokens.cache_write_tokens,
        tokens.output_tokens,
        tokens.cost_usd_micros,
    ) == fields


def test_trailers_sum_across_commits_and_collect_models() -> None:
    commits = [
        "a\n\nAgent-Model: m1\nAgent-Tokens: input=1 output=1",
        "b\n\nAgent-Model: m2\nAgent-Name: aider\nAgent-Tokens: input=2 output=2",
        "c\n\nAgent-Model: m1\nAgent-Tokens: input=4",
    ]
    tokens = parse_evidence(None, commits).tokens
    assert tokens is not None
    assert (tokens.input_tokens, tokens.output_tokens, tokens.model, tokens.agent) == (
        7,
        3,
        "m1, m2",
        "aider",
    )


def test_unreadable_trailers_and_model_only_trailers_are_noted() -> None:
    evidence = parse_evidence("", ["a\n\nAgent-Tokens: lots\nAgent-Tokens: input=-3"])
    assert evidence.tokens is None
    assert any("names no count" in note for note in evidence.notes)
    assert any("is negative" in note for note in evidence.notes)
    evidence = parse_evidence("", ["a\n\nAgent-Model: gpt-5"])
    assert evidence.tokens is None and any("without Agent-Tokens" in note for note in evidence.notes)


def test_trailer_sums_saturate_instead_of_overflowing() -> None:
    tokens = parse_evidence("", [f"c{i}\n\nAgent-Tokens: input=900000000000" for i in range(5)]).tokens
    assert tokens is not None and tokens.input_tokens == 10**12


# Hostile bodies: bounded output, no crash. Their cost is measured in bench/evidence.py, as a ratio.


ADVERSARIAL = {
    "100k hashes": "#" * 100_000,
    "100k hashes then text": "#" * 100_000 + " Testing",
    "10k headings": "".join(f"## Testing {i}\n- `pytest -k t{i}` ✅\n" for i in range(10_000)),
    "10k same headings": "## Summary\nx\n" * 10_000,
    "nested fences": "".join("`" * (3 + i) + "\n" for i in range(2000)) + "## Testing\n",
    "fence runs": "```" * 100_000,
    "bracket runs": "[" * 500_000 + "](" * 100_000,
    "checkbox runs": "- [x] " * 100_000,
    "comment openers": "<!--" * 200_000,
    "comment pairs": "<!---->" * 100_000,
    "details opens": "<details>" * 100_000,
    "summary tags": "<summary>" * 100_000,
    "details nesting": "<details>\n<summary>Testing</summary>\n" * 20_000 + "</details>\n" * 20_000,
    "bold runs": "**" * 300_000,
    "underscores": "_" * 600_000,
    "backtick runs": "` " * 300_000,
    "setext pile": "Summary\n" * 50_000 + "=====\n",
    "quote depth": ">" * 500_000 + " ## Testing",
    "long line": "Testing: " + "a " * 400_000,
    "tabs and spaces": " \t" * 400_000,
    "zero width": "\u200b" * 300_000,
    "bidi": "## \u202eTesting\u202c\n" * 20_000,
    "combining": "## Te" + "\u0301" * 300_000 + "sting",
    "html tags": "<h2>" * 200_000,
    "list of colons": "Testing:" * 100_000,
    "dollar prompts": "## Testing\n```console\n" + "$ " * 300_000 + "\n```",
    "many claims": "## Testing\n" + "- `pytest` ✅ ❌ ⚠️ pass fail skipped\n" * 30_000,
    "issue refs": "## Testing\n" + "Fixes #1, " * 100_000,
    "generated-with": "## Summary\n" + "generated with " * 60_000,
    "crlf": "## Summary\r\n" + "x\r\n" * 300_000,
    "nul": "\x00" * 500_000,
    "open code span": "## Testing\n- `python -m\n" + "pytest x `a` failing `b`/`c`/`d`\n" * 100_000,
    "kept words": "## Summary\n" + ("keeps " + "x-" * 900 + "ed unmodified behaviour preserved\n") * 500,
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_bodies_give_bounded_evidence(name: str) -> None:
    evidence = parse_evidence(ADVERSARIAL[name])
    assert len(evidence.tests) <= 100
    assert all(len(section.text) < SECTION_TEXT_LIMIT + 100 for section in evidence.sections.values())


def test_huge_body_is_cut_with_a_note() -> None:
    body = "## Summary\nx\n" + "filler line\n" * 200_000 + "## Testing\n- `pytest` ✅\n"
    evidence = parse_evidence(body)
    assert len(body) > MAX_BODY_CHARS
    assert any(note.startswith(f"body is {len(body):,} characters") for note in evidence.notes)
    assert not evidence.has("tests_run")


def test_many_huge_commit_messages_are_bounded() -> None:
    commits = tuple("x\n\n" + "Agent-Tokens: input=1\n" * 20_000 for _ in range(300))
    evidence = parse_evidence("", commits)
    assert evidence.tokens is not None and evidence.tokens.input_tokens is not None
    assert any("first 250 of 300 commits" in note for note in evidence.notes)


# Fuzzing: any text parses, quickly, into a well-formed result.

MARKDOWN_PIECES = st.sampled_from(
    [
        "## Testing",
        "# Summary",
        "### Not changed",
        "Risks",
        "=====",
        "-----",
        "---",
        "***",
        "```",
        "````",
        "~~~",
        "```agentbudget",
        "```console",
        "$ pytest -q",
        "3 passed",
        "1 failed",
        "- [x] `pytest` ✅",
        "- [ ] `npm test`",
        "❌ `make`",
        "⚠️ could not run",
        "**Testing:**",
        "__Risks__",
        "Testing:",
        "<!--",
        "-->",
        "<details>",
        "</details>",
        "<summary>Test output</summary>",
        "<summary>Original prompt",
        "<h2>Summary</h2>",
        "> ",
        ">> ## Risks",
        "N/A",
        "TBD",
        "input_tokens: 12k",
        "output_tokens: -1",
        "cost_usd: $0.1",
        "[",
        "]",
        "`",
        "\u200b",
        "\u202e",
        "\ufeff",
        "\r",
        "\t",
        "    ",
        "🧪",
        "テスト",
    ]
)


def assert_well_formed(evidence: Evidence) -> None:
    assert set(evidence.sections) <= set(SECTION_KEYS[:4])
    assert not set(evidence.sections) & set(evidence.empty)
    assert set(evidence.empty) <= set(SECTION_KEYS)
    assert all(claim.result in RESULTS for claim in evidence.tests)
    assert len(evidence.tests) <= 100
    if evidence.tokens is not None:
        for value in (
            evidence.tokens.input_tokens,
            evidence.tokens.cached_input_tokens,
            evidence.tokens.cache_write_tokens,
            evidence.tokens.output_tokens,
            evidence.tokens.cost_usd_micros,
        ):
            assert value is None or 0 <= value <= 10**12
    assert missing(evidence, SECTION_KEYS) == tuple(key for key in SECTION_KEYS if not evidence.has(key))


FUZZ = settings(max_examples=300, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(max_size=3000), st.lists(st.text(max_size=300), max_size=5))
def test_fuzz_any_text(body: str, commits: list[str]) -> None:
    assert_well_formed(parse_evidence(body, commits))


@FUZZ
@given(
    st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=20)), max_size=200), st.sampled_from(["\n", " ", ""])
)
def test_fuzz_markdown_shaped_text(pieces: list[str], joiner: str) -> None:
    assert_well_formed(parse_evidence(joiner.join(pieces)))


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(
            ["agent", "model", "input_tokens", "cached", "output", "cost_usd", "cache_write_tokens", "x"]
        ),
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30)),
        max_size=7,
    )
)
def test_fuzz_agentbudget_values(values: dict[str, object]) -> None:
    lines = "\n".join(f"{key}: {json.dumps(value)}" for key, value in values.items())
    assert_well_formed(block(lines))


@FUZZ
@given(st.lists(st.text(alphabet="Agent-Tokens:=inputcachedoutk$.,/ 0123456789\n", max_size=120), max_size=6))
def test_fuzz_trailers(commits: list[str]) -> None:
    assert_well_formed(parse_evidence("", commits))


@pytest.mark.parametrize(
    ("body", "key", "present"),
    [
        (
            "## Summary\nAdds retries.\n\nThe CI workflow is intentionally omitted from this change.",
            "not_changed",
            True,
        ),
        ("## Summary\nAdds retries.\n\nThe public API is unchanged.", "not_changed", True),
        ("## Summary\nAdds retries.\n\nNo API change; out of scope: the CLI.", "not_changed", True),
        ("## Summary\nAdds retries to `fetch.py` and its tests.", "not_changed", False),
        ("## Summary\nRewrites the README.\n\nExisting content was preserved.", "not_changed", True),
        ("## Summary\nAdds an agent guide.\n\nNo runtime behaviour changes.", "not_changed", True),
        ("## Summary\nAdds a skill doc.\n\nDocs only, no build/test impact.", "not_changed", True),
        ("## Summary\nAdds a screenshot.\n\nNo code or tests affected.", "not_changed", True),
        ("## Summary\nChecked the suite without making unnecessary file changes.", "not_changed", True),
        ("## 改动\n加入新路径。\n\n文件不存在时自动跳过，因此对其他用户零影响。", "not_changed", True),
        ("## Summary\nThe flag exits without touching the bucket.", "not_changed", False),
        ("## 实测\nWindows 11 上实测，背景正常显示。", "tests_run", True),
        ("## Summary\nRefreshes the review.\n\nI kept your structure and voice.", "not_changed", True),
        ("## Summary\nRefreshes the review; changed only the paragraphs that aged.", "not_changed", True),
        (
            "## Summary\nAdds a link.\n\nHappy to be told where it should read differently.",
            "uncertainty",
            True,
        ),
        ("## Summary\nAdds a link.\n\nThe existing tests don't specifically verify it.", "uncertainty", True),
        (
            "## Summary\nAdds a link.\n\nEnd-to-end testing with a real session is recommended.",
            "uncertainty",
            True,
        ),
        ("## Summary\nReview started: 8 modules reviewed, 0 fixed yet.", "uncertainty", True),
        ("## Summary\nBumps deps.\n\nTest failures in `a.test.ts` are pre-existing.", "uncertainty", True),
        ("## 变更说明\n新增统计。\n\n- 摘要中间件的调用暂未计入该统计。", "uncertainty", True),
        ("## Summary\nAdds retries; all tests pass.", "uncertainty", False),
        (
            "## Summary\nAdds retries.\n\n> [!WARNING]\n> The backoff is not tested under load.",
            "uncertainty",
            True,
        ),
        ("## Summary\nAdds retries.\n\n> [!NOTE]\n> Docs follow.", "uncertainty", False),
        (
            "## Summary\nAdds retries.\n\n## Issues identified\n- The cache may serve stale data.",
            "uncertainty",
            True,
        ),
    ],
)
def test_prose_and_callouts_count_as_sections(body: str, key: str, present: bool) -> None:
    assert parse_evidence(body).has(key) is present


@pytest.mark.parametrize(
    ("body", "present"),
    [
        ("# Add a --since filter\n\nThis adds a --since flag to the export command.", True),
        ("Jules was unable to complete the task in time. Please review the work done so far.", False),
        ("https://www.example.com/engineering/best-practices", False),
        (
            "# Pull Request Template\n\n## Description\n\nFixes [CW-1](https://linear.app/x/issue/CW-1/y)",
            False,
        ),
        ("Ajoute un filtre --since à la commande d'export.", True),
        ("エクスポートに --since フィルタを追加しました。", True),
        # Nothing said of the change: an issue reference, a resolution claim, a credit line, a non-change.
        (
            "This pull request fixes #193.\n\nThe issue has been resolved.\n\nAutomatic fix generated by Bot",
            False,
        ),
        ("Fixes:\n```\nTraceback (most recent call last):\n```", False),
        ("No API changes.", False),
        ("Fixes #12 by retrying the upload when the token expired.", True),
    ],
)
def test_opening_prose_is_what_changed_only_when_it_describes_a_change(body: str, present: bool) -> None:
    assert parse_evidence(body).has("what_changed") is present


def test_agent_stub_markers_are_agent_signals() -> None:
    from dataclasses import replace

    from checks.agents import detect_agent
    from config.model import Config
    from tests.test_agents import PULL

    agents = Config().review.agents
    stub = "Please review the work done so far and provide feedback for Jules to continue."
    assert detect_agent(agents, replace(PULL, body=stub)).kind == "marker"
    assert (
        detect_agent(agents, replace(PULL, body="Made by [Open SWE](https://example.com)")).kind == "marker"
    )
