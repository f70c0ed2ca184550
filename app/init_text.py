"""The text `agentbudget init` writes: the starting config, the agent instructions, Cursor's rule header.

The agent instructions' example is parsed by the tests with the same parser the check uses: every section
in it must count as present, so an agent that follows the instructions passes the evidence gate.
"""

from __future__ import annotations

import textwrap

from config.model import Config

SCHEMA_FILE = ".agentbudget.schema.json"
WIDTH = 100


def _comment(text: str, indent: int = 0) -> list[str]:
    pad = " " * indent
    return [f"{pad}# {line}" for line in textwrap.wrap(text, WIDTH - indent - 2)]


def _described(section: str, key: str) -> str:
    model = type(getattr(Config(), section)) if section else Config
    return model.model_fields[key].description or ""


def config_text(schema_ref: str) -> str:
    """A starting `.agentbudget.yml`: observe mode and the evidence policy spelled out, the rest commented."""
    evidence = Config().evidence
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        "#",
        *_comment(
            "agentbudget, read from each pull request's BASE branch (a pull request cannot loosen its own "
            "gate). This file needs only the keys you change; the rest keep the shipped defaults. "
            "`agentbudget config schema` lists every key; `agentbudget config validate` checks this file."
        ),
        "",
        *_comment(_described("", "mode")),
        *_comment(
            "Start with `observe`: every pull request gets its full check run, and one that would block "
            "says so with conclusion neutral. Switch to `enforce` when few would (see agentbudget's "
            "docs/rollout.md)."
        ),
        "mode: observe",
        "",
        *_comment(_described("", "evidence")),
        "evidence:",
        *_comment(_described("evidence", "required"), 2),
        f"  required: [{', '.join(evidence.required)}]",
        *_comment(_described("evidence", "applies_to"), 2),
        f"  applies_to: {evidence.applies_to}",
        *_comment(_described("evidence", "require_passing_checks"), 2),
        "  # require_passing_checks: ['test*']",
        "",
        *_comment("Size limits for the AI review (changed lines and files, after ignore_paths):"),
        "# review:",
        f"#   max_changed_lines: {Config().review.max_changed_lines}",
        f"#   max_files: {Config().review.max_files}",
        *_comment("Review spend allowed per pull request, in US dollars:"),
        "# budget:",
        "#   per_pr:",
        f"#     usd: {Config().budget.per_pr.usd}",
    ]
    return "\n".join(lines) + "\n"


# The agent instructions. The example inside is what `checks.evidence` parses: keep them in step.
AGENT_INSTRUCTIONS = """\
## Pull request descriptions (agentbudget)

Pull requests in this repository are checked by agentbudget. A pull request you open is blocked until its
description has these sections, each saying something real. "N/A", "TBD", "-", an issue link alone, or
template guidance left in place counts as missing.

- `## What changed`: what the pull request changes and why, in a few bullets.
- `## Not changed`: what you deliberately left alone or out of scope: code you chose not to touch,
  refactors you did not do, follow-ups.
- `## Tests run`: one line per command, the command in backticks, then its result:
  ``- [x] `pytest -q` ✅`` for a command you ran and that passed,
  ``- `npm test` ❌ 2 failures in export.test.ts`` for one that failed,
  ``- [ ] `make e2e` ⚠️ could not run in the sandbox: no network`` for one you could not run.
  Mark ✅ only what you actually ran and saw pass: CI results on the commit are shown beside your
  claims, and a pass that CI contradicts blocks the merge.
- `## Uncertainty`: risks, open questions, anything you are unsure about. If there is none, say so in a
  sentence.
- A fenced `agentbudget` block with the tokens this task cost, copied from your tool's usage or cost
  report: `agent`, `model`, `input_tokens`, `cached_input_tokens`, `output_tokens`, `cost_usd`. Counts may
  be written `182340`, `182,340` or `182k`. Never estimate or invent a number: leave out a line you do not
  have. (Per commit instead: the trailers `Agent-Model: claude-sonnet-4-5` and
  `Agent-Tokens: input=182340 cached=120000 output=9100`.)

Example description:

````markdown
## What changed
- Add CSV export to the report page (`report/export.py`), so finance can import the numbers.

## Not changed
- The PDF export keeps its layout; I did not touch `report/pdf.py`.

## Tests run
- [x] `pytest -q tests/test_export.py` ✅
- [ ] `npm run e2e` ⚠️ could not run in the sandbox: no browser

## Uncertainty
- Dates are written as UTC; I could not tell whether finance expects local time.

```agentbudget
agent: claude-code
model: claude-sonnet-4-5
input_tokens: 182340
cached_input_tokens: 120000
output_tokens: 9100
cost_usd: 0.84
```
````

If the agentbudget check fails anyway, its summary shows the missing sections as a block to paste,
pre-filled from the diff and CI. Paste it into the description, correct what it says, and save: the same
commit is checked again.
"""

CURSOR_RULE_HEADER = """\
---
description: How to write pull request descriptions that pass the agentbudget check
globs:
alwaysApply: true
---

"""
