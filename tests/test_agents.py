"""Agent detection from every signal a real agent PR carries, each with a reduction written here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checks.agents import NO_SIGNAL, AgentSignal, detect_agent, wildcard
from checks.pull import PullRequestFacts
from config.loader import parse_config_text
from config.model import AgentDetection, Config

PULL = PullRequestFacts(
    number=1, title="t", body="", author="alice", author_is_bot=False, base_ref="main", base_sha="b" * 40,
    head_ref="f", head_sha="a" * 40, draft=False, labels=(), from_fork=False,
)  # fmt: skip
AGENTS = AgentDetection()


def detect(commits: tuple[tuple[str | None, str], ...] = (), **changes: Any) -> AgentSignal:
    return detect_agent(AGENTS, replace(PULL, **changes), commits)


@pytest.mark.parametrize(
    ("changes", "kind", "detail"),
    [
        ({"author": "Copilot"}, "login", "author `Copilot` (review.agents.authors `Copilot`)"),
        ({"author": "copilot-SWE-agent[bot]"}, "login", "author `copilot-SWE-agent[bot]`"),
        ({"author": "acme-coding-agent[bot]"}, "login", "(review.agents.authors `*-agent[bot]`)"),
        # an organisation's own app that runs an agent, and Roo Code's cloud agent
        ({"author": "acme-codex[bot]"}, "login", "(review.agents.authors `*-codex[bot]`)"),
        ({"author": "acme-claude[bot]"}, "login", "(review.agents.authors `*-claude[bot]`)"),
        ({"author": "roomote[bot]"}, "login", "author `roomote[bot]`"),
        (
            {"body": "Removes the bridge.\n\nCo-authored-by: Roo Code <roomote@roocode.com>"},
            "marker",
            "trailer line `Co-authored-by: Roo Code <roomote@roocode.com>`",
        ),
        ({"labels": ("AI-Generated",)}, "label", "label `AI-Generated` (review.agents.labels)"),
        (
            {"body": "Adds X.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)"},
            "marker",
            "Claude Code",
        ),
        ({"body": "Fixes #3\n\nhttps://chatgpt.com/codex/tasks/task_e_68a1"}, "marker", "codex/tasks"),
        (
            {"body": "Fixes #3\n\n[Codex Task](https://chatgpt.com/codex/cloud/tasks/task_e_69e1)"},
            "marker",
            "codex/cloud/tasks",
        ),
        ({"body": "Adds X.\n\nhttps://claude.ai/code/session_01AB"}, "marker", "claude.ai/code/session"),
        (
            {"body": "Link to Devin run: https://app.devin.ai/sessions/0f3c"},
            "marker",
            "app.devin.ai/sessions",
        ),
        ({"body": "<!-- START COPILOT CODING AGENT TIPS -->\nTips"}, "marker", "COPILOT CODING AGENT"),
        ({"body": "Summary\n\nMade with [Cursor](https://cursor.com)"}, "marker", "Made with [Cursor]"),
        ({"body": "Adds X.\n\nhttps://ampcode.com/threads/T-0f3c"}, "marker", "ampcode.com/threads"),
        (
            {"body": "Adds X.\n\n🤖 Generated with [opencode](https://opencode.ai)"},
            "marker",
            "Generated with",
        ),
        ({"body": "Adds translations.\n\n🤖 Generated with Codebuff"}, "marker", "Generated with"),
        ({"labels": ("codex",)}, "label", "label `codex`"),
        (
            {"body": "Bumps Node.\n\n_Conversation: https://app.warp.dev/conversation/0f3c-11_"},
            "marker",
            "app.warp.dev/conversation",
        ),
        (
            {"body": "Adds backoff.\n\nCloses #155\n\n[AI-assisted - Claude]"},
            "marker",
            "[AI-assisted - Claude]",
        ),
        (
            {
                "body": "Fixes the fixture.\n\n"
                "*AI-assisted \u2014 Tool: Codex; model: OpenAI/GPT-5; version: unavailable.*"
            },
            "marker",
            "Tool: Codex",
        ),
        ({"body": "Adds a section.\n\nI used GH Copilot while writing this PR."}, "marker", "GH Copilot"),
        (
            {"body": "Adds matching.\n\nThis PR was drafted with the help of Claude Code; I reviewed it."},
            "marker",
            "drafted with the help of Claude Code",
        ),
        (
            {"body": "Fixes wrapping.\n\nDisclosure: prepared with AI assistance. I reviewed every line."},
            "marker",
            "prepared with AI assistance",
        ),
        (
            {"body": "Registers two checkers.\n\nAI disclosure: written with Claude Code. I ran it myself."},
            "marker",
            "AI disclosure: written with Claude Code",
        ),
        ({"body": "## AI Usage\n\nIBM Bob was used to help code this PR"}, "marker", "IBM Bob was used"),
        (
            {"body": "Adds AGENTS.md to set up this repo for success with Ona Agent.\n"},
            "marker",
            "for success with Ona",
        ),
        ({"author": "factory-droid[bot]"}, "login", "author `factory-droid[bot]`"),
        ({"author": "vercel[bot]"}, "login", "author `vercel[bot]`"),
        (
            {"body": "Fixes the enum.\n\nBranch per AGENTS.md. Written with Claude, reviewed by me."},
            "marker",
            "Written with Claude",
        ),
        (
            {"body": "Pins Go.\n\n## AI assistance\n\nCodex made the toolchain edits. I set the scope."},
            "marker",
            "Codex made",
        ),
        (
            {"body": "Swaps the image.\n\n## AI disclosure\n\nClaude Code \u2014 made the Dockerfile edits."},
            "marker",
            "Claude Code",
        ),
        ({"body": "Adds X.\n\nMade-with: Cursor"}, "marker", "Made-with: Cursor"),
        ({"body": "Fixes the flake.\n\n💘 Generated with Crush"}, "marker", "Generated with Crush"),
        ({"body": "> This PR was created by Copilot in VS Code."}, "marker", "created by Copilot"),
        # Disclosures in the author's words, crediting an agent by name.
        ({"body": "This PR was authored by OpenAI Codex at my request."}, "marker", "disclosure"),
        ({"body": "This is a trial PR created by Codex to check the setup."}, "marker", "created by Codex"),
        ({"body": "This is a draft pull request opened by an AI agent for me."}, "marker", "an AI agent"),
        ({"body": "This pull request contains changes generated by Cursor."}, "marker", "by Cursor"),
        ({"body": "Adds paging.\n\n---\n🤖 Generated by AI"}, "marker", "Generated by AI"),
        ({"body": "## AI disclosure\nGemini CLI was used to find reusable parts."}, "marker", "Gemini CLI"),
        ({"body": "## AI usage\n- [x] I am an AI agent filling out this form"}, "marker", "I am an AI agent"),
        ({"body": "Closes #4\n\n_AI-generated by OpenHands on behalf of the user._"}, "marker", "OpenHands"),
        (
            {"body": "Adds X.\n\n> _This was written by Claude Code on behalf of @me_"},
            "marker",
            "Claude Code",
        ),
        ({"body": "This was done using Gemini CLI after a long try."}, "marker", "Gemini CLI"),
        ({"body": "#5180 fixed by Antigravity"}, "marker", "Antigravity"),
        ({"body": "### How I did it\n\nIt's mainly generated by codex-cli v0.40.0."}, "marker", "codex-cli"),
        (
            {"body": "## 🤖 Installing Claude Code GitHub App\n\nThis PR adds a workflow."},
            "marker",
            "Installing Claude Code GitHub App",
        ),
        # A footer crediting the tool by a link's text, and a line of assistance credit.
        (
            {"body": "Adds X.\n\n---\n\nThis PR was written using [Vibe Kanban](https://vibekanban.com)"},
            "marker",
            "Vibe Kanban",
        ),
        (
            {"body": "Fixes the flaky spec.\n\nAssisted by [GitHub Copilot](https://github.com)"},
            "marker",
            "Copilot",
        ),
        (
            {"body": "had claude clean up some doc typos; the rest is out of scope"},
            "marker",
            "disclosure “had claude clean”",
        ),
        ({"body": "Adds X.\n\nI asked Codex to write the tests."}, "marker", "asked Codex to write"),
        (
            {"body": "---\n\nOpen the [session](https://copilot-workspace.githubnext.com/o/r?shareId=1)."},
            "marker",
            "copilot-workspace.githubnext.com",
        ),
        ({"body": ":robot: This PR was entirely agent generated."}, "marker", "agent generated"),
        ({"body": "This is a test PR created by the Godel AI agent."}, "marker", "Godel AI agent"),
        ({"body": "Adds headers.\n\n---\n*PR from a fork, originally created by Jules*"}, "marker", "Jules"),
        ({"body": "Adds AGENTS.md.\n\nInitial version generated with Gemini 2.5 Pro."}, "marker", "Gemini"),
        ({"body": "generated via `/init` command in claude code\n\n## Summary"}, "marker", "claude code"),
        (
            {"body": "Major refactor with the help of Claude code. A few bugs were found."},
            "marker",
            "Claude code",
        ),
        (
            {"body": "Enables strict mode.\n\nThis PR was created with the help of an agent."},
            "marker",
            "an agent",
        ),
        # a footer wrapped over lines, as squash messages wrap, and a tag that names no agent
        (
            {"body": "Tests: focused.\n\nMade by [Open\nSWE](https://openswe.example/agents/1)"},
            "marker",
            "Open SWE",
        ),
        ({"body": "Handles a null output.\n\nAI-assisted: yes.\n\n## Tests"}, "marker", "AI-assisted: yes"),
        ({"author": "sentry-junior[bot]", "author_is_bot": True}, "login", "sentry-junior[bot]"),
        ({"author": "seer-by-sentry[bot]", "author_is_bot": True}, "login", "seer-by-sentry[bot]"),
        (
            {
                "body": "Fixes the epoch.\n\n"
                "_AI disclosure: Codex helped investigate, test, and prepare this PR._"
            },
            "marker",
            "Codex helped",
        ),
        ({"body": "Automated fix from Codex automation."}, "marker", "Codex"),
        ({"body": "*I used CODEX to analyze the bug and create this PR. I reviewed it.*"}, "marker", "CODEX"),
        (
            {"body": "Faster.\n\n## AI assistance\n\nI chose it.\nOpenAI Codex assisted with drafting."},
            "marker",
            "Codex assisted with",
        ),
        (
            {"body": "Note: This PR was developed with AI assistance. I reviewed all changes."},
            "marker",
            "AI assistance",
        ),
        (
            {"body": "Fix.\n\n<!-- mux-attribution: model=openai:gpt-5 costs=0.07 -->"},
            "marker",
            "mux-attribution",
        ),
        # A squash message pasted as the description keeps its trailer lines.
        (
            {"body": "Fix paging\n\nCo-Authored-By: Claude Opus 4 <noreply@anthropic.com>"},
            "marker",
            "trailer line `Co-Authored-By: Claude Opus 4",
        ),
    ],
)
def test_each_signal_is_found_and_named(changes: dict[str, Any], kind: str, detail: str) -> None:
    signal = detect(**changes)
    assert signal.authored and signal.kind == kind and detail in signal.detail
    assert signal.reason.startswith("agent-authored: ")


@pytest.mark.parametrize(
    "trailer",
    [
        "Co-Authored-By: Claude <noreply@anthropic.com>",
        "Co-authored-by:   Copilot   <198982749+Copilot@users.noreply.github.com>",
        "Co-authored-by: Cursor Agent <cursoragent@cursor.com>",
        "Co-authored-by: aider (anthropic/claude-sonnet-4-5) <aider@aider.chat>",
        "Co-authored-by: google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>",
        "Agent-Tokens: input=1200 output=300",
        "Co-authored-by: Amp <amp@ampcode.com>",
        "Amp-Thread-ID: https://ampcode.com/threads/T-0f3c",
        "Assisted-by: Claude Sonnet 4.5",
        "Co-authored-by: Crush <crush@charm.land>",
        # a co-author named by an agent's login (review.agents.authors)
        "Co-authored-by: open-swe[bot] <open-swe@users.noreply.github.com>",
        "Copilot-Session: ff0a6601-0bd9-4d32-97aa-bfb378f12ad5",
        "Made-with: Cursor",
        # a review bot's suggestion committed by the author, an agent orchestrator's co-author line
        "Co-authored-by: gemini-code-assist[bot] <1+gemini-code-assist[bot]@users.noreply.github.com>",
        "Co-Authored-By: [Agentty](https://github.com/agentty-xyz/agentty)",
        "Co-authored-by: Gemini CLI <gemini-cli@google.com>",
    ],
)
def test_commit_trailers_name_the_commit(trailer: str) -> None:
    signal = detect((("0123456789abcdef", f"Fix paging\n\nLonger text.\n\n{trailer}"),))
    assert signal.kind == "trailer" and signal.detail.endswith("on `0123456`")


@pytest.mark.parametrize(
    ("commits", "changes"),
    [
        ((), {}),
        ((("s", "Fix\n\nCo-authored-by: Bob <bob@example.com>"),), {}),
        ((), {"author": "dependabot[bot]", "author_is_bot": True}),
        # A trailer-shaped line inside the body of a message, not its trailer block, is not a trailer.
        ((("s", "Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>\n\nMore text after it."),), {}),
        # Mentioning a tool is not a marker.
        ((), {"body": "I compared this with what Claude Code and Cursor suggest; wrote it by hand."}),
        (
            (),
            {"body": "Whether the Copilot coding agent summarizes is hit or miss; these instructions help."},
        ),
        # Disclosures that deny, name no agent, or name a word that is not one.
        ((), {"body": "This PR was not generated by AI; I wrote every line."}),
        ((), {"body": "This change was generated with protoc from the updated schema."}),
        ((), {"body": "Fixes the text cursor: the cursor was used to select a range."}),
        ((), {"body": "- [ ] I am an AI agent filling out this form"}),
        ((), {"body": "It was written by hand; this was fixed by Tom, not by a tool."}),
        ((), {"body": "Adds a footer option; the description says `Generated by AI` when enabled."}),
        # Help from an agent, an agent the change is about, an editor's cursor.
        ((), {"body": "Docs for the break. I used claude to compare the two versions."}),
        ((), {"body": "Adds a provider so users can have Claude summarize a thread."}),
        ((), {"body": "I had Claude Code installed while testing the extension."}),
        ((), {"body": "Fix selection: had cursor jump to the line end."}),
        ((), {"body": "This PR is not AI-generated; the docs explain AI agent setup."}),
        ((), {"body": "Adds an AI agent page; the agent generated summaries are cached."}),
        ((), {"body": "Adds AGENTS.md: instructions for an agent to follow when it edits the repo."}),
        # a code-scanning fix someone accepted is not the agent's pull request
        (
            (
                (
                    "s",
                    "Fix\n\nCo-authored-by: Copilot Autofix powered by AI "
                    "<175728472+Copilot@users.noreply.github.com>",
                ),
            ),
            {},
        ),
        ((), {"body": "This change was written with AI-specific prompts in mind: see the prompt file."}),
        ((), {"body": "AI-assisted: no. Written by hand."}),
        ((), {"body": "Adds an automated fix from the linter for unused imports."}),
        ((), {"body": "AI disclosure: none; Codex was not used."}),
        ((), {"body": "Adds a chat page. Built with Gemini API calls streamed to the browser."}),
        ((), {"body": "## AI assistance\n\nCodex did not write any of this; I asked it one question."}),
        ((("s", "Fix\n\nCo-authored-by: Swe Bob <bob@example.com>"),), {}),
    ],
)
def test_a_human_pr_has_no_agent_signal(
    commits: tuple[tuple[str, str], ...], changes: dict[str, Any]
) -> None:
    assert detect(commits, **changes) == NO_SIGNAL
    assert NO_SIGNAL.reason == "no agent signal"


def test_every_signal_is_configurable() -> None:
    custom = parse_config_text(
        "review: {agents: {authors: ['*-agent'], labels: [], trailers: [], markers: ['*made by robots*']}}",
        ".agentbudget.yml",
    ).review.agents
    assert detect_agent(custom, replace(PULL, author="acme-agent")).kind == "login"
    assert detect_agent(custom, replace(PULL, body="This was MADE BY ROBOTS.")).kind == "marker"
    assert not detect_agent(custom, replace(PULL, author="Copilot", labels=("ai-generated",))).authored
    assert Config().review.agents == AGENTS


@pytest.mark.parametrize(
    ("pattern", "text", "whole", "expected"),
    [
        ("a*c", "abc", True, True),
        ("a*c", "abcd", True, False),
        ("*b*", "abc", True, True),
        ("a*a", "a", True, False),
        ("*x*", "abc", False, False),
        ("*B*", "abc", False, True),
        ("dependabot[bot]", "Dependabot[bot]", True, True),
        ("**a**a**a**a**a**a**b", "a" * 3000, True, False),
    ],
)
def test_wildcard(pattern: str, text: str, whole: bool, expected: bool) -> None:
    assert wildcard(pattern, text, whole=whole) is expected


@given(st.text(alphabet="ab*", max_size=8), st.text(alphabet="ab", max_size=12))
def test_wildcard_agrees_with_fnmatch_semantics(pattern: str, text: str) -> None:
    import re

    regex = re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)
    assert wildcard(pattern, text, whole=True) is (regex.fullmatch(text) is not None)
    assert wildcard(pattern, text, whole=False) is (regex.search(text) is not None)


def test_names_that_are_all_everyday_words_match_only_as_written() -> None:
    from checks.agents import disclosure

    # With "cursor" the only name, the any-case forms have no name to match: they never match empty text.
    assert disclosure(("cursor",), "I had cursor fix the paging.") is None
    assert disclosure(("cursor",), "Made with the help of the team.") is None
    assert disclosure(("Cursor",), "This PR was generated by Cursor.") is not None


@pytest.mark.parametrize(
    "body",
    [
        "> AI disclosure: Codex (GPT-5) assisted with the regression test.\n",
        "AI assistance: an AI agent found this while auditing the readers and drafted the fix.\n",
        "##### Was generative AI tooling used to co-author this PR?\n\n<!-- answer below -->\n\nYes.\n",
        "This pull request was AI-assisted by Isaac.\n",
        "This contribution was developed with AI assistance (Claude Code).\n",
        "## Agent context\n\n**Autonomy:** Human-driven (agent-assisted)\n",
    ],
)
def test_disclosures_of_set_ag(body: str) -> None:
    from checks.agents import disclosure
    from config.model import AgentDetection

    assert disclosure(AgentDetection().names, "## Summary\nFixes the reader.\n\n" + body) is not None


@pytest.mark.parametrize(
    "body",
    [
        "##### Was generative AI tooling used to co-author this PR?\n\nNo.\n",
        "AI assistance: none.\n",
        "This pull request was reviewed by Isaac.\n",
        "**Autonomy:** fully manual\n",
    ],
)
def test_disclosures_answered_no_are_no_signal(body: str) -> None:
    from checks.agents import disclosure
    from config.model import AgentDetection

    assert disclosure(AgentDetection().names, "## Summary\nFixes the reader.\n\n" + body) is None


def test_a_codex_title_an_agents_branch_and_a_quoted_account_are_signals() -> None:
    assert detect(title="[codex] Fix shared BOS and EOS token inference").kind == "title"
    assert detect(title="[Codex]: tidy the parser").kind == "title"
    assert not detect(title="Fix the [codex] label colour").authored
    squash = ((None, "[codex] Fix shared BOS token inference (#3279)\n\nBody."),)
    assert detect(commits=squash).kind == "title"
    assert detect(head_ref="codex/fix-bos-eos").kind == "branch"
    assert detect(head_ref="copilot/fix-123").kind == "branch"
    assert not detect(head_ref="feature/codex-support").authored
    quoted = "The import fails on 4.6.\n\nAccording to claude:\n```\nRename the three uses.\n```\n"
    assert detect(body=quoted).kind == "marker"
    assert not detect(body="According to the docs: the flag is optional.").authored


def test_an_unticked_template_choice_discloses_nothing() -> None:
    template = "## AI Usage\n\n- [ ] No AI was used\n- [ ] AI was used for drafting\n"
    template += "- [ ] This is fully AI-generated\n"
    assert not detect(body=template).authored
    assert detect(body=template.replace("- [ ] This is fully", "- [x] This is fully")).kind == "marker"


def test_letta_codes_footer_is_a_disclosure() -> None:
    assert detect(
        body="## Summary\n- adds a check\n\n👾 Generated with [Letta Code](https://letta.com)\n"
    ).authored


def test_an_agent_introducing_itself_discloses() -> None:
    assert detect(body="Fixes the writer.\n\n---\n\nDisclosure: I am Quill, an AI software agent.\n").authored
    assert detect(body="I am an AI coding assistant and prepared this change.").authored
    assert not detect(body="I am a maintainer of the AI tooling here.").authored


def test_ai_helping_write_the_change_discloses() -> None:
    assert detect(body="Ran the suite locally.\n\nAI helped me write this.\n").kind == "marker"
    assert detect(body="Claude helped us draft the fix.").authored
    assert not detect(body="AI helped me understand the parser.").authored
    assert not detect(body="AI did not help me write this.").authored


def test_an_ai_usage_level_names_the_agents_share() -> None:
    heavy = "## AI Usage in this PR (choose one)\n- [x] **Heavy**: AI generated most or all of the code\n"
    assert detect(body=heavy).kind == "marker"
    assert not detect(body=heavy.replace("[x]", "[ ]")).authored
    assert detect(body="## AI usage\n\nModerate: AI assisted with investigation and drafting.\n").authored
    assert not detect(
        body="## AI Usage\n- [x] **None**: No AI tools were used in creating this PR\n"
    ).authored


def test_ai_usage_answers_and_agent_credits_from_set_ak() -> None:
    template = (
        "## AI Usage\n\nIf AI tools were used, please answer:\n1. Which tools? codex\n2. Scope? tests\n"
    )
    assert detect(body=template).kind == "marker"
    assert not detect(body="## AI Usage\n\n1. Which tools? none\n").authored
    assert detect(
        body="The test raced.\n\nIdentified and fixed by Claude based on the doc I wrote.\n"
    ).authored
    assert not detect(body="Identified and fixed by Dana after the outage.").authored
    assert detect(body="Claude was able to do the repetitive work of instrumenting each handler.").authored
    assert not detect(body="Claude was able to answer the question.").authored


def test_an_entire_checkpoint_marks_an_agent_session() -> None:
    found = detect(body="Entire-Checkpoint: 0cbca0033f96\n\nFix for the review comment.\n")
    assert found.kind == "marker" and "Entire-Checkpoint" in found.detail
    assert detect(commits=(("abc1234", "Fix it\n\nEntire-Checkpoint: 0cbca0033f96"),)).kind == "trailer"


def test_a_commits_tool_note_and_a_claude_session_trailer_disclose() -> None:
    note = "Fix the reader.\n\nTool: Claude Code\nModel: claude-opus-5\nWhy: blockers from the review\n"
    assert detect(body=note).authored
    assert detect(body="Tool: Codex\nModel: gpt-5\n").authored
    assert not detect(body="Tool: eslint\nVersion: 9\n").authored
    session = "Fix it\n\nClaude-Session: https://claude.ai/code/session_0139\n"
    assert detect(commits=(("abc1234", session),)).kind == "trailer"


def test_trailers_above_githubs_co_author_block_and_a_spaced_key() -> None:
    message = "Fix gallery (#12)\n\nRemoves the duplicate.\n\nAssisted-by: Codex:gpt-5\n\n"
    message += "Co-authored-by: Bot <b@x.org>"
    assert detect((("0123456789abcdef", message),)).kind == "trailer"
    assert detect(
        (("0123456789abcdef", "Fix export\n\nStreams the hash.\n\nAssisted By: Gemini 3"),)
    ).kind == ("trailer")
    # text between a trailer-shaped line and the last block keeps the line out of the trailers
    prose = (
        "Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>\n\nMore text.\n\nSigned-off-by: A <a@x.org>"
    )
    assert detect((("s", prose),)) == NO_SIGNAL


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("## AI Usage\n\n* [ ] Fully vibe coded\n* [x] AI-designed, AI-coded, manually checked\n", True),
        ("## AI Usage\n\n* [x] Human-designed, human-coded (includes AI autocompletions)\n", False),
        ("## AI Disclaimer\n\nUsing Codex with gpt-5. Reviewed manually.\n", True),
        ("## Notes\n\nUsing Codex CLI's new flag in the launcher.\n", False),
        ("> 此 PR 使用了 90% 的 Codex 辅助，约 10% 的人工实现\n", True),
        ("本 PR 由 Claude Code 生成。\n", True),
        ("此 PR 修复了 Codex 配置的读取问题。\n", False),
        ("AI-assisted changes were used to audit and update documentation metadata.\n", True),
        ("AI-generated code was removed from the parser last year.\n", False),
    ],
)
def test_disclosures_of_sets_an_and_ao(body: str, found: bool) -> None:
    from checks.agents import disclosure
    from config.model import AgentDetection

    said = disclosure(AgentDetection().names, "## Summary\nFixes the reader.\n\n" + body)
    assert (said is not None) is found


def test_the_subject_is_never_a_trailer_paragraph() -> None:
    from checks.agents import commit_trailers

    message = "Fix Bug: crash on start\n\nAssisted-by: Codex\n\nCo-authored-by: Bot <b@x.org>"
    assert commit_trailers(message) == ("Assisted-by: Codex", "Co-authored-by: Bot <b@x.org>")


@pytest.mark.parametrize(
    "body",
    [
        "## Summary\nFixes the lexer.\n\nplanned by sonnet 4.6 and tests generated by kimi k2.5\n",
        "## Summary\nMore HTML benchmarks.\n\nmost of the synthetic benchmarks are AI generated.\n",
        "<!-- VORFLUX_AGENT_PR_BODY_BEGIN -->\nAdds the directory.\n<!-- VORFLUX_AGENT_PR_BODY_END -->\n",
    ],
)
def test_disclosures_of_set_at(body: str) -> None:
    assert detect(body=body).authored


@pytest.mark.parametrize(
    "body",
    [
        # what the product does with generated content, not how the change was made
        "Adds a detector that flags images that are AI generated.\n",
        "Summaries generated by the configured model are now cached.\n",
    ],
)
def test_generated_content_the_product_handles_discloses_nothing(body: str) -> None:
    assert not detect(body=body).authored


def test_a_credit_line_naming_ai_agents_discloses_them() -> None:
    assert detect(body="Caps the wait.\n\nWith the help of AI-Agents: GPT-5.2-Codex\n").authored
    # the product's own agents, described: no credit line
    assert not detect(body="Adds a page listing AI agents: Codex, Claude and Jules.\n").authored


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"author": "blinkagent[bot]"}, "login"),
        ({"author": "cto-new[bot]"}, "login"),
        ({"body": "Created on behalf of @someone.\n\nGenerated with Blink."}, "marker"),
        (
            {"body": "> 🤖 This PR was created with the help of Coder Agents, and needs a human review."},
            "marker",
        ),
    ],
)
def test_blink_cto_new_and_coder_agents_are_agents(changes: dict[str, str], kind: str) -> None:
    assert detect(**changes).kind == kind


@pytest.mark.parametrize(
    ("changes", "commits", "kind"),
    [
        # an agent platform's app and a project's own agent runner
        ({"author": "simple-agent-manager[bot]"}, (), "login"),
        ({"author": "holonbot[bot]"}, (), "login"),
        # a trailer a tool wrote after escaped line breaks, in the commit and in the body
        (
            {},
            (("abc1234", "Add a skill (#1)\n\nAdds a workflow.\\n\\nAssisted-by: OpenAI Codex"),),
            "trailer",
        ),
        ({"body": "Adds a workflow for reviewers.\\n\\nAssisted-by: OpenAI Codex"}, (), "marker"),
    ],
)
def test_agent_platform_logins_and_escaped_trailers_are_agent_signals(
    changes: dict[str, str], commits: tuple[tuple[str | None, str], ...], kind: str
) -> None:
    assert detect(commits, **changes).kind == kind


def test_an_escaped_break_before_prose_is_no_trailer() -> None:
    # a line of prose after an escaped break names no trailer key
    assert not detect(body="Adds a workflow.\\n\\nSee the docs: they explain it.").authored
    assert not detect(body="Splits on `\\n` and joins the parts.").authored


def test_an_ai_bot_account_and_an_agent_co_author_are_agent_signals() -> None:
    assert detect(author="capy-ai[bot]").kind == "login"
    capy = ((None, "fix: contrast\n\nCo-authored-by: Capy Agent <agent@capy.test>"),)
    assert detect(capy).kind == "trailer"
    person = ((None, "fix: contrast\n\nCo-authored-by: Bob Agent-Smith <bob@example.com>"),)
    assert not detect(person).authored


@pytest.mark.parametrize(
    "body",
    [
        "Used jules.google.com to increase test coverage.",
        "Adds the scaffold.\n\n**AI disclaimer: gpt-5-codex wrote most of the code.**",
        # set BE
        "AI-generated code disclosure: this PR was implemented with substantial AI assistance and reviewed.",
    ],
)
def test_disclosures_of_set_bd(body: str) -> None:
    assert detect(body=body).authored


def test_an_agent_used_for_help_is_no_disclosure() -> None:
    assert not detect(body="I used Claude to compare the two outputs.").authored


@pytest.mark.parametrize(
    ("changes", "commits", "kind"),
    [
        (
            {
                "body": "Adds a watcher.\n\n---\n*Created with [PostHog Code](https://posthog.com/code?ref=pr)*"
            },
            (),
            "marker",
        ),
        (
            {},
            ((None, "fix: allow the service URL\n\nCo-authored-by: Gemini <gemini-generated@google.com>"),),
            "trailer",
        ),
    ],
)
def test_posthog_code_and_the_gemini_app_are_agents(
    changes: dict[str, str], commits: tuple[tuple[str | None, str], ...], kind: str
) -> None:
    assert detect(commits, **changes).kind == kind
    # a person named Gemini co-authoring from an address of their own is no agent
    person = ((None, "fix: x\n\nCo-authored-by: Gemini Smith <gemini@example.com>"),)
    assert not detect(person).authored
