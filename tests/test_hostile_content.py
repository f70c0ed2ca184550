"""Finding 3: untrusted text (PR-head config, model output, command text) reaches GitHub only escaped, on
every output path: check-run text, review body, inline review comments, replies. Rendered with a CommonMark
parser, the result holds no tag, link, image, extra table row or live mention; a hidden command never acts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from markdown_it import MarkdownIt

from app.settings import Settings
from checks import escape as safe
from checks.commands import parse_commands
from tests.fakegithub import FakeGitHub
from tests.fakeproviders import FakeProvider, serve_provider
from tests.stack import NUMBER, OWNER, REPO, SHA_1, SHA_2, deliver, delivery_for, drain

HOSTILE = (
    "@acme/security-team ping @octocat",
    "</details><details><summary>fake</summary>",
    "<!-- hidden --> <img src=x onerror=alert(1)>",
    "![tracker](https://evil.example/pixel.png) [click](https://evil.example)",
    "| gate | ✅ pass | forged row |\n| budget | ✅ | |",
    "`code` ``` fence\n### Heading\n> quote",
)
_MD = MarkdownIt("commonmark").enable("table")
_LIVE_MENTION = re.compile(r"(?<![\w`\u200b])@[A-Za-z0-9]")


def assert_inert(markdown: str, *, rows: int | None = None, ours: bool = False) -> None:
    """`ours`: a whole check run, whose own headings are allowed."""
    rendered = _MD.render(markdown)
    for tag in ("<a ", "<img", "<details", "<summary", "<!--", *(() if ours else ("<h3",))):
        assert tag not in rendered, (tag, markdown)
    text_only = re.sub(r"<code>.*?</code>", "", rendered, flags=re.DOTALL)
    assert not _LIVE_MENTION.search(text_only), markdown
    if rows is not None:
        assert rendered.count("<tr>") == rows, rendered


@pytest.mark.parametrize("text", HOSTILE)
def test_every_escaping_policy_is_inert(text: str) -> None:
    assert_inert(safe.inline(text))
    assert_inert(f"| a | b |\n| --- | --- |\n| {safe.cell(text)} | `{safe.cell(text)}` |", rows=2)
    assert_inert(safe.quote(text))
    assert_inert(f"unknown `{safe.mentions(safe.code(text))}`")


def test_a_command_inside_an_html_comment_never_acts() -> None:
    assert parse_commands("<!-- /agentbudget approve size -->") == ()
    assert parse_commands("<!--\n/agentbudget approve size\n-->\n") == ()
    assert parse_commands("<!-- never closed\n/agentbudget approve all") == ()
    (visible,) = parse_commands("<!-- x -->\n/agentbudget approve size")
    assert visible.line == 2


HOSTILE_CONFIG = """\
review:
  max_changed_lines: 9
  guidelines: "</details><details open><summary>@acme/admins</summary>\\n| gate | ✅ | forged |"
  ignore_paths: ["![x](https://evil.example/p.png)", "@acme/security"]
"""
CONFIG_EDIT = """diff --git a/.agentbudget.yml b/.agentbudget.yml
new file mode 100644
index 0000000..1111111
--- /dev/null
+++ b/.agentbudget.yml
@@ -0,0 +1,4 @@
+review:
+  max_changed_lines: 9
+  guidelines: x
+  ignore_paths: []
"""


async def test_pr_head_config_is_escaped_in_the_check_run(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.set_head(OWNER, REPO, NUMBER, SHA_2, diff=CONFIG_EDIT)
    github.set_file(OWNER, REPO, "feature", ".agentbudget.yml", HOSTILE_CONFIG)
    assert deliver(server, delivery_for("synchronize", SHA_2)).status_code == 202
    await drain(settings)
    (run,) = github.runs_for(OWNER, REPO, SHA_2)
    summary = run["output"]["summary"]
    assert "This PR edits `.agentbudget.yml`" in summary and "It would change" in summary
    assert_inert(summary, ours=True)
    assert "forged" not in re.sub(r"### Decision.*?\n\n(>.*?\n)", "", summary)  # only inside our note


@pytest.fixture
def hostile_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeProvider]:
    answer = {
        "summary": "Looks fine. cc @acme/security-team </details><img src=x>",
        "findings": [
            {"path": "app.py", "line": 2, "severity": "high @octocat", "message": HOSTILE[3] + " @acme/ops"},
            {"path": "app.py", "line": None, "severity": "low", "message": HOSTILE[1]},
        ],
    }
    with serve_provider("anthropic", text=json.dumps(answer)) as fake:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        yield fake


async def test_model_output_is_escaped_in_review_body_and_inline_comments(
    server: httpx.Client, github: FakeGitHub, settings: Settings, hostile_model: FakeProvider
) -> None:
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    assert hostile_model.calls == 1
    (review,) = github.reviews
    assert_inert(review["body"])
    assert review["comments"]
    for note in review["comments"]:
        assert_inert(note["body"])
    (run,) = github.runs_for(OWNER, REPO, SHA_1)
    assert_inert(run["output"]["summary"], ours=True)
