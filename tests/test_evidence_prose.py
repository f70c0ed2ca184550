"""What a body says outside its sections: not-changed statements and uncertainty, as written in prose."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence

SUMMARY = "## Summary\nAdds retries to the HTTP client.\n\n"


@pytest.mark.parametrize(
    "text",
    [
        "Fixes a typo in the release workflow, no real change to the site.",
        "This is a documentation-only change.",
        "None, test-only change, no version bump.",
        "The FAQ now explains both forms and preserves the\nexisting guidance.",
        "The change maintains all existing functionality.",
        "- Keep the existing result check intact",
        "The existing release-notes guidance is kept.",
        "The `Client` wrapper stays in the public API.",
        "Older behaviours are unchanged.",
        "Every change is additive and confined to `raw`.",
        "- Without a proxy set → behavior unchanged.",
        "The upstream parser is vendored unmodified.",
        "The fallback for a closed socket is preserved.",
        "- Maintains backward compatibility for explicit ports",
        "The v1 client retains full retry functionality.",
        "Swaps the global for a cache while keeping the same lazy setup.",
        "Moves reads to REST. Preserve the flag surface and the size guard.",
        "- Preserve header checks for missing values.",
        "Signing flags are not included.",
        "Adds the field to the schema. No handler behavior is changed.",
        "Other commands continue to ignore it.",
        "Protocol v1 is still supported by the extension for older clients.",
        "The rejection is still re-thrown, so callers keep their recovery path.",
        "An explicitly empty list stays valid, pinned by a test.",
        "Makes 6.2 the default while keeping 6.1 installed.",
        "Keeps the legitimate fix in place for the other providers.",
        "Lockfiles only; the diff has no other churn.",
        "This is a development-only dependency change.",
        "The guidance is identical to the old file.",
        "Renames the guide; no content changes.",
        "Docs-only — no version bump.",
        "Adds the guide. No version bump, the release carries it.",
        "Adds the toggle. No provider/runtime wiring changes.",
        "- Low\n- No production code changes, only dev pages",
        "Docs guidance; no application, auth, or runtime code changes.",
        "Prompt-only change plus six prompt tests; no schema, API or contract change.",
        "Sets up the agent environment. No application code was changed.",
        "Cosmetic change only.",
        "The remaining sections are outside the scope of this PR.",
        "We'll also leave it in settings too.",
        "I didn't fix _all_ of the clippy warnings, as some of them are non-trivial.",
        "Scoped so the fleet-wide default model never changes for any other task.",
        "Pinned commits are the current releases, so CI runs the same code.",
        "- **No documentation is lost**: the deep-dive sections move to `docs/`.",
        "No product behavior changes are intended.",
        "Production code still uses legacy `prms`; the swap is #453.",
    ],
)
def test_not_changed_stated_in_prose(text: str) -> None:
    evidence = parse_evidence(SUMMARY + text)
    assert evidence.has("not_changed") and evidence.sections["not_changed"].heading == ""


@pytest.mark.parametrize(
    "text",
    [
        "- On an API failure, skip individuals (warn), teams unchanged.",
        "Docs-only and other small PRs no longer hit the slow job.",
        "## Checklist\n- [x] Accounted for backwards compatibility (no breaking changes!)",
        "## Tests\n- Stored entries are kept when the feature stays enabled.",
        "For backwards compatibility with old servers, the client now sends both headers.",
        "This breaks backward compatibility for callers of `connect`.",
        "The handler does not apply to any dialog, so it is not limited to settings.",
        "* fix(editor): preserve soft wraps on paste",
        "The old labels will continue to work, with new meanings.",
        "The old flags will still work after the rename.",
        "The job still fails on Windows.",
        "The yes/no toggle changes colour when pressed.",
        "Leave the cursor at the end of the line.",
        "The cache never expires entries on its own, so this adds a TTL.",
    ],
)
def test_not_changed_is_not_read_from_behaviour_or_a_template_checklist(text: str) -> None:
    assert not parse_evidence(SUMMARY + text).has("not_changed")


@pytest.mark.parametrize("heading", ["Backward compatibility", "Backwards compat"])
def test_a_backward_compatibility_heading_is_not_changed(heading: str) -> None:
    evidence = parse_evidence(f"{SUMMARY}## {heading}\n- Old callers still match.")
    assert evidence.has("not_changed") and evidence.sections["not_changed"].heading == heading


@pytest.mark.parametrize(
    ("heading", "left"),
    [
        # work left for later is open and, by the same words, not done in this change
        ("Future work", True),
        ("Follow-ups", True),
        ("Follow up", True),
        ("Follow-up TODOs", True),
        ("Next steps", True),
        ("Behavior change", False),
    ],
)
def test_future_work_and_behaviour_change_headings_are_uncertainty(heading: str, left: bool) -> None:
    evidence = parse_evidence(f"{SUMMARY}## {heading}\n- Poll for results when the wait times out")
    assert evidence.has("uncertainty") and evidence.has("not_changed") is left


def test_an_empty_follow_ups_heading_leaves_nothing_for_later() -> None:
    assert not parse_evidence(f"{SUMMARY}## Follow-ups\nN/A\n").has("not_changed")


@pytest.mark.parametrize(
    ("text", "uncertain"),
    [
        ("These rules might be too restrictive, or maybe not.", True),
        ("I'm not sure whether the cache should be per tab.", True),
        ("Unclear whether older servers send the header.", True),
        ("One open question: should the limit be configurable?", True),
        ("Retrying those is arguably more correct.", True),
        ("Two narrowings, noted in case anyone relied on the old edge:", True),
        ("* add the flag\n\n* WIP lockout\n\n* fix merge", True),
        ("- TODO: wire the flag into the CLI", True),
        ("* temp: skip billing for now", True),
        ("- Removes the WIP banner and the todo: list parser", False),
        ("Adds a fallback in case someone passes `None`.", False),
        ("Calls `maybe_create_span` directly.", False),
        ("Users might want a longer timeout, so it is configurable.", False),
        ("Picks arm64 as the sample; I'd be happy to take suggestions on another.", True),
        ("Did this break you? Roll it back.", True),
        ("Caching the index could be done as a follow up.", True),
        ("Caching the index is a needed follow-up.", True),
        ("The slow endpoints are deferred to later design.", True),
        ("A more permanent fix might be reading the header.", True),
        ("The fixed list will probably regress as releases change.", True),
        ("* Still have not quite got this working", True),
        ("I am unhappy with this, it copies a helper.", True),
        ("Follow-up to #12: renames the flag.", False),
        ("The answer wakes the parent for a follow-up turn.", False),
        ("- 9/10 tests pass (1 timeout failure not our fault)", True),
        ("Two pre-existing failures in the e2e job remain.", True),
        ("Handles a failure of the upload by retrying.", False),
        ("43 passed; 37 pre-existing Windows tempdir errors.", True),
        ("I was wondering if they went missing in a bad merge.", True),
        ("Documents the unbounded-growth tradeoff as a demo simplification.", True),
        ("Publishes by hand; will switch to automatic once proven.", True),
        ("The v1 bridge will be removed later.", True),
        ("I added a CDP test for now to cover this bug.", True),
        ("Adds an error page for the upload form.", False),
        ("These can be merged without (hopefully!) breaking anything.", True),
        ("Potential risk: the cache could go stale after an upgrade.", True),
        ("Follow-up (separate change): bump the test runner.", True),
        ("Could do with another human spot check.", True),
        ("This could use a second pair of eyes on the retry path.", True),
        ("Could use the cached index instead.", False),
        ("Just a typo fix. I didn't test the change.", True),
        ("Codex couldn't run certain commands due to environment limitations.", True),
        ("Runs the linter with the environment settings.", False),
        ("- `cargo test x` *(fails on this host due to disk full, not due to a logic regression)*", True),
        ("The third block addresses the known gap: nothing sets the field yet.", True),
        ("- Known limitations and technical debt (9 items)", False),
        ("I don't have any experience with this code so someone should probably review this.", True),
        ("これが適切かどうか自信はないので、コメントください。", True),
        ("Added claude to models. Very experimental. Mostly untested.", True),
        ("There are still incomplete sections in the docs.", True),
        ("Adds an experimental flag for the new parser.", False),
        ("I didn't fix _all_ of the clippy warnings, as some are non-trivial.", True),
        ("Let's see whether the rules work in practice.", True),
        ("There are some Python tests that I don't know how to run.", True),
        ("Users don't know how to configure the proxy, so this adds a guide.", False),
        ("Adds tests for the previously untested retry path.", False),
    ],
)
def test_an_authors_hedge_in_prose_is_uncertainty(text: str, uncertain: bool) -> None:
    assert parse_evidence(SUMMARY + text).has("uncertainty") is uncertain


@pytest.mark.parametrize(
    "body",
    [
        "翻译一篇关于 Claude Code token 成本的 X 长文（[@someone](https://x.com/someone)）。\n\n- 原文：<https://x.com/a/1>",
        "修复 `parse_config` 在 Windows 上读取 UTF-8 BOM 的问题，并新增 tests/test_config.py",
    ],
)
def test_chinese_opening_prose_mixed_with_english_names_says_what_changed(body: str) -> None:
    assert parse_evidence(body).has("what_changed")


def test_a_link_and_an_issue_reference_are_still_not_what_changed() -> None:
    assert not parse_evidence("Closes #33\n\nhttps://example.com/run/1").has("what_changed")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Backports the checks into the quick flow without changing its review contract.", True),
        ("Ignores local config files without affecting the repository.", False),
        ("## Test plan\n- N/A (documentation only)", True),
        ("## Test plan\n- [ ] Confirm no functional code changes, docs only", True),
        ("## Test plan\n- [x] No breaking changes", True),
        ("## Test plan\n- [ ] Test the normal flow still works", False),
        ("## Checklist\n- [x] No breaking changes", False),
        ("## Scope\n- docs-only README cleanup", True),
    ],
)
def test_not_changed_in_prose_and_in_the_authors_test_plan(text: str, kept: bool) -> None:
    assert parse_evidence(SUMMARY + text).has("not_changed") is kept


@pytest.mark.parametrize(
    "body",
    [
        "## Summary\ncopilot:summary\n\n## Changes\ncopilot:walkthrough\n",
        "## Is this a breaking change?\n\nIf yes, what workflow does this break?\n",
    ],
)
def test_copilot_tokens_and_a_templates_follow_up_question_say_nothing(body: str) -> None:
    evidence = parse_evidence(body)
    assert not evidence.has("what_changed") and not evidence.has("uncertainty")


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("The install path works as soon as org/plugin#5 merges.", True),
        ("Testing this out here before adding it to the shared config.", True),
        ("**NOTE** - The failure of the lint workflow is expected because this PR edits it.", True),
        ("… done so far and provide feedback for Jules to continue.", True),
        ("`npm run test:e2e` はコストがかかるため実行していません。", True),
        ("Runs once the queue merges its batches.", False),
        ("Once this merges, the tag is cut with `bin/release`.", False),
        ("Not 100% sure I have this right, but want to test.", True),
        ("Note that there aren't currently any real tests: it just lints.", True),
        ("There is no test coverage change.", False),
        ("The failure message now names the file.", False),
    ],
)
def test_doubt_in_prose_from_set_r(text: str, doubt: bool) -> None:
    assert parse_evidence(SUMMARY + text).has("uncertainty") is doubt


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("I'll mark this PR a draft while I work out which other tests need network.", True),
        ("Google sign-in is still to do, but I didn't know how we handle its setup.", True),
        ("We need to discuss that in the next meeting.", True),
        ("### DO NOT MERGE.", True),
        ("Marks the draft release as published.", False),
        ("I know how the cache is keyed now.", False),
    ],
)
def test_doubt_in_prose_from_set_t(text: str, doubt: bool) -> None:
    assert parse_evidence(SUMMARY + text).has("uncertainty") is doubt


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("- Default remains `openrouter` — zero changes for existing users", True),
        ("Zero impact for self-hosted installs.", True),
        ("The default is now `ollama`.", False),
        ("Unblocks the release (deploy never ran; PyPI untouched — the tag moves).", True),
        ("Untouched files are skipped by the linter.", False),
    ],
)
def test_not_changed_in_prose_from_set_t(text: str, kept: bool) -> None:
    assert parse_evidence(SUMMARY + text).has("not_changed") is kept


def _results(body: str) -> list[str]:
    return [t.result for t in parse_evidence(body).tests]


def test_sections_named_after_an_emoji_and_how_someone_could_check_is_a_plan() -> None:
    body = (
        "💡 What:\nMemoized the filtered list.\n\n🎯 Why:\nIt ran on every render.\n\n"
        "🔬 Measurement:\n- Verify that filtering still works by typing.\n"
        "- Confirmed no regressions via manual verification.\n"
    )
    evidence = parse_evidence(body)
    assert evidence.has("what_changed") and evidence.has("tests_run")
    assert _results(body) == ["planned", "passed"]
    bold = "💡 **What:** Wrapped the filter.\n\n🔬 **Measurement:** This can be verified with the profiler.\n"
    assert parse_evidence(bold).has("tests_run")
    assert _results(bold) == ["planned"]  # no false "passed"


@pytest.mark.parametrize(
    ("text", "results"),
    [
        ("Docs only. Suite 334 passed.", ["passed"]),
        ("Verified both ways: with fastapi → 5 passed; without, the module skips.", ["passed"]),
        ("The suite has 12 tests.", []),
    ],
)
def test_a_runners_count_of_passes_in_prose(text: str, results: list[str]) -> None:
    assert _results(SUMMARY + text) == results


def test_a_spanish_solution_heading_says_what_changed() -> None:
    body = "## ERROR\nEl tooltip se sale de la pantalla.\n## SOLUCIÓN\nSe ha reducido el tamaño del texto.\n"
    assert parse_evidence(body).has("what_changed")


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("This should fix the refresh, though I haven't been able to test it yet.", True),
        ("I'm somewhat unclear as to the mechanism for triggering refresh.", True),
        ("Why this happens I don't know yet - I'm still learning Gradle.", True),
        ("The tests here are by no means exhaustive.", True),
        ("Templates resolve from the base branch, so this can't be verified on this PR.", True),
        ("It is clear as to what the flag does.", False),
        ("The suite is exhaustive.", False),
    ],
)
def test_doubt_in_prose_from_set_u(text: str, doubt: bool) -> None:
    assert parse_evidence(SUMMARY + text).has("uncertainty") is doubt


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("No other sections of the template are changed.", True),
        ("Uses the built-in `csv` module — no new dependencies.", True),
        ("No other way to do this was found.", False),
        ("Adds new dependencies for parsing.", False),
        ("No new strings: this reuses two existing msgids.\n", True),
        ("No CHANGELOG entry is added, since the field ships in 3.23.\n", True),
        ("Mostly untouched (already had tool calling):\n- openai, azure\n", True),
        ("Rejected: Loosen /departments/tree authorization | would widen visibility\n", True),
        ("That manifest was not included in shard snapshots, so restores lost it.\n", False),
        ("The existing service test still passes with the moved rescue.\n", False),
        ("Confirm the suite still runs as it did.\n", True),
    ],
)
def test_not_changed_in_prose_from_sets_u_and_ao(text: str, kept: bool) -> None:
    assert parse_evidence(SUMMARY + text).has("not_changed") is kept


def test_a_test_the_author_could_not_take_yet_is_not_run_even_after_a_hedge() -> None:
    assert _results(SUMMARY + "This should fix it, though I haven't been able to test it yet.") == ["not_run"]
    assert _results(SUMMARY + "This should make the tests pass.") == []


def test_a_chromium_test_line_is_a_tests_section() -> None:
    body = "Improved unit test coverage\n\nTESTED=Unit tests\n"
    assert parse_evidence(body).has("tests_run")
    assert _results(body) == ["unknown"]


def test_a_risk_told_before_its_solution_is_the_problem_fixed() -> None:
    body = (
        "🎯 What: Fixes an XSS in the quick select.\n"
        "⚠️ Risk: A stored description could run script when rendered.\n"
        "🛡️ Solution: Escape the description before rendering.\n"
    )
    assert not parse_evidence(body).has("uncertainty")
    alone = "## Summary\nEscapes the description.\n\n## Risk\nOther renderers may still be affected.\n"
    assert parse_evidence(alone).has("uncertainty")


def test_a_credit_opens_its_line_and_a_body_may_open_after_it() -> None:
    sentence = (
        "Adds a rule: any review reply written by an AI agent must say so.\n\n"
        "🤖 Generated with [Claude Code](x)\n"
    )
    assert parse_evidence(sentence).has("what_changed")
    credit_first = "🤖 Generated with [Claude Code](x)\n\n---\n\nPin actions to commit SHAs using pinact\n"
    assert parse_evidence(credit_first).has("what_changed")
    assert not parse_evidence("🤖 Generated with [Claude Code](x)\n\n---\n\nThanks!\n").has("what_changed")


@pytest.mark.parametrize(
    ("text", "results"),
    [
        ("## Proof of Testing\n\nThese tests are not failing.", ["passed"]),
        ("The flaky spec no longer fails on CI.", ["passed"]),
        ("I am not able to test rn, I'll leave this PR as draft until it's tested.", ["not_run"]),
    ],
)
def test_results_from_set_v(text: str, results: list[str]) -> None:
    assert _results(SUMMARY + text) == results


def test_a_portuguese_tests_performed_label() -> None:
    body = "Corrigido o envio do texto.\n\nTestes realizados:\n- Execução da DAG de resumo\n"
    assert parse_evidence(body).has("tests_run")


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("Prompt get/rendering remains a follow-up because the surface only carries names.", True),
        ("Caching is left as a follow-up.", True),
        ("Addresses the follow-up from #12.", False),
    ],
)
def test_work_left_as_a_follow_up_is_an_open_item(text: str, doubt: bool) -> None:
    assert parse_evidence(SUMMARY + text).has("uncertainty") is doubt


@pytest.mark.parametrize(
    "text",
    [
        "### Screenshots\n\nNo changes for the users",
        "- Ensured backward compatibility with all existing functionality",
    ],
)
def test_not_changed_from_set_x(text: str) -> None:
    assert parse_evidence(SUMMARY + text).has("not_changed")


def test_a_ticked_manual_testing_box_in_a_checklist_is_a_pass() -> None:
    body = SUMMARY + "### Checklist\n\n- [x] Manual testing passed.\n- [ ] Automated tests added, or N/A.\n"
    assert "passed" in _results(body)


def test_russian_headings_and_results() -> None:
    body = (
        "## Что меняется\n\nПеревод проекта на uv.\n\n### Проверки\n\n"
        "- `uv sync` + `uv run pytest` — 129 тестов проходят.\n"
    )
    evidence = parse_evidence(body)
    assert evidence.has("what_changed") and evidence.has("tests_run")
    assert [(c.command, c.result) for c in evidence.tests] == [("uv run pytest", "passed")]
    failing = body.replace("тестов проходят", "тестов не проходят")
    assert [c.result for c in parse_evidence(failing).tests] == ["failed"]


@pytest.mark.parametrize(
    ("text", "results"),
    [
        (
            "## Checklist\n\n- [x] Rebased/mergeable\n- [ ] Local build passes (`npx hugo --quiet`)",
            ["planned"],
        ),
        ("## Checklist\n\n- [x] Local build passes (`npx hugo --quiet`)", ["passed"]),
        ("The build passes again after the pin.", ["passed"]),
    ],
)
def test_a_build_said_to_pass_is_a_claim(text: str, results: list[str]) -> None:
    assert _results(SUMMARY + text) == results


# Set Y (scored blind first): review bots' summaries, a sandbox that could not build, hedges and keeps.

BUGBOT = (
    "<!-- CURSOR_SUMMARY -->\n---\n\n> [!NOTE]\n> **Low Risk**\n"
    "> Test-only change; the CLI is untouched.\n>\n"
    "> The old value made the test fail.\n>\n> <sup>Reviewed by [Cursor Bugbot](https://cursor.com/bugbot)</sup>\n"
    "<!-- /CURSOR_SUMMARY -->\n"
)
CODERABBIT = (
    "<!-- This is an auto-generated comment: release notes by coderabbit.ai\n-->\n\n"
    "## Summary by CodeRabbit\n\n"
    "* **Known issues**\n* The old behaviour is preserved for now.\n\n"
    "<!-- end of auto-generated comment: release notes by coderabbit.ai -->\n"
)


@pytest.mark.parametrize(
    "bot", [BUGBOT, CODERABBIT, BUGBOT.replace("CURSOR_SUMMARY", "ELLIPSIS_HIDDEN").replace("/ELL", "ELL")]
)
def test_a_review_bots_summary_in_the_body_is_no_evidence(bot: str) -> None:
    body = SUMMARY + "## Validation\n\n- `cargo test`\n\n" + bot
    evidence = parse_evidence(body)
    assert not evidence.has("uncertainty") and not evidence.has("not_changed")
    assert _results(body) == ["unknown"]
    # the same words written by the author count
    assert parse_evidence(SUMMARY + "Known issues: the old behaviour is preserved for now.\n").has(
        "not_changed"
    )
    # a start marker without its end hides nothing
    unclosed = SUMMARY + "<!-- CURSOR_SUMMARY -->\n\n> [!WARNING]\n> Untested on Windows.\n"
    assert parse_evidence(unclosed).has("uncertainty")


def test_a_sandbox_that_could_not_build_leaves_the_tests_unrun_and_says_so() -> None:
    body = (
        SUMMARY + "## Testing\n\n`rustfmt --check` passes.\n\n> [!NOTE]\n"
        "> The authoring sandbox can't build the project (insufficient memory), so\n"
        "compile, clippy and tests are left to CI.\n"
    )
    evidence = parse_evidence(body)
    assert {t.result for t in evidence.tests} == {"passed", "not_run"}
    assert evidence.has("uncertainty")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Not sure which approach makes more sense here.", "uncertainty"),
        ("- retain the compact layout and continue excluding hidden aliases", "not_changed"),
    ],
)
def test_set_y_phrases(text: str, key: str) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has(key)


def test_the_before_half_of_a_before_and_after_write_up_is_no_failure() -> None:
    body = SUMMARY + (
        "## Testing\n\n**Before:** the replication test shard failed on nearly every PR.\n\n"
        "**After:** the assertions poll until the rows land, so they pass.\n"
    )
    assert _results(body) == ["passed"]
    assert "failed" in _results(SUMMARY + "## Testing\n\nThe replication test shard failed again.\n")


# Set Z (scored blind after set Y's rules).


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("A config with neither section is unaffected, which I checked separately.", "not_changed"),
        ("The behavior is correct and unchanged; only the description was wrong.", "not_changed"),
        ("This is not intended to change normal search behaviour.", "not_changed"),
        ("Registration failures are cached, matching the previous behavior.", "not_changed"),
        (
            "⚠️ **`commands.gen.go` was hand-applied, not regenerated** (no Go toolchain on this machine).",
            "uncertainty",
        ),
    ],
)
def test_set_z_phrases(text: str, key: str) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has(key)


def test_a_warning_sign_inside_a_sentence_is_no_warning() -> None:
    assert not parse_evidence(SUMMARY + "The lint step shows ⚠️ for style only.\n").has("uncertainty")


@pytest.mark.parametrize(
    ("text", "results"),
    [
        ("Verified with cargo +1.71 check -p tokio --features full (clean after this change).", ["passed"]),
        ("The healthcheck suites pass, gofmt and vet clean.", ["passed"]),
    ],
)
def test_set_z_claims(text: str, results: list[str]) -> None:
    assert _results(SUMMARY + text + "\n") == results


def test_a_templates_numbered_question_heads_its_answer() -> None:
    body = SUMMARY + "## Checklist\n\n1. Closes #12\n\n2. How was this tested:\n\nunit-test and local run.\n"
    evidence = parse_evidence(body)
    assert evidence.has("tests_run")
    assert _results(body) == ["unknown"]


# Set AA (scored blind after set Z's rules).


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Matching rules that aren't implemented are: tls_context, filter_state.", "not_changed"),
        ("The fallback reads dim text, preserving the stable worktree assertions.", "not_changed"),
        ("runtime_fraction: this will be implemented when rtds is implemented.", "uncertainty"),
    ],
)
def test_set_aa_phrases(text: str, key: str) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has(key)


@pytest.mark.parametrize(
    ("text", "results"),
    [
        (
            "Verified by deleting that accumulation: `OverLength_WritesFile` fails without it and passes "
            "with it restored. The unit tests pass.",
            ["passed"],
        ),
        ("Adds direct unit tests for retry cleanup and failed-test argument rebuilding.", []),
        ("The unit tests failed on CI.", ["failed"]),
    ],
)
def test_a_mutation_check_and_a_compound_name_are_no_failure(text: str, results: list[str]) -> None:
    assert _results(SUMMARY + text + "\n") == results


# Set AC (scored blind after set AB's rules).


@pytest.mark.parametrize(
    "text",
    [
        "we (devinfra) can't measure this yet but this would help queue pressure",
        "- Manual verification on Windows required for special characters",
        "- Full unit suite: 10,105 passed; 3 unrelated terminal-width assertions fail locally",
    ],
)
def test_set_ac_hedges(text: str) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("uncertainty")


def test_a_qualified_label_heads_its_section() -> None:
    body = (
        SUMMARY + "Local checks run:\n\n- python -m pytest tests/test_x.py -q\n- python -m ruff check src\n"
    )
    evidence = parse_evidence(body)
    assert evidence.has("tests_run")
    assert _results(body) == ["unknown", "unknown"]


@pytest.mark.parametrize(
    ("text", "results"),
    [
        ("Includes 13 unit tests covering parse, persist, write-fail, and import-fail scenarios.", []),
        ("9. **コード品質**: ESLintエラー修正，TypeScriptコンパイル成功，テスト通過", ["passed"]),
    ],
)
def test_set_ac_claims(text: str, results: list[str]) -> None:
    assert _results(SUMMARY + text + "\n") == results


def test_a_clean_build_from_scratch_states_no_result() -> None:
    body = (
        SUMMARY
        + "## Testing\n\n- Clean Windows x64 Debug Schannel build\n- `*Pool*` test filter (13 tests)\n"
    )
    assert "passed" not in _results(body)
    assert _results(SUMMARY + "## Testing\n\n- Build is clean\n") == ["passed"]


# Set AE (scored blind after set AD's rules).


@pytest.mark.parametrize(
    "text",
    [
        "- No issue tracker access is available in this environment, so no ticket is linked.",
        "- The style guide named in the task is not reachable via `gh` either.",
        "The option names of the two backends are not yet consistent; both take a dict for now.",
        "## Tests\n\nNot run locally; the expected files were rewritten by the same script.",
    ],
)
def test_set_ae_hedges(text: str) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("uncertainty")


@pytest.mark.parametrize(
    "text",
    [
        "Before the fix, settings were not accessible in the worker thread.",
        "## Checklist\n\n> [!IMPORTANT]\n> Please check all the following items before a review.\n\n"
        "- [x] Read the guide",
        "> [!NOTE]\n> Make sure the title follows the convention.",
    ],
)
def test_set_ae_no_hedge(text: str) -> None:
    assert not parse_evidence(SUMMARY + text + "\n").has("uncertainty")


def test_a_warning_callout_of_the_author_is_still_uncertainty() -> None:
    body = SUMMARY + "> [!WARNING]\n> The migration locks the table for a minute.\n"
    assert parse_evidence(body).has("uncertainty")


def test_maintaining_identical_output_is_not_changed() -> None:
    body = "## What\n\n- Generates both files\n- Maintains identical output format\n"
    assert parse_evidence(body).has("not_changed")


@pytest.mark.parametrize(
    ("text", "results"),
    [
        (
            # a test written, and what it checks: no run (set AX's reading)
            "## Testing\n\nAdded a test case `test_runs_twice` that validates:\n- two tasks run in a row\n"
            "- the fix works with both termination conditions\n",
            [],
        ),
        (
            "## Testing\n\nRan `pytest`.\n\nAdded a test case `test_runs_twice` that validates:\n"
            "- two tasks run in a row\n- the fix works with both termination conditions\n",
            ["unknown"],
        ),
        (
            "## Coverage\n\nScenarios covered include empty results, successful results and truncation.\n",
            ["unknown"],
        ),
        (
            "## Testing\n\n- Added a test that validates:\n- the reset works\n\n`pytest -q` passes\n",
            ["passed"],
        ),
    ],
)
def test_set_ae_what_a_test_checks_is_no_result(text: str, results: list[str]) -> None:
    assert _results(SUMMARY + text) == results


def test_an_empty_template_with_a_placeholder_issue_says_nothing() -> None:
    body = "# PR Description\n\n## Reason & Detail\n\n## Related issue\n\nfix #X\n"
    assert not parse_evidence(body).has("what_changed")


def test_an_unticked_checklist_is_no_description() -> None:
    body = "##### Checklist\n\n- [ ] `npm test` passes\n- [ ] documentation is changed or added\n"
    assert not parse_evidence(body).has("what_changed")
    assert parse_evidence("- [x] Added the retry to the client\n").has("what_changed")


@pytest.mark.parametrize(
    ("text", "results"),
    [
        (
            "## Testing\n\n- Ran `npm run lint` and `npm run ts`; both failed due to the npm registry giving"
            " 403 for the tooling\n",
            ["not_run"],
        ),
        (
            "## Tests\n\n`cargo test -p worker` — 10 passed. New cases: oversized boundaries skipped in favor"
            " of the widest one.\n",
            ["passed"],
        ),
        ("## Testing\n\n- `npm test` failed: 2 assertions in the parser suite\n", ["failed"]),
    ],
)
def test_set_ae_results(text: str, results: list[str]) -> None:
    assert _results(SUMMARY + text) == results


# Set AF (scored blind after set AE's rules).


@pytest.mark.parametrize(
    "text",
    [
        "## Verification\n\n- [x] Only the root CLAUDE.md was modified — single focused change",
        "- Separately: the write timeout flag is a no-op in production today. Not addressed here.",
    ],
)
def test_set_af_not_changed(text: str) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("not_changed")


def test_a_request_to_double_check_is_uncertainty_and_no_result() -> None:
    body = (
        SUMMARY + "Tested locally with an eval run.\nPlease double check the region logic after the refactor "
        "still works the same\n"
    )
    assert parse_evidence(body).has("uncertainty")
    assert "passed" not in _results(body)


def test_a_walkthrough_of_the_code_reports_no_run() -> None:
    body = (
        "## What changed\n\nThe validator no longer throws on a malformed header.\n\n"
        "## Reviewer walkthrough\n\nThe second check may still run after the first one has failed, so it "
        "now returns true once the first check had already passed.\n\n"
        "## Tests\n\n- `pnpm lint`\n- `pnpm typecheck`\n"
    )
    assert _results(body) == ["unknown", "unknown"]
    # without a tests section of its own, what the text says of a run still counts
    assert _results(SUMMARY + "## Root cause\n\nAll tests pass after the fix.\n") == ["passed"]


@pytest.mark.parametrize(
    "body",
    [
        "## Bug / Requirement Description\nClearly and concisely describe the problem.\n\n"
        "## Solution description\nDescribe your code changes in detail for reviewers.\n",
        "Fixes #\n\n## Changes\n\nPlease provide a brief description of the changes here.\n\n"
        "Related issues #\n",
    ],
)
def test_an_untouched_template_describes_no_change(body: str) -> None:
    assert not parse_evidence(body).has("what_changed")


def test_review_mends_of_the_fourteenth_session() -> None:
    ran = SUMMARY + "## Testing\n\nI ran the test suite to verify the fix:\n- `pytest -q` — 12 passed\n"
    assert _results(ran) == ["passed"]
    proxy = (
        SUMMARY + "## Testing\n\n- `pytest` passes; the flaky test that used to fail because of the proxy "
        "settings is fixed\n"
    )
    assert _results(proxy) == ["passed"]
    design = SUMMARY + "## Design notes\n\nAll 42 tests pass with `pytest`.\n\n## Tests\n\n- `pytest -q`\n"
    assert "passed" in _results(design)
    caution = SUMMARY + "> [!CAUTION]\n> Please back up the database first: this drops the legacy table.\n"
    assert parse_evidence(caution).has("uncertainty")
    described = "## Summary\n\nValidation errors now describe the problem and name the offending field.\n"
    assert parse_evidence(described).has("what_changed")
    assert not parse_evidence(SUMMARY + "The cache resets when only the config file is changed.\n").has(
        "not_changed"
    )


def test_set_ag_rules() -> None:
    boxes = (
        "## Proposed Changes\n\nAdds retries.\n\n## Docs and Tests\n\n"
        "* [x] Tests added\n* [ ] Updated documentation\n"
    )
    assert not parse_evidence(boxes).has("tests_run")
    assert _results(boxes) == []
    ran = boxes.replace("* [x] Tests added\n", "* [x] Tests added\n* [x] Tested locally with `pytest`\n")
    assert parse_evidence(ran).has("tests_run")
    assert parse_evidence(SUMMARY + "The documentation will be updated in the next PR.\n").has("uncertainty")
    assert parse_evidence(SUMMARY + "I may have missed minor issues; please flag them.\n").has("uncertainty")
    gap = SUMMARY + "Note: existing tests didn't catch this because they bypass the parser.\n"
    assert parse_evidence(gap).has("uncertainty")
    fix = (
        "The export failed for every input.\n\n## Root Cause\n\n- wrong key\n\n## Fix\n\n- Renames the key.\n"
    )
    assert parse_evidence(fix).has("what_changed")
    question = "### Does this pull request fix one issue?\n\n### Describe how you did it\n"
    assert not parse_evidence(question).has("what_changed")
    assert parse_evidence(SUMMARY + "Still performs all updates silently.\n").has("not_changed")


def test_set_ah_rules() -> None:
    for said in (
        "No product or runtime code changed.",
        "There are no limit logic changes.",
        "CUDA keeps the compiled path unchanged.",
        "It keeps older versions working.",
    ):
        assert parse_evidence(SUMMARY + said + "\n").has("not_changed"), said
    assert not parse_evidence(SUMMARY + "The new code changed how retries count.\n").has("not_changed")
    for answer, kept in (
        ("Not breaking, but the content hash changes once.", True),
        ("No, existing configs keep working.", True),
        ("No", True),
        ("Yes: the flag is renamed.", False),
        ("Notably, the flag is renamed.", False),
    ):
        body = SUMMARY + "## Breaking Change?\n\n" + answer + "\n"
        assert parse_evidence(body).has("not_changed") is kept, answer
    assert parse_evidence(SUMMARY + "## Left disabled\n\n- the GPU path\n").has("not_changed")


def test_a_rule_right_under_a_heading_underlines_it() -> None:
    body = "### Description\n\n---\n*written by an agent*\n\nPins the npm version in `package.json`.\n"
    assert parse_evidence(body).has("what_changed")
    # a rule after the section's text still ends it: what follows is a footer
    footer = "### Testing\n\nRan `pytest`.\n\n---\nPins the npm version in `package.json`.\n"
    assert not parse_evidence(footer).has("what_changed")


def test_set_ai_rules() -> None:
    steps = (
        "Removes a sentence.\n\n## How to test\n\n- Confirm the sentence is gone: `grep -rn phrase docs/`\n"
        "- `go build ./pkg/...` succeeds.\n"
    )
    assert _results(steps) == ["planned", "planned"]
    ran = steps.replace("- `go build ./pkg/...` succeeds.", "- `go build ./pkg/...` succeeded.")
    assert "passed" in _results(ran)
    box = (
        "## Description\n\nSmall fixes.\n\n## Checklist\n\n"
        "- [x] I have tested this change in my development environment\n"
    )
    assert _results(box) == ["unknown"]
    assert _results(box.replace("environment", "environment and all tests pass")) == ["passed"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("No model content changes.", True),
        ("The variable is renamed; the logic remains the same.", True),
        ("- closes incomplete reports while preserving maintainer exemptions", True),
        ("The output changes the same way on every platform.", False),
        ("No content is shown until the page loads.", False),
    ],
)
def test_not_changed_in_prose_from_set_ai(text: str, kept: bool) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("not_changed") is kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("No redirect changes were introduced.", True),
        ("I won't add that before confirming with the maintainers.", True),
        ("Moved modules in a way that maintains the relevant API surface.", True),
        ("Adds `open()` instead of modifying `new()`.", True),
        ("Redirect changes were introduced in v2.", False),
        ("I will add the docs next.", False),
    ],
)
def test_not_changed_in_prose_from_set_aj(text: str, kept: bool) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("not_changed") is kept


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("Out of scope and tracked as known limitations.", True),
        ("Worth flagging one result: two backends disagree.", True),
        ("Tested with the editor. Would appreciate others verifying it works.", True),
        ("Not adopted here. Can be revisited once that policy is enabled.", True),
        ("I appreciate the quick review.", False),
        ("The flag is now set on every request.", False),
    ],
)
def test_uncertainty_in_prose_from_set_aj(text: str, unsure: bool) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("uncertainty") is unsure


def test_results_read_from_set_aj() -> None:
    # what a new regression test proves is no run of it
    assert _results(SUMMARY + "Adds a regression test that fails without the fix.\n") == []
    # a failure the author owns up to, on a clean checkout of main as well
    line = "## Validation\n\n- `make test` still has the pre-existing `test_home` failure"
    line += " on a clean `main` checkout\n"
    assert _results(line) == ["failed"]
    assert _results("## Validation\n\n- `make build` passes on a clean `main` checkout\n") == ["passed"]
    # a run the author tried and could not make
    tried = "I tried to run the python tests and found that these dependencies were missing.\n"
    assert _results(tried) == ["not_run"]


def test_a_documentation_only_change_runs_nothing() -> None:
    assert _results("## Testing\n\nDocumentation only.\n") == []  # nothing to test: no test section
    assert _results("## Testing\n\n- [ ] `make lint test` — documentation only\n") == ["not_run"]
    assert _results("## Testing\n\n- [ ] `make test`\n") == ["planned"]
    assert _results("## Testing\n\nThe documentation only covers v2; `make test` passes.\n") == ["passed"]


def test_items_under_a_tests_added_heading_say_what_the_tests_check() -> None:
    body = (
        "## Tests added\n- Bash rules should not match Edit operations\n- Read rules should not match Bash\n"
    )
    assert "planned" not in _results(body)
    assert _results(body + "\n## Verification\nConfirmed the new tests pass.\n") == ["passed"]
    assert _results("## Testing\n- `make test` should pass\n") != []


def test_a_local_execution_heading_lists_runs() -> None:
    body = "## Local Execution\n- Passed: `cargo test`\n- Passed: `cargo fmt --check`\n"
    assert _results(body) == ["passed", "passed"]


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("We can drop these rules once we have bandwidth to fix the breakage.", True),
        ("One follow-up worth noting: the query does not count encrypted usage.", True),
        ("A follow-up turn wakes the parent.", False),
        ("We drop the rules.", False),
    ],
)
def test_uncertainty_in_prose_from_set_ak(text: str, unsure: bool) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("uncertainty") is unsure


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("The conversion is temporary. A follow-up PR should replace it with a plan.", True),
        ("I am blocked by the file system issues in the sandbox.", True),
        ("I have been struggling with a persistent issue where files disappear.", True),
        ("Action required before merge: delete the old workflow from the branch.", True),
        ("* lint: partially solved revive issues", True),
        ("Add (ugly) solution to verify matching of enum name and value", True),
        ("That is pre-existing and wants its own change.", True),
        ("Each service owns its own change log.", False),
        ("A follow-up turn wakes the parent.", False),
        ("The request is blocked by the firewall rule this PR adds.", False),
    ],
)
def test_uncertainty_in_prose_from_set_al(text: str, unsure: bool) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("uncertainty") is unsure


def test_a_security_considerations_heading_holds_risks() -> None:
    body = SUMMARY + "## Security / trust model\n\nLoading a custom class imports code from the state file.\n"
    assert parse_evidence(body).has("uncertainty")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The nested pnpm-workspace.yaml stays because standalone CI installs need it.", True),
        ("The assertion change from the same PR stays.", True),
        ("A garbled answer keeps exiting 1 as before.", True),
        ("The cursor stays visible while typing.", False),
        ("It works as expected now.", False),
    ],
)
def test_what_stays_is_kept_from_set_al(text: str, kept: bool) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("not_changed") is kept


def test_pre_existing_failures_are_failures_and_tests_that_prove_the_fix_are_not() -> None:
    line = "- `pnpm test` — clean, no new failures (pre-existing unrelated `a.test.ts` failures on main)\n"
    assert _results("## Testing\n" + line) == ["failed"]
    prose = "Tests: core 20/20. The plugin failures in the full suite are pre-existing on main.\n"
    assert "failed" in _results(SUMMARY + prose)
    pinned = "Pinned by tests/test_marker.py: 9 fail against the unfixed script, 12 pass with it.\n"
    assert _results(SUMMARY + pinned) == ["passed"]
    suites = "Existing suites unchanged: test_parser and test_model_call all still pass.\n"
    assert _results(SUMMARY + suites) == ["passed"]


def test_steps_marked_with_the_outcome_to_expect_are_planned_set_am() -> None:
    steps = (
        "### Preview steps\n\n1. Open a project with two forms\n"
        "2. \U0001f534 [on main] the menu closes before you reach it\n"
        "3. \U0001f7e2 [on PR] move the mouse to the menu and notice it stays open\n"
        "4. \U0001f7e2 `Save` becomes clickable again\n"
        "5. \U0001f7e2 repeat steps 2-4 in the list view\n"
    )
    evidence = parse_evidence(SUMMARY + steps)
    assert evidence.has("tests_run")
    assert set(_results(SUMMARY + steps)) == {"planned"}
    # a mark on a result line still reports it
    assert _results(SUMMARY + "## Testing\n- \U0001f7e2 `make test` passes\n") == ["passed"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Verified over the corpus: before the fix three digests differ, after it all agree.\n", ["passed"]),
        ("Verified on a real account: the retry recovers and the card is kept.\n", ["passed"]),
        ("## Checklist\n- [x] Created tests that fail without the change (if possible)\n", ["passed"]),
        (
            "Ran the suites that use the parser: 371 passed, 1 pre-existing failure in `a.test.ts`.\n",
            ["failed", "passed"],
        ),
        (
            "`go test ./...` and `eslint` all pass. Not visually verified in the running app.\n",
            ["passed", "not_run"],
        ),
        ("The build still succeeds with the mirror down: slow builds, not broken ones.\n", ["passed"]),
        (
            "- Golden: if a classifier change ever makes the route depend on the grid, the test fails.\n",
            ["unknown"],
        ),
        ("## 测试\n全量测试：25 个套件、276 通过、0 失败。\n", ["passed"]),
    ],
)
def test_prose_results_of_set_am(text: str, expected: list[str]) -> None:
    assert sorted(set(_results(SUMMARY + text))) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Notes to reviewer:\n- Still assuming the old migration ran everywhere.\n", "uncertainty"),
        ("### Quirks\n- The fake clock does not advance on wait.\n", "uncertainty"),
        ("I suppose we should avoid breaking changes in a patch release.\n", "uncertainty"),
        ("The other tests do not submit the form, so they should be fine.\n", "uncertainty"),
        ("The tray wording stays correct on Windows and Linux.\n", "not_changed"),
        ("The backend already accepts an empty verifier, so no backend changes needed.\n", "not_changed"),
    ],
)
def test_prose_sections_of_set_am(text: str, key: str) -> None:
    assert parse_evidence(SUMMARY + text).has(key)


@pytest.mark.parametrize(
    ("text", "key", "present"),
    [
        ("Notes on quirks encountered:\n- The fake clock does not advance on wait.\n", "uncertainty", True),
        ("No behavioral changes.\n- Two doc comments were tightened.\n", "uncertainty", False),
        ("Not visually verified in the running app (headless session).\n", "uncertainty", True),
        (
            "This is an identity change for the scanner and is called out in the upgrade notes.\n",
            "uncertainty",
            True,
        ),
        ("- Breaking change: invalid queries are now rejected by the v1 API too\n", "uncertainty", True),
        ("The raw output is committed unformatted, as before.\n", "not_changed", True),
        ("`TestCreatesConfig` covers the first-run path being unchanged.\n", "not_changed", True),
        ("The card keeps its last good value either way.\n", "not_changed", True),
        ("原方法保留为薄封装，调用方无需改动。\n", "not_changed", True),
    ],
)
def test_prose_sections_of_set_am_second_pass(text: str, key: str, present: bool) -> None:
    assert parse_evidence(SUMMARY + text).has(key) is present


def test_a_test_flaky_on_main_is_a_failure_of_its_own() -> None:
    text = "Unrelated: `Search.test.tsx > fetches keys on mount` is flaky on `main` too.\n"
    assert _results(SUMMARY + text) == ["failed"]


def test_a_hedge_with_no_other_risk_word() -> None:
    assert parse_evidence(SUMMARY + "I suppose the old release branch can go.\n").has("uncertainty")


def test_an_old_gap_in_the_tests_is_no_risk_of_this_change() -> None:
    text = "The fields were still boolean, meaning char output wasn't actually tested! Fixed the fields.\n"
    assert not parse_evidence(SUMMARY + text).has("uncertainty")
    assert parse_evidence(SUMMARY + "This wasn't tested on Windows.\n").has("uncertainty")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Its only caller, CreateAdminService#build, always passes symbols, so nothing was removed.\n", []),
        (
            "- [x] Add the helper\n- [x] Run targeted backend/frontend validation for the updated flows\n",
            ["passed"],
        ),
        ("Pins Python back to 3.12.\n\nConfirmed this works again: https://ci.example/runs/1\n", ["passed"]),
        ("Suite is 1727/1731; the four failures are pre-existing on `main`.\n", ["failed", "passed"]),
        (
            "Reviewer confirmed (by hand-tracing, not execution) that the test fails on master and passes "
            "with the fix.\n",
            ["not_run"],
        ),
    ],
)
def test_prose_results_of_set_an(text: str, expected: list[str]) -> None:
    assert sorted(set(_results(SUMMARY + text))) == sorted(expected)


def test_a_label_naming_checks_done_heads_a_tests_section() -> None:
    body = (
        SUMMARY
        + "Validation performed:\n\n- `openspec validate --all --strict`\n- `./gradlew :application:test`\n"
    )
    evidence = parse_evidence(body)
    assert evidence.has("tests_run")
    assert [(claim.command, claim.result) for claim in evidence.tests] == [
        ("./gradlew :application:test", "unknown")
    ]


def test_a_singular_risk_label_heads_uncertainty() -> None:
    text = "Known limitation: a server enforcing a hidden monitor limit rejects part of a batch.\n"
    assert parse_evidence(SUMMARY + text).has("uncertainty")
    assert parse_evidence(SUMMARY + "Known issue: the retry loop can spin on DNS errors.\n").has(
        "uncertainty"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "## Testing\n\n- ✅ 78 unit tests pass (2 pre-existing failures unrelated to changes)\n",
            ["failed", "passed"],
        ),
        (
            "## Test plan\n\n- [x] No more `Connection refused` lines in the frontend's nginx logs\n",
            ["passed"],
        ),
        (
            "## Test plan\n\n- [x] `curl localhost:3001/api` — connection refused, the proxy is not up\n",
            ["not_run"],
        ),
    ],
)
def test_results_of_set_ao(text: str, expected: list[str]) -> None:
    assert sorted(set(_results(SUMMARY + text))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a code path that always passes is the bug told, not a run
        ("- Dropped a leftover flag that made the token check always pass for any user\n", []),
        # a test written for failures, and a password, are no results
        ("* Add integration test for relay auth failures\n\n* Relay auth test: cover password expiry\n", []),
        # `pass --flag` hands an argument over
        ("The nightly tests pass --retries=3 to the runner, so uploads look retried.\n", []),
        ("Verified that `from yaml import safe_load` resolves with only PyYAML installed.\n", ["passed"]),
        ("Verified by building the image and running it: `/healthz` returns 200.\n", ["passed"]),
    ],
)
def test_results_of_set_ap(text: str, expected: list[str]) -> None:
    assert sorted(set(_results(SUMMARY + text))) == expected


@pytest.mark.parametrize(
    ("text", "key", "present"),
    [
        ("- Users can still skip the redirect with `?sso=false`\n", "not_changed", True),
        ("- Defaults to off (backward compatible)\n", "not_changed", True),
        ("- Public replies continue working normally\n", "not_changed", True),
        ("Skipping the lookup changes nothing about which rows are read.\n", "not_changed", True),
        ("This leaves only the usage table on the dashboard.\n", "not_changed", True),
        ("Cloud gets the new page; self-hosted keeps the legacy tabs.\n", "not_changed", True),
        ("Only `user` fields resolve; all other references remain as placeholders.\n", "not_changed", True),
        ("The broad catch that provided backward compatibility was removed.\n", "not_changed", False),
        ("Two things needed care:\n\n- the port is dropped when it is the default\n", "uncertainty", True),
        ("This may be fragile: custom fonts may break the measured width.\n", "uncertainty", True),
    ],
)
def test_prose_sections_of_set_ap(text: str, key: str, present: bool) -> None:
    assert parse_evidence(SUMMARY + text).has(key) is present


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a test that passed against the unpatched code proved nothing; it is no result
        (
            "The guard changed nothing; its regression test passed against the unpatched code too.\n",
            [],
        ),
        # what a test is written to rule out
        ("Assert the answer exceeds 512 bytes, so shrinking the set can't leave the test passing.\n", []),
        ("I ran the suite, so I can't say more than that: 12 tests pass.\n", ["passed"]),
    ],
)
def test_results_of_set_aq(text: str, expected: list[str]) -> None:
    assert sorted(set(_results(SUMMARY + text))) == expected


@pytest.mark.parametrize(
    ("text", "key", "present"),
    [
        ("Reads the column rather than wrapping it, preserving output format.\n", "not_changed", True),
        ("Retrying the first chunk is rarely wanted, so it stays off by default.\n", "not_changed", True),
        ("Malformed payloads still reject with 400.\n", "not_changed", True),
        ("Every package is typed (vendors excluded — they pull untyped libraries).\n", "not_changed", True),
        ("Isolating the blocks is worth doing separately.\n", "not_changed", True),
        ("The retry policy is left for a follow-up PR.\n", "not_changed", True),
        ("The menu item stays disabled unless the form is approved.\n", "not_changed", False),
        ("Hosted deployments must now explicitly set FILE_STORE=gcs.\n", "uncertainty", True),
        ("### Debug logging (to be cleaned up)\n\n- logs every span\n", "uncertainty", True),
    ],
)
def test_prose_sections_of_set_aq(text: str, key: str, present: bool) -> None:
    assert parse_evidence(SUMMARY + text).has(key) is present


def test_a_reference_to_the_pull_request_it_follows_describes_nothing() -> None:
    body = "# Description\n\nFollow-up to #4270\n\nCloses #3450\n"
    assert not parse_evidence(body).has("what_changed")
    # the template's checklist under a deeper heading is its next part, not the description
    checklist = body + "\n## Checklist\n\n- [x] I have read the contribution guidelines.\n- [x] Tests pass.\n"
    assert not parse_evidence(checklist).has("what_changed")
    # a sub-heading of the author's own stays part of the description
    backend = "# Description\n\n### Backend\n\nAdds retries to the HTTP client.\n"
    assert parse_evidence(backend).has("what_changed")
    assert parse_evidence("* Initial plan\n\n* Upload built assets as release attachments\n").has(
        "what_changed"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a condition on what comes next, no result
        ("Anyone in the community is free to review the PR once the tests have passed.\n", []),
        ("Merge when CI is green.\n", []),
        # the failure is the bug the change fixes
        (
            "This fixes the CI failure where `uv sync --locked` was failing due to a prerelease mismatch.\n",
            [],
        ),
        ("This commit introduces several improvements and fixes a number of CI failures.\n", []),
        (
            "The suites are ported 1:1, so divergence surfaces as a test failure, not a broken document.\n",
            [],
        ),
        # what the code does, not a run
        ("The analyzer is responsible for calculating coverage by running `go test -cover`.\n", []),
        # a manual check that worked, in prose; the purpose of the test written ends with its sentence
        (
            "I added a test file to make sure this was working. I also QA tested manually via the console, "
            "and it seems to be working.\n",
            ["passed"],
        ),
        # a condition, either way
        ("On a new tag it runs all tests. If the tests pass, it publishes the wheels.\n", []),
        ("If the tests fail with a random issue, it can be reproduced with the same seed.\n", []),
    ],
)
def test_results_of_set_ar(text: str, expected: list[str]) -> None:
    assert sorted(set(_results(SUMMARY + text))) == expected


def test_a_templates_submission_checklist_ends_the_description() -> None:
    body = (
        "# What does this PR do?\n\nFixes the flag when both are False.\n\n## Before submitting\n"
        "- [ ] Did you write any new necessary tests?\n\n## Who can review?\n\n"
        "Anyone is free to review the PR once the tests have passed.\n"
    )
    evidence = parse_evidence(body)
    assert "Before submitting" not in evidence.sections["what_changed"].text
    assert not evidence.tests


@pytest.mark.parametrize(
    ("text", "key", "present"),
    [
        (
            "It's too early to already support this draft, but we should not break deployments.\n",
            "not_changed",
            True,
        ),
        ("This only changes thrift, since the type is serialized outside RPC.\n", "not_changed", True),
        ("The port is deliberately 1:1 rather than an improved reimplementation.\n", "not_changed", True),
        ("This changes the thrift types and the proto ones.\n", "not_changed", False),
    ],
)
def test_prose_sections_of_set_ar(text: str, key: str, present: bool) -> None:
    assert parse_evidence(SUMMARY + text).has(key) is present


@pytest.mark.parametrize(
    ("body", "described"),
    [
        # a template's checklist answered about the author is no description of the change
        ("* [x] I have added tests for my changes\n* [x] Pull request includes a sign off\n", False),
        ("- [x] I've read the contributing guide\n  and followed it\n", False),
        # a ticked step of the work still says what changed
        ("- [x] Add retries to the HTTP client\n- [x] Log each retry\n", True),
        ("- [x] I have added tests\n\nAdds retries to the HTTP client.\n", True),
    ],
)
def test_ticked_template_items_are_not_a_description(body: str, described: bool) -> None:
    assert parse_evidence(body).has("what_changed") is described


@pytest.mark.parametrize(
    ("text", "key", "present"),
    [
        ("Defaults mean existing manifests regenerate unchanged.\n", "not_changed", True),
        ("- Tasks without a repository URL remain as 'chat' tasks\n", "not_changed", True),
        ("The Makefile remains the single source of default tags.\n", "not_changed", True),
        ("Linux and macOS keep the real cgo implementation.\n", "not_changed", True),
        (
            "This keeps explicit settings authoritative and only changes the implicit defaults.\n",
            "not_changed",
            True,
        ),
        ("Shared build infra is not touched.\n", "not_changed", True),
        ("A follow-up could restore it with another toolchain.\n", "not_changed", True),
        ("That back-port is filed separately.\n", "not_changed", True),
        ("The report says that what it built stays unverified.\n", "uncertainty", True),
        ("- Registry tests (some skipped pending nested call support)\n", "uncertainty", True),
        ("The layout now renders in two columns.\n", "not_changed", False),
    ],
)
def test_prose_sections_of_set_as(text: str, key: str, present: bool) -> None:
    assert parse_evidence(SUMMARY + text).has(key) is present


@pytest.mark.parametrize(
    "text",
    [
        # what a new test asserts, not a run of it
        "- Added test_version() to build.py\n- The test checks that the binary runs successfully\n",
        # a runner's configuration file named among others, verified by grep
        "Files deleted (verified zero references via grep and review of package.json, vitest config):\n",
    ],
)
def test_no_results_from_set_as(text: str) -> None:
    assert not parse_evidence(SUMMARY + text).tests


def test_good_behaviour_observed_is_a_pass() -> None:
    body = "Fixes the flags.\n\nTest Plan: ran with --help in a few places and observed good behaviour.\n"
    assert [claim.result for claim in parse_evidence(body).tests] == ["passed"]
    asked = "Fixes the flags.\n\nTest plan: check that it behaves as expected.\n"
    assert [claim.result for claim in parse_evidence(asked).tests] == ["planned"]


def test_a_pull_request_that_follows_another_leaves_nothing_for_later() -> None:
    assert not parse_evidence(SUMMARY + "This is a follow-up to #967, which fixed the same bug.\n").has(
        "uncertainty"
    )
    assert parse_evidence(SUMMARY + "Prompt rendering remains a follow-up.\n").has("uncertainty")


def test_a_sentence_wrapped_onto_its_own_line_heads_no_section() -> None:
    body = "## Summary\n- Both use the constant (no duplicated literals /\ndrift risk).\n\n- Added a test.\n"
    assert not parse_evidence(body).has("uncertainty")
    assert parse_evidence("## Summary\nAdds X.\n\nRisks\nThe cache may go stale.\n").has("uncertainty")


def test_a_change_to_failing_tests_reports_no_run() -> None:
    body = (
        "## Summary\nThis PR disables 51 tests that are failing on Azure DevOps to get the pipeline "
        "green.\n\n## Problem\n\nMultiple test suites are failing on Azure DevOps:\n"
        "- Conformance tests fail on AzDO\n\n"
        "## Disabled Tests (51 total)\n\n- CanBuildImage\n- WithBuildSecret\n"
    )
    evidence = parse_evidence(body)
    assert not evidence.tests
    assert not evidence.has("tests_run")
    # the same failure reported under a tests section of the author's is a result
    assert _results(SUMMARY + "## Testing\n\nConformance tests fail on AzDO.\n") == ["failed"]


def test_an_argument_passed_on_is_no_pass() -> None:
    body = "Adds cancellation.\n\nBy passing cancellation tokens, operations are cancelled on timeout.\n"
    assert "passed" not in _results(body)
    assert _results("Adds cancellation.\n\nBy passing the flag through, all tests pass now.\n") == ["passed"]


def test_a_test_class_and_what_it_covers_is_no_result() -> None:
    body = SUMMARY + "Tests:\n- EvaluationTests: NoTitle emits an error, success emits no diagnostics\n"
    assert _results(body) == ["unknown"]
    assert _results(SUMMARY + "Tests:\n- EvaluationTests: all pass\n") == ["passed"]


@pytest.mark.parametrize(
    "text",
    [
        "**known limitations** (surfaced during review)\n\n- only literal mentions are caught\n",
        "As far as I can see, the only reason for the dependency is one call.\n",
        "Although the fix seems reasonable, I hope to get confirmation from a maintainer.\n",
        "This issue is hard to reproduce on a laptop.\n",
        "The provider has no native mode, so this mapping is only the closest approximation.\n",
        "An error mid-write leaves an empty table, which is not ideal.\n",
        "This branch carries the parent PR's commit and must be merged after #830.\n",
        "**Note:** the deliberate failure in the test will be removed before merging.\n",
    ],
)
def test_uncertainty_of_set_at(text: str) -> None:
    assert parse_evidence(SUMMARY + text).has("uncertainty")


@pytest.mark.parametrize(
    "text",
    [
        "- Standalone `validateModelAvailability` procedure unchanged (Invariant D).\n",
        "GitHub Actions outputs are still written before exit so downstream steps can read them.\n",
        "We ignore the advisory, keeping the feature available.\n",
        "- ComplexObjectSerializer is now a deprecated alias for ObjectSerializer.\n",
        "Keep the reader strict so write paths keep their existing error handling.\n",
        "The tests will continue to run in other environments.\n",
        "The runtime fix is already on master (#4126). These tests guard against regressions.\n",
    ],
)
def test_not_changed_of_set_at(text: str) -> None:
    assert parse_evidence(SUMMARY + text).has("not_changed")


@pytest.mark.parametrize(
    "text",
    [
        # the snapshot's detail, and the author's own constraint
        "All snapshot updates are the cache-key prefix changing, with hashes unchanged.\n",
        "In our case we're unfortunately still limited to numpy < 2.0.\n",
        # what random examples cost a test suite, not doubt about this change
        "One problem with random examples is that it can be hard to reproduce failures.\n",
    ],
)
def test_no_scope_or_doubt_of_set_at(text: str) -> None:
    evidence = parse_evidence(SUMMARY + text)
    assert not evidence.has("not_changed") and not evidence.has("uncertainty")


def test_a_red_green_proof_and_a_name_with_digits_are_no_failure() -> None:
    proof = (
        "Fixes the separators.\n\nAll existing tests pass; added a regression test that returns the broken "
        "`foo/bar\\baz.txt` before this change.\n"
    )
    assert _results(proof) == ["passed"]
    named = "Strips the BOM.\n\n- All BOM tests pass (UTF-8 removal, UTF-16/UTF-32 error detection)\n"
    assert _results(named) == ["passed"]
    assert _results("Strips the BOM.\n\n- Tests pass except 2 errors in the parser suite\n") == ["failed"]


@pytest.mark.parametrize(
    "text",
    [
        "- `tsc` clean. (The widget config fails on origin/main with a pre-existing `strict` error.)\n",
        "Pre-existing baselines (MenuBar 4 failures) carried forward unchanged.\n",
        "The benches are a little verbose; I'll probably trim them down a bit.\n",
        "This PR configures cargo-deny to ignore security advisories for two crates.\n",
    ],
)
def test_more_uncertainty_of_set_at(text: str) -> None:
    assert parse_evidence(SUMMARY + text).has("uncertainty")


def test_a_test_that_fails_on_main_and_passes_here_is_no_doubt() -> None:
    body = SUMMARY + "The integration tests catch the regression (fails on main, passes here).\n"
    assert not parse_evidence(body).has("uncertainty")


def test_no_tests_run_and_what_a_test_asserts_of_set_au() -> None:
    assert _results(SUMMARY + "## Testing\n\n- No automated tests were run for this UI tweak.\n") == [
        "not_run"
    ]
    asserted = (
        SUMMARY
        + "## Testing\n\n- New end-to-end test: it kills the destination mid-stream, asserts the failed "
        "move is rolled back.\n- `go build` and gofmt pass.\n"
    )
    assert "failed" not in _results(asserted)


@pytest.mark.parametrize(
    "text",
    [
        "`--files` keeps its current two-column shape under `--full-path`.\n",
        "- ✅ No unrelated files modified\n",
        "This is a one-line change affecting only the HTTP status code returned.\n",
        "Custom storage can still be passed through providerParameters.storage as before.\n",
    ],
)
def test_not_changed_of_set_au(text: str) -> None:
    assert parse_evidence(SUMMARY + text).has("not_changed")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # checking a claim against the source is reading code, not running anything
        ("The 503 case is real, verified against app/compat.py:1562-1565.\n", []),
        ("Field names were verified against the upstream code.\n", []),
        ("Verified against a live three-node cluster.\n", ["passed"]),
        # a platform the run was made on, introducing what was seen
        ("Verified on darwin25 / bash 3.2.57:\n  - both scripts run to completion with exit 0\n", ["passed"]),
        ("Verified on macOS with the release build.\n", ["passed"]),
        ("Verified: a mouse click paints nothing, Tab paints the ring.\n", ["passed"]),
        # a label with nothing after it says nothing yet
        ("Verified:\n", []),
    ],
)
def test_results_of_set_av(text: str, expected: list[str]) -> None:
    assert sorted(set(_results(SUMMARY + text))) == expected


@pytest.mark.parametrize(
    ("tests", "kept"),
    [
        # a step for the reviewer says what to check, not what the change keeps
        ("### How to test?\n1. Run the CLI\n2. Ensure existing integrations continue to work\n", False),
        ("## Test plan\n- Verify that the old flags are preserved\n", False),
        # the author's own statement under the same heading still counts
        ("## Testing\nRan `pytest -q`; the existing behaviour is unchanged.\n", True),
    ],
)
def test_a_reviewer_step_is_not_a_statement_of_what_is_kept(tests: str, kept: bool) -> None:
    assert parse_evidence(SUMMARY + tests).has("not_changed") is kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The notch path is byte-for-byte unchanged.\n", True),
        ("- `maxForks: 2` untouched (forks contend for the database)\n", True),
        ("The lookup keeps its documented cross-slot behaviour.\n", True),
        ("The copy's iteration order still matches the original's.\n", True),
        ("- Automated changeset workflows remain in place for versioning\n", True),
        ("Local dev still serves from root.\n", True),
        # what is moved into place, or what still fails, keeps nothing
        ("The new hook is put in place at startup.\n", False),
        ("The flaky test still fails on Windows.\n", False),
    ],
)
def test_not_changed_of_set_aw(text: str, kept: bool) -> None:
    assert parse_evidence(SUMMARY + text).has("not_changed") is kept


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("The real fix (composition seams) is still pending.\n", True),
        ("It works but has a few caveats:\n- the key is stored in the database\n", True),
        ("Uses a uuid4 as the identifier, which might not be the best solution.\n", True),
        ("Harness limitation (documented inline):\nthe SameSite attribute cannot be asserted.\n", True),
        ("`copy` gets slower, because it now actually copies.\n", True),
        # a slower old path the change removes is no cost of the change
        ("The old loop was slower than the new index.\n", False),
    ],
)
def test_uncertainty_of_set_aw(text: str, doubt: bool) -> None:
    assert parse_evidence(SUMMARY + text).has("uncertainty") is doubt


def test_a_docs_section_named_known_caveat_is_no_doubt_of_the_author() -> None:
    text = '- docs/collection.md — restructure the "Known Caveat" section to describe both cases.\n'
    assert not parse_evidence(SUMMARY + text).has("uncertainty")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a value handed on is no passing run
        ("## Testing\n5 cases for the util (resolve + dedupe + null pass-through).\n", ["unknown"]),
        ("## Testing\nEvery hook falls through to passing the path verbatim.\n", ["unknown"]),
        ("## Testing\nThe adapter passes through the value when unset.\n", ["unknown"]),
        # a run that passed still does
        ("## Testing\n`pytest -q` passing the full test suite.\n", ["passed"]),
        ("## Testing\nAll tests passing.\n", ["passed"]),
    ],
)
def test_results_of_set_aw(text: str, expected: list[str]) -> None:
    assert sorted(set(_results(SUMMARY + text))) == expected
