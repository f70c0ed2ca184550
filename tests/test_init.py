"""`agentbudget init`: writes, merges, never clobbers, asks before changing what the user owns, idempotent."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.init import BEGIN, END, InitError, merge_section, plan, run_init
from app.init_text import AGENT_INSTRUCTIONS
from checks.agents import AgentSignal
from checks.evidence import SECTION_KEYS, headed_keys, parse_evidence
from checks.gates import Outcome
from checks.requirements import evidence_gate
from config.loader import parse_config_text
from config.model import Config
from config.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
AGENT_TARGETS = ("AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md")


class Terminal(io.StringIO):
    """A stdin someone answers at."""

    def isatty(self) -> bool:
        return True


def init(root: Path, *args: str, yes: bool = False, stdin: io.StringIO | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = run_init(root, yes=yes, agents_files=args, stdin=stdin or io.StringIO(), out=out)
    return code, out.getvalue()


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def write(root: Path, relative: str, text: str) -> None:
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_bytes(text.encode())


def read(root: Path, relative: str) -> str:
    return (root / relative).read_bytes().decode()


def assert_idempotent(root: Path) -> None:
    before = snapshot(root)
    code, out = init(root)
    assert code == 0, out
    assert "Nothing to change" in out
    assert snapshot(root) == before


# -- an empty repository --------------------------------------------------------------------------------


def test_empty_repo_gets_config_schema_template_and_agents_md(tmp_path: Path) -> None:
    code, out = init(tmp_path)
    assert code == 0, out
    assert set(snapshot(tmp_path)) == {
        ".agentbudget.yml",
        ".agentbudget.schema.json",
        ".github/pull_request_template.md",
        "AGENTS.md",
    }
    config_text = read(tmp_path, ".agentbudget.yml")
    assert config_text.startswith("# yaml-language-server: $schema=.agentbudget.schema.json\n")
    config = parse_config_text(config_text, ".agentbudget.yml")
    assert config.mode == "observe"
    assert config.evidence == Config().evidence
    assert json.loads(read(tmp_path, ".agentbudget.schema.json")) == json.loads(schema_text())
    assert AGENT_INSTRUCTIONS.strip() in read(tmp_path, "AGENTS.md")
    assert_idempotent(tmp_path)


def test_the_written_config_is_valid_against_the_written_schema(tmp_path: Path) -> None:
    import jsonschema
    import yaml

    init(tmp_path)
    schema = json.loads(read(tmp_path, ".agentbudget.schema.json"))
    jsonschema.validate(yaml.safe_load(read(tmp_path, ".agentbudget.yml")), schema)


def test_the_pr_template_has_every_section_and_unedited_counts_as_missing(tmp_path: Path) -> None:
    init(tmp_path)
    text = read(tmp_path, ".github/pull_request_template.md")
    assert text.startswith(BEGIN) and text.rstrip().endswith(END)
    assert headed_keys(text) == set(SECTION_KEYS)
    evidence = parse_evidence(text)
    assert not any(evidence.has(key) for key in SECTION_KEYS)


# -- the instructions agents follow -------------------------------------------------------------------


def example_body() -> str:
    found = re.search(r"^````markdown\n(.*?)\n````$", AGENT_INSTRUCTIONS, re.MULTILINE | re.DOTALL)
    assert found is not None
    return found.group(1)


def test_a_body_written_by_the_instructions_passes_every_requirement() -> None:
    evidence = parse_evidence(example_body())
    assert all(evidence.has(key) for key in SECTION_KEYS), evidence.notes
    assert evidence.empty == () and evidence.notes == ()
    assert [(c.command, c.result) for c in evidence.tests] == [
        ("pytest -q tests/test_export.py", "passed"),
        ("npm run e2e", "not_run"),
    ]
    assert evidence.tokens is not None
    assert (evidence.tokens.agent, evidence.tokens.model) == ("claude-code", "claude-sonnet-4-5")
    assert (evidence.tokens.input_tokens, evidence.tokens.output_tokens) == (182340, 9100)
    assert evidence.tokens.cost_usd_micros == 840_000
    strict = Config.model_validate({"evidence": {"required": list(SECTION_KEYS), "applies_to": "all"}})
    gate = evidence_gate(strict, evidence, agent=AgentSignal(True, "login", "x"), changed_lines=100)
    assert gate.outcome is Outcome.PASS, gate.reason


def test_the_instructions_show_each_result_line_the_parser_reads() -> None:
    lines = re.findall(r"``(- .*?)``", AGENT_INSTRUCTIONS)
    results = [parse_evidence(f"## Tests run\n{line}\n").tests[0].result for line in lines]
    assert results == ["passed", "failed", "not_run"]


# -- repositories that already have the files ------------------------------------------------------------


@pytest.mark.parametrize("existing", AGENT_TARGETS)
def test_existing_agent_file_gets_the_section_merged_not_clobbered(tmp_path: Path, existing: str) -> None:
    own = "# Project rules\n\nUse tabs.\n"
    write(tmp_path, existing, own)
    code, out = init(tmp_path)
    assert code == 0, out
    text = read(tmp_path, existing)
    assert text.startswith(own + "\n" + BEGIN + "\n")
    assert text.count(BEGIN) == 1 and text.rstrip().endswith(END)
    others = {name for name in AGENT_TARGETS if name != existing}
    assert not any((tmp_path / name).exists() for name in others)
    assert_idempotent(tmp_path)


def test_cursor_rules_directory_gets_its_own_rule_file(tmp_path: Path) -> None:
    write(tmp_path, ".cursor/rules/style.mdc", "---\ndescription: style\nalwaysApply: true\n---\nTabs.\n")
    code, out = init(tmp_path)
    assert code == 0, out
    rule = read(tmp_path, ".cursor/rules/agentbudget.mdc")
    front = rule.split("---\n")[1]
    assert "alwaysApply: true" in front and "description:" in front
    assert AGENT_INSTRUCTIONS.strip() in rule
    assert read(tmp_path, ".cursor/rules/style.mdc").endswith("Tabs.\n")
    assert not (tmp_path / "AGENTS.md").exists()
    assert_idempotent(tmp_path)


def test_every_agent_file_the_repo_uses_gets_one_copy(tmp_path: Path) -> None:
    for name in AGENT_TARGETS:
        write(tmp_path, name, f"# {name}\n")
    write(tmp_path, ".cursorrules", "legacy rules\n")
    code, out = init(tmp_path)
    assert code == 0, out
    for name in (*AGENT_TARGETS, ".cursor/rules/agentbudget.mdc"):
        assert read(tmp_path, name).count(BEGIN) == 1, name
    assert_idempotent(tmp_path)


def test_claude_md_that_imports_agents_md_is_left_alone(tmp_path: Path) -> None:
    write(tmp_path, "AGENTS.md", "# Agents\n")
    write(tmp_path, "CLAUDE.md", "@AGENTS.md\n")
    code, out = init(tmp_path)
    assert code == 0 and "CLAUDE.md: imports AGENTS.md" in out
    assert read(tmp_path, "CLAUDE.md") == "@AGENTS.md\n"
    assert BEGIN in read(tmp_path, "AGENTS.md")


def test_symlinked_agent_files_are_written_once(tmp_path: Path) -> None:
    write(tmp_path, "AGENTS.md", "# Agents\n")
    (tmp_path / "CLAUDE.md").symlink_to("AGENTS.md")
    init(tmp_path)
    assert read(tmp_path, "AGENTS.md").count(BEGIN) == 1
    assert (tmp_path / "CLAUDE.md").is_symlink()


def test_an_outdated_section_is_replaced_in_place(tmp_path: Path) -> None:
    write(tmp_path, "AGENTS.md", f"# Before\n\n{BEGIN}\nold words\n{END}\n\n# After\n")
    _, out = init(tmp_path)
    assert "updated    AGENTS.md" in out
    text = read(tmp_path, "AGENTS.md")
    assert text.startswith(f"# Before\n\n{BEGIN}\n## Pull request descriptions")
    assert text.endswith(f"{END}\n\n# After\n") and "old words" not in text


def test_broken_markers_leave_the_file_alone(tmp_path: Path) -> None:
    write(tmp_path, "AGENTS.md", f"# Agents\n{BEGIN}\nno end\n")
    code, out = init(tmp_path)
    assert code == 0
    assert read(tmp_path, "AGENTS.md") == f"# Agents\n{BEGIN}\nno end\n"
    assert "AGENTS.md:" in out and "left as it is" in out
    assert (tmp_path / ".github/pull_request_template.md").exists()


def test_crlf_files_stay_crlf(tmp_path: Path) -> None:
    write(tmp_path, "AGENTS.md", "# Agents\r\nRules.\r\n")
    init(tmp_path)
    text = read(tmp_path, "AGENTS.md")
    assert text.startswith("# Agents\r\nRules.\r\n\r\n") and "\n" not in text.replace("\r\n", "")
    assert_idempotent(tmp_path)


def test_existing_pr_template_gets_only_the_sections_it_lacks(tmp_path: Path) -> None:
    own = "## Summary\n<!-- what and why -->\n\n## Testing\n- [ ] unit tests\n"
    write(tmp_path, ".github/PULL_REQUEST_TEMPLATE.md", own)
    code, out = init(tmp_path)
    assert code == 0, out
    text = read(tmp_path, ".github/PULL_REQUEST_TEMPLATE.md")
    assert text.startswith(own)
    added = text[len(own) :]
    assert "## Not changed" in added and "## Uncertainty" in added and "```agentbudget" in added
    assert "## What changed" not in added and "## Tests run" not in added
    assert not (tmp_path / ".github/pull_request_template.md").exists() or sys.platform == "darwin"
    assert_idempotent(tmp_path)


def test_a_complete_pr_template_is_not_touched(tmp_path: Path) -> None:
    own = "## Summary\n\n## Out of scope\n\n## Test plan\n\n## Risks\n\n```agentbudget\n```\n"
    write(tmp_path, "docs/pull_request_template.md", own)
    _, out = init(tmp_path)
    assert "unchanged  docs/pull_request_template.md" in out
    assert read(tmp_path, "docs/pull_request_template.md") == own


# -- the config: a diff, and a question -----------------------------------------------------------------

OWN_CONFIG = "# ours\nreview:\n  max_changed_lines: 400\n"


def test_existing_config_non_interactive_prints_the_diff_and_changes_nothing(tmp_path: Path) -> None:
    write(tmp_path, ".agentbudget.yml", OWN_CONFIG)
    code, out = init(tmp_path)
    assert code == 1
    assert "+# yaml-language-server: $schema=.agentbudget.schema.json" in out
    assert "not changed .agentbudget.yml (not a terminal: run again with --yes to apply)" in out
    assert read(tmp_path, ".agentbudget.yml") == OWN_CONFIG
    assert not (tmp_path / ".agentbudget.schema.json").exists()
    assert "not changed .agentbudget.schema.json (waits for .agentbudget.yml)" in out
    assert (tmp_path / "AGENTS.md").exists()  # the Markdown merges never need asking
    assert init(tmp_path)[0] == 1  # still pending, still nothing changed
    assert read(tmp_path, ".agentbudget.yml") == OWN_CONFIG


def test_existing_config_with_yes_gets_only_the_schema_line(tmp_path: Path) -> None:
    write(tmp_path, ".agentbudget.yml", OWN_CONFIG)
    code, out = init(tmp_path, yes=True)
    assert code == 0, out
    text = read(tmp_path, ".agentbudget.yml")
    assert text == "# yaml-language-server: $schema=.agentbudget.schema.json\n" + OWN_CONFIG
    assert parse_config_text(text, ".agentbudget.yml").review.max_changed_lines == 400
    assert (tmp_path / ".agentbudget.schema.json").exists()
    assert_idempotent(tmp_path)


@pytest.mark.parametrize(("answer", "applied"), [("y\n", True), ("n\n", False), ("\n", False)])
def test_existing_config_asks_at_a_terminal(tmp_path: Path, answer: str, applied: bool) -> None:
    write(tmp_path, ".agentbudget.yml", OWN_CONFIG)
    code, out = init(tmp_path, stdin=Terminal(answer))
    assert "Apply this change to .agentbudget.yml? [y/N]" in out
    assert (read(tmp_path, ".agentbudget.yml") != OWN_CONFIG) is applied
    assert code == (0 if applied else 1)


def test_config_in_dot_github_points_up_to_the_schema(tmp_path: Path) -> None:
    write(tmp_path, ".github/agentbudget.yml", "mode: enforce\n")
    init(tmp_path, yes=True)
    text = read(tmp_path, ".github/agentbudget.yml")
    assert text == "# yaml-language-server: $schema=../.agentbudget.schema.json\nmode: enforce\n"
    assert not (tmp_path / ".agentbudget.yml").exists()
    assert (tmp_path / ".agentbudget.schema.json").exists()


def test_config_with_its_own_schema_line_is_left_alone(tmp_path: Path) -> None:
    own = "# yaml-language-server: $schema=https://example.com/agentbudget.json\nmode: enforce\n"
    write(tmp_path, ".agentbudget.yml", own)
    code, out = init(tmp_path)
    assert code == 0 and "unchanged  .agentbudget.yml" in out
    assert not (tmp_path / ".agentbudget.schema.json").exists()


def test_an_outdated_schema_is_a_confirmed_change(tmp_path: Path) -> None:
    init(tmp_path)
    write(tmp_path, ".agentbudget.schema.json", "{}\n")
    code, out = init(tmp_path)
    assert code == 1 and read(tmp_path, ".agentbudget.schema.json") == "{}\n"
    assert "-{}" in out
    assert init(tmp_path, yes=True)[0] == 0
    assert read(tmp_path, ".agentbudget.schema.json") == schema_text()


def test_an_invalid_config_is_reported_and_kept(tmp_path: Path) -> None:
    write(tmp_path, ".agentbudget.yml", "review:\n  max_changed_line: 3\n")
    _, out = init(tmp_path)
    assert "note: .agentbudget.yml" in out and "max_changed_line" in out


# -- picking the agent files -------------------------------------------------------------------------------


def test_picked_agent_files_only(tmp_path: Path) -> None:
    write(tmp_path, "AGENTS.md", "# Agents\n")
    code, _ = init(tmp_path, "claude", ".cursor/rules/agentbudget.mdc")
    assert code == 0
    assert read(tmp_path, "AGENTS.md") == "# Agents\n"
    assert BEGIN in read(tmp_path, "CLAUDE.md")
    assert read(tmp_path, ".cursor/rules/agentbudget.mdc").startswith("---\ndescription:")


def test_an_unknown_agent_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(InitError, match=r"expected one of AGENTS\.md"):
        plan(tmp_path, ["README.md"])


def test_merge_section_appends_once_and_replaces_after() -> None:
    once = merge_section("text", "ours")
    assert once == f"text\n\n{BEGIN}\nours\n{END}\n"
    assert merge_section(once, "ours") == once
    assert merge_section(once, "newer") == f"text\n\n{BEGIN}\nnewer\n{END}\n"
    with pytest.raises(InitError):
        merge_section(f"{BEGIN}\n{BEGIN}\n{END}\n", "ours")


# -- the command line --------------------------------------------------------------------------------------


def agentbudget(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-P", "-m", "app.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


def test_cli_init_then_again_then_a_bad_pick(tmp_path: Path) -> None:
    first = agentbudget("init", str(tmp_path), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "created    AGENTS.md" in first.stdout
    second = agentbudget("init", cwd=tmp_path)
    assert second.returncode == 0 and "Nothing to change" in second.stdout
    validate = agentbudget("config", "validate", cwd=tmp_path)
    assert validate.returncode == 0, validate.stdout
    bad = agentbudget("init", "--agents-file", "README.md", cwd=tmp_path)
    assert bad.returncode == 2 and "expected one of" in bad.stderr
    missing = agentbudget("init", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert missing.returncode == 2 and "not a directory" in missing.stderr


def test_the_rollout_rulesets_parse_and_pin_the_app() -> None:
    text = (ROOT / "docs/rollout.md").read_text()
    bodies = [json.loads(block) for block in re.findall(r"^```json\n(.*?)^```$", text, re.M | re.S)]
    assert len(bodies) == 2
    for body in bodies:
        (rule,) = body["rules"]
        assert rule["type"] == "required_status_checks"
        (check,) = rule["parameters"]["required_status_checks"]
        assert check["context"] == "agentbudget" and isinstance(check["integration_id"], int)
    assert "repository_name" in bodies[0]["conditions"] and "repository_name" not in bodies[1]["conditions"]


def test_shipped_defaults_init_and_the_rollout_doc_start_in_the_same_mode() -> None:
    from app.init_text import config_text
    from config.loader import parse_config_text

    written = parse_config_text(config_text(".agentbudget.schema.json"), ".agentbudget.yml")
    assert Config().mode == written.mode == "observe"
    assert "agentbudget starts in **observe** mode" in (ROOT / "docs" / "rollout.md").read_text()
