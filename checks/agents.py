"""Is a pull request a coding agent's? Every signal a real agent PR carries, each configurable in
`review.agents`, and the one that decided it, named.

Most agent PRs are opened from a person's account: the agent shows in a commit trailer
(`Co-authored-by: Claude <noreply@anthropic.com>`), in a footer or marker of the body ("Generated with
Claude Code", a Codex task link, a Devin session link) or in the login of a hosted agent.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from checks.escape import clip
from checks.pull import PullRequestFacts
from config.model import AgentDetection

MAX_COMMITS = 250
MAX_BODY_CHARS = 200_000
_CLIP = 80


@dataclass(frozen=True)
class AgentSignal:
    authored: bool
    kind: str | None  # "login" | "label" | "title" | "branch" | "trailer" | "marker"; None: no agent signal
    detail: str  # what matched, quoted: shown in the check run and the JSON

    @property
    def reason(self) -> str:
        return f"agent-authored: {self.detail}" if self.authored else "no agent signal"


NO_SIGNAL = AgentSignal(False, None, "")


def wildcard(pattern: str, text: str, *, whole: bool) -> bool:
    """`*` matches any run of characters, case-insensitively; `whole`: the pattern spans the text,
    else it may stand anywhere in it. Linear in the text: each literal part is found once, leftmost."""
    parts = pattern.casefold().split("*")
    text = text.casefold()
    if len(parts) == 1:
        return text == parts[0] if whole else parts[0] in text
    first, *middle, last = parts
    if whole and not (text.startswith(first) and text.endswith(last)):
        return False
    start = len(first) if whole else 0
    if not whole and first:
        found = text.find(first)
        if found < 0:
            return False
        start = found + len(first)
    end = len(text) - len(last) if whole else len(text)
    for part in middle:
        found = text.find(part, start, end)
        if found < 0:
            return False
        start = found + len(part)
    if whole:
        return start <= end
    return not last or text.find(last, start) >= 0


def commit_trailers(message: str) -> tuple[str, ...]:
    """`Key: value` lines of a message's last paragraph (git's trailer block), and of the paragraphs just
    before it made of such lines only (`Assisted-by: Codex` above GitHub's `Co-authored-by:` block)."""
    paragraphs = message.strip().split("\n\n")
    found = [" ".join(line.split()) for line in paragraphs[-1].splitlines()[:20] if ":" in line]
    if not _all_trailers(paragraphs[-1]):
        return tuple(found)
    # (the subject, paragraph 0, and the body's text are no trailers)
    for paragraph in reversed(paragraphs[max(1, len(paragraphs) - 1 - MAX_TRAILER_PARAGRAPHS) : -1]):
        if not _all_trailers(paragraph):
            break
        found = [" ".join(line.split()) for line in paragraph.strip().splitlines()] + found
    return tuple(found)


def _all_trailers(paragraph: str) -> bool:
    lines = paragraph.strip().splitlines()
    return 0 < len(lines) <= 20 and all(_TRAILER.fullmatch(line.strip()) for line in lines)


MAX_TRAILER_PARAGRAPHS = 3
# (a key of two words or more, as trailers have: `Assisted-by`, `Claude-Session`; `Body: x` is prose)
_TRAILER = re.compile(r"[A-Za-z][A-Za-z0-9]{0,30}(?:[- ][A-Za-z][A-Za-z0-9]{0,30}){1,3}:\s+\S.{0,300}")


def detect_agent(
    agents: AgentDetection,
    pull: PullRequestFacts,
    commits: Sequence[tuple[str | None, str]] = (),
) -> AgentSignal:
    """The first signal found, in this order: author login, label, title, head branch, commit subject or
    trailer, body marker.
    `commits` are (sha or None, message)."""
    login = next((p for p in agents.authors if wildcard(p, pull.author, whole=True)), None)
    if login is not None:
        return AgentSignal(True, "login", f"author `{pull.author}` (review.agents.authors `{login}`)")
    wanted = {label.casefold() for label in agents.labels}
    label = next((label for label in pull.labels if label.casefold() in wanted), None)
    if label is not None:
        return AgentSignal(True, "label", f"label `{label}` (review.agents.labels)")
    title = next((p for p in agents.titles if wildcard(p, pull.title.strip(), whole=True)), None)
    if title is not None:
        return AgentSignal(
            True, "title", f"title `{clip(pull.title, _CLIP)}` (review.agents.titles `{title}`)"
        )
    branch = next((p for p in agents.branches if wildcard(p, pull.head_ref, whole=True)), None)
    if branch is not None:
        return AgentSignal(True, "branch", f"branch `{clip(pull.head_ref, _CLIP)}` (review.agents.branches)")
    for sha, message in commits[:MAX_COMMITS]:
        # a squash or agent commit keeps the title: `[codex] Fix the parser (#12)`
        subject = message.strip().split("\n", 1)[0].strip()
        if any(wildcard(p, subject, whole=True) for p in agents.titles):
            where = f" `{sha[:7]}`" if sha else ""
            return AgentSignal(True, "title", f"commit{where} subject `{clip(subject, _CLIP)}`")
        for trailer in commit_trailers(_ESCAPED_BREAK.sub("\n", message)):
            if any(wildcard(p, trailer, whole=True) for p in agents.trailers) or _agent_coauthor(
                agents, trailer
            ):
                where = f" on `{sha[:7]}`" if sha else ""
                return AgentSignal(True, "trailer", f"commit trailer `{clip(trailer, _CLIP)}`{where}")
    body = _ESCAPED_BREAK.sub("\n", (pull.body or "")[:MAX_BODY_CHARS])
    # A footer wrapped over lines (`Made by [Open\nSWE](…)`, as squash messages wrap) reads as one line.
    flat = " ".join(body.split())
    for marker in agents.markers:
        if wildcard(marker, body, whole=False) or wildcard(" ".join(marker.split()), flat, whole=False):
            return AgentSignal(
                True, "marker", f"body marker `{clip(marker.strip('*'), _CLIP)}` (review.agents.markers)"
            )
    # A squash message pasted as the description keeps its trailers: `Co-Authored-By: Claude …` as a line.
    for line in _trailer_lines(body):
        if any(wildcard(p, line, whole=True) for p in agents.trailers):
            return AgentSignal(
                True, "marker", f"trailer line `{clip(line, _CLIP)}` in the body (review.agents.trailers)"
            )
    said = disclosure(agents.names, body)
    if said is not None:
        return AgentSignal(True, "marker", f"disclosure “{clip(said, _CLIP)}” (review.agents.names)")
    return NO_SIGNAL


# A line break a tool wrote escaped before a trailer ("…freshness.\\n\\nAssisted-by: OpenAI Codex").
_ESCAPED_BREAK = re.compile(r"\\n(?=(?:\\n)?[A-Z][\w-]{1,40}:[ \t])")


_CO_AUTHOR = re.compile(r"(?i)co-authored-by:\s*(.{1,120}?)\s*<")


def _agent_coauthor(agents: AgentDetection, trailer: str) -> bool:
    """`Co-authored-by: open-swe[bot] <…>`: a co-author named by an agent's login."""
    m = _CO_AUTHOR.match(trailer)
    return m is not None and any(wildcard(p, m.group(1), whole=True) for p in agents.authors)


MAX_TRAILER_LINES = 400
_TRAILER_LINE = re.compile(r"^[ \t]{0,4}([A-Z][\w-]{1,40}:[ \t][^\n]{1,300})$", re.M)


def _trailer_lines(body: str) -> list[str]:
    return [" ".join(m.group(1).split()) for m in islice(_TRAILER_LINE.finditer(body), MAX_TRAILER_LINES)]


# What a disclosure says of the text it sits in, and how it credits the agent. The agent's name is matched
# as written (`Cursor`, never a text cursor); the rest of the sentence in any case.
_SUBJECT = (
    r"(?:(?<![A-Za-z0-9])(?:initial|first)\s+(?:version|draft|pass|implementation)\b"
    r"|(?<![A-Za-z0-9])(?:this|the|these|my|our|all)\s+(?:is\s+an?\s+(?:[\w-]+\s+){0,2})?"
    r"(?:PR|pull\s+request|changes?|commits?|patch|code|implementation|description|fix|work)\b"
    r"|(?<![A-Za-z0-9])(?:this|it)(?=\s+(?:was|has\s+been|is)\s)|(?<![A-Za-z0-9])it'?s(?=\s))"
)
_MADE = (
    r"(?:authored|created|generated|written|opened|produced|implemented|prepared|drafted|made|done|built"
    r"|assisted)"
)
# "written using [Vibe Kanban](https://…)": the name may be a link's text.
_BY = r"(?:\w+\s+){0,2}?(?:by|with|using|via|through)\s+(?:the\s+help\s+of\s+)?(?:the\s+)?\[?"
# Agent names that are also everyday words: matched only as written.
_WORDS = frozenset({"cursor"})
_NEGATED = re.compile(r"\b(?:not|no|never|without)\b|n't\b", re.IGNORECASE)


@functools.lru_cache(maxsize=8)
def _disclosures(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    if not names:
        return ()
    ordered = sorted(names, key=len, reverse=True)
    who = "(?-i:" + "|".join(re.escape(n) for n in ordered) + r")(?![\w-])"
    # The names matched in any case: all but everyday words ("cursor"); none at all matches nothing.
    spoken = [re.escape(n) for n in ordered if n.lower() not in _WORDS]
    any_case = "(?:" + ("|".join(spoken) if spoken else "(?!)") + r")(?![\w-])"
    return (
        # "This PR was authored by OpenAI Codex", "contains changes generated by Cursor background composer"
        re.compile(_SUBJECT + r"[^.\n`\"“]{0,80}?\b" + _MADE + r"\s+" + _BY + who, re.IGNORECASE),
        # a footer line: "🤖 Generated by AI", "_AI-generated by OpenHands on behalf of …_", "#51 fixed by X"
        re.compile(
            r"^[^A-Za-z0-9\n]{0,6}(?:#\d{1,9}\s+)?(?:AI[- ])?(?:"
            + _MADE[3:-1]
            + r"|fixed)\s+"
            + _BY
            + who
            + r"[^\n]{0,60}$",
            re.IGNORECASE | re.M,
        ),
        # a sentence opening on it: "… per the convention in AGENTS.md. Written with Claude, reviewed by me."
        re.compile(
            r"(?:^|(?<=[.!?]\s))" + _MADE + r"\s+" + _BY + who + r"(?!\s*(?:API|SDK|models?)\b)",
            re.IGNORECASE | re.M,
        ),
        # "had claude clean up the docs", "I asked Codex to write the tests" ("used Claude to compare" is
        # help, not authorship): the name in any case but an everyday word's ("cursor")
        re.compile(
            r"(?:^|[.!?]\s+|\b(?:i|we)\s+)(?:had|asked|told)\s+"
            + any_case
            + r"\s+(?:to\s+[a-z]{2,}|(?!(?:and|or|for|in|on|with|as|is|was|code|models?|api)\b)"
            + r"[a-z]{2,}(?<!ed)(?<!ing))\b",
            re.IGNORECASE | re.M,
        ),
        # "Used jules.google.com to increase test coverage", "I used Claude to write the tests" (the agent
        # made the change; "used Claude to compare" is help, not authorship)
        re.compile(
            r"(?:^|[.!?]\s+|\b(?:i|we)\s+)used\s+(?:the\s+)?"
            + any_case
            + r"(?:\.[a-z]{2,12}){0,2}\s+(?:agent\s+)?to\s+(?:write|add|increase|implement|generate|create"
            r"|fix|refactor|build|port|migrate|draft|author|update|rewrite)\b",
            re.IGNORECASE | re.M,
        ),
        # "**AI disclaimer: gpt-5-codex wrote most of the code.**"
        re.compile(
            r"^[^A-Za-z0-9\n]{0,6}AI[- ]?(?:disclaimer|disclosure|usage|use|assistance|involvement)"
            r"[^A-Za-z0-9\n]{0,4}:\s*(?:[\w.]+-){0,3}"
            + any_case
            + r"\s+(?:wrote|generated|implemented|authored|drafted|did)\b",
            re.IGNORECASE | re.M,
        ),
        # "This PR was entirely agent generated", "created by the Godel AI agent", "originally created by
        # Jules": an agent named or not
        re.compile(
            _SUBJECT + r"[^.\n`\"“]{0,40}?\b(?:(?:entirely|fully|completely|mostly|largely)\s+)?"
            r"(?:AI|agent|LLM)[- ](?:generated|authored|written|created)\b",
            re.IGNORECASE,
        ),
        re.compile(
            _SUBJECT + r"[^.\n`\"“]{0,80}?\b" + _MADE + r"\s+by\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?"
            r"AI\s+(?:coding\s+)?agent\b",
            re.IGNORECASE,
        ),
        re.compile(r"\b(?:originally|initially)\s+" + _MADE + r"\s+" + _BY + who, re.IGNORECASE),
        # rsyslog's credit line: "With the help of AI-Agents: GPT-5.2-Codex"
        re.compile(
            r"^[^A-Za-z0-9\n]{0,6}(?:with\s+the\s+help\s+of|assisted\s+by|made\s+with)\s+AI[- ]?agents?\s*:"
            r"[^\n]{0,80}?" + any_case,
            re.IGNORECASE | re.M,
        ),
        # "Major refactor with the help of Claude code": the change made with the agent (any case but
        # "cursor")
        re.compile(
            r"\b(?:refactor\w*|rewr(?:ite|itten|ote)|implement\w*|written|made|done|built|ported|migrat\w+"
            r"|generated|created)\b[^.\n]{0,40}?\bwith the help of\s+(?:the\s+)?" + any_case,
            re.IGNORECASE,
        ),
        # a line opening the body: "generated via `/init` command in claude code" (any case but "cursor")
        re.compile(
            r"^[^A-Za-z0-9\n]{0,6}"
            + _MADE
            + r"\s+(?:by|with|using|via|through)\s+[^\n]{0,40}?\b(?:in|with|by|using|from)\s+(?:the\s+)?"
            + any_case,
            re.IGNORECASE | re.M,
        ),
        # a tag closing the body: "[AI-assisted - Claude]", "AI-assisted: Codex", "AI-assisted — Tool: Codex;
        # model: …; version: …"
        re.compile(
            r"^[^A-Za-z0-9\n]{0,6}AI[- ](?:assisted|generated)\s*"
            r"(?:[-\u2013\u2014:]|by|with|using)\s*(?:(?:tool|agent)\s*:\s*)?(?:the\s+)?"
            + who
            + r"[^\n]{0,80}$",
            re.IGNORECASE | re.M,
        ),
        # a commit's note of what made it, one `Key: value` per line: "Tool: Claude Code" (beside "Model: …")
        re.compile(
            r"^[ \t]*(?:AI[- ])?(?:tool|agent|coding[- ]agent)[ \t]*:[ \t]*" + who + r"[ \t]*$",
            re.IGNORECASE | re.M,
        ),
        # a tag that names no agent: "AI-assisted: yes."
        re.compile(
            r"^[^A-Za-z0-9\n]{0,6}AI[- ](?:assisted|generated)\s*:\s*(?:yes|true)\b", re.IGNORECASE | re.M
        ),
        # an AI-use label crediting the agent with the work: "AI disclosure: Codex helped investigate, test,
        # and prepare this PR."
        re.compile(
            r"^[^A-Za-z0-9\n]{0,6}AI[- ]?(?:disclosure|usage|use|assistance|involvement)"
            r"[^A-Za-z0-9\n]{0,4}:\s*" + who + r"(?:\s*\([^()\n]{0,40}\))?\s+"
            r"(?:helped|assisted|wrote|generated|prepared|drafted|implemented|did)\b",
            re.IGNORECASE | re.M,
        ),
        # an AI-use heading whose paragraph opens on the agent as the maker: "## AI assistance" then "Codex
        # made the toolchain-only edits", "Claude Code — made the Dockerfile edits"
        re.compile(
            r"^[ \t]{0,3}(?:#{1,6}[ \t]*|\*\*)AI[- ]?(?:disclosure|usage|use|assistance|involvement)"
            r"(?:\*\*)?[ \t]*:?[ \t]*\n(?:[ \t]*\n){0,3}[ \t]{0,3}(?:[-*][ \t]+)?"
            + who
            + r"[ \t]*(?:[-\u2013\u2014:][ \t]*)?"
            r"(?:made|wrote|did|implemented|generated|drafted|prepared|authored|helped|assisted)\b"
            r"(?!n't|\s+not\b)",
            re.IGNORECASE | re.M,
        ),
        # an AI-use label whose sentence gives the work to an agent: "AI assistance: an AI agent found this …
        # and drafted the fix"
        re.compile(
            r"^[^A-Za-z0-9\n]{0,6}AI[- ]?(?:disclosure|usage|use|assistance|involvement)"
            r"[^A-Za-z0-9\n]{0,4}:\s*(?:an?|the)\s+AI\s+(?:coding\s+)?(?:agent|assistant)\b[^.\n]{0,120}?\b"
            r"(?:found|drafted|wrote|implemented|generated|prepared|made|fixed|authored)\b",
            re.IGNORECASE | re.M,
        ),
        # the ASF template's question answered: "Was generative AI tooling used to co-author this PR?" "Yes."
        re.compile(
            r"\b(?:generative\s+)?AI\s+(?:tooling|tools?)\s+used\b[^?\n]{0,80}\?[^\n]{0,10}\n"
            r"(?:[ \t]*(?:<!--[^\n]{0,300}-->)?[ \t]*\n){0,6}[ \t]*(?:[-*][ \t]*)?(?:\*\*)?yes\b",
            re.IGNORECASE,
        ),
        # the agent's account of the change quoted as the description: "According to claude:" opening a line
        re.compile(r"^[^A-Za-z0-9\n]{0,6}according\s+to\s+" + any_case + r"\s*:", re.IGNORECASE | re.M),
        # "This pull request was AI-assisted by Isaac.", "Autonomy: Human-driven (agent-assisted)"
        re.compile(_SUBJECT + r"\s+(?:was|is)\s+(?:AI|agent|LLM)[- ]assisted\b", re.IGNORECASE),
        re.compile(
            r"^[^A-Za-z0-9\n]{0,6}(?:\*\*)?autonomy(?:\*\*)?\s*:(?:\*\*)?[^\n]{0,60}?\b(?:agent|AI)[- ]"
            r"(?:assisted|driven|generated|authored)\b",
            re.IGNORECASE | re.M,
        ),
        # "Automated fix from Codex automation."
        re.compile(
            r"\bautomated\s+(?:fix|change|patch|pr|pull\s+request|update)\s+(?:from|by)\s+(?:the\s+)?" + who,
            re.IGNORECASE,
        ),
        # a disclosure that names no agent: "Disclosure: prepared with AI assistance."
        re.compile(
            r"(?:^|(?<=[.!?:]\s))(?:disclosure\s*:\s*)?"
            r"(?:(?:this|the)\s+(?:pr|pull\s+request|change|patch|contribution|work|code)\s+was\s+)?"
            r"(?:prepared|written|generated|created|drafted|authored|developed|built|made|implemented|coded)\s+with\s+"
            r"(?:the\s+help\s+of\s+)?(?:an?\s+)?(?:(?:substantial|significant|heavy|extensive|considerable)\s+)?"
            r"AI(?:\s+(?:assistance|help|agents?|tools?))?(?![\w-])",
            re.IGNORECASE | re.M,
        ),
        # an AI-use label naming the agent as the maker: "AI disclosure: written with Claude Code."
        re.compile(
            r"^[^A-Za-z0-9\n]{0,6}AI[- ]?(?:disclosure|usage|use|assistance|involvement)"
            r"[^A-Za-z0-9\n]{0,4}:\s*"
            r"(?:(?:this|the|it)\s+(?:[\w-]+\s+){0,3}?)?" + _MADE + r"\s+" + _BY + who,
            re.IGNORECASE | re.M,
        ),
        # "I used GH Copilot while writing this PR" (not "used Claude to compare the two versions": help)
        re.compile(
            r"\b(?:i|we)\s+used\s+(?:gh\s+|github\s+|the\s+)?"
            + who
            + r"\s+(?:while|when|for|in)\s+(?:writing|creating|making|authoring|preparing|coding)\s+"
            r"(?:this|the)\s+(?:pr|pull\s+request|change|patch|code)\b",
            re.IGNORECASE,
        ),
        # "I used CODEX to analyze this problem and create this PR" (the name in any case but "cursor")
        re.compile(
            r"\b(?:i|we)\s+used\s+(?:the\s+)?"
            + any_case
            + r"\s+to\s+[^.\n]{0,80}?\b(?:create|write|open|make|prepare|draft|author|implement|build)\s+"
            r"(?:this|the)\s+(?:pr|pull\s+request|change|patch|fix|code)\b",
            re.IGNORECASE,
        ),
        # an AI-use heading whose paragraph gives the agent part of the work: "## AI assistance", then "I
        # chose the approach … OpenAI Codex assisted with code exploration, drafting, and benchmarks."
        re.compile(
            r"^[ \t]{0,3}(?:#{1,6}[ \t]*|\*\*)AI[- ]?(?:disclosure|usage|use|assistance|involvement)"
            r"(?:\*\*)?[ \t]*:?[ \t]*\n(?:[ \t]*\n){0,3}(?:[^\n]{1,200}\n){0,4}?[^\n]{0,200}?"
            + who
            + r"\s+(?:assisted|helped|wrote|drafted|generated|implemented|prepared)\s+(?:with|in|on|to)\b",
            re.IGNORECASE | re.M,
        ),
        # "Gemini CLI was used to find …", "AI-assisted changes were used to audit and update …"
        re.compile(r"\b" + who + r"\s+(?:was|were|has\s+been)\s+used\b", re.IGNORECASE),
        re.compile(
            r"\bAI[- ](?:assisted|generated)\s+(?:changes|edits|code|commits?|patch(?:es)?)\s+"
            r"(?:were|was|are|have\s+been|has\s+been)\s+(?:used|made|applied)\b",
            re.IGNORECASE,
        ),
        # the change credited to the agent in Chinese:
        # "此 PR 使用了 90% 的 Codex 辅助", "本 PR 由 Claude Code 生成"
        re.compile(
            r"(?:此|本|这个|該|该|這個)\s*(?:PR|pr|提交|改动|改動|代码|代碼)[^\n。]{0,12}?"
            r"(?:使用了?|借助了?|由|用了?)[^\n。]{0,12}?"
            + who
            + r"[^\n。]{0,6}?(?:辅助|輔助|协助|協助|生成|编写|編寫|完成|实现|實現|开发|開發)"
        ),
        # an AI-usage template's question answered with the agent: "1. Which tools? codex"
        re.compile(
            r"^[ \t]*(?:[-*]|\d{1,2}[.)])?[ \t]*(?:\*\*)?(?:which|what)\s+(?:AI\s+)?"
            r"(?:tools?|agents?|models?)"
            r"(?:\s+(?:were|was|did\s+you)\s+used?)?\s*\??(?:\*\*)?[ \t]*[:?]?[ \t]*(?:\*\*)?" + any_case,
            re.IGNORECASE | re.M,
        ),
        # "Identified and fixed by Claude", "Claude was able to do the repetitive work of …"
        re.compile(
            r"\b(?:identified|found|diagnosed|investigated|designed|planned)\s+and\s+(?:fixed|implemented|written"
            r"|resolved|coded)\s+by\s+(?:the\s+)?" + any_case,
            re.IGNORECASE,
        ),
        re.compile(
            any_case
            + r"\s+(?:was\s+able\s+to\s+do|did)\s+(?:the|most\s+of\s+the|all\s+of\s+the|much\s+of\s+the)\s+"
            r"(?:[\w-]+\s+){0,2}?work\b",
            re.IGNORECASE,
        ),
        # an agent introducing itself: "Disclosure: I am Truffle, an AI software agent.", and a template's
        # ticked box saying so, "- [x] I am an AI agent …" (left unticked it says nothing: `_unticked`)
        re.compile(
            r"\bI\s+am\s+(?:[\w-]+,\s+)?an?\s+AI\s+(?:(?:software|coding|engineering)\s+)?(?:agent|assistant)\b",
            re.IGNORECASE,
        ),
        # "AI helped me write this.", "Claude helped us draft the fix"
        re.compile(
            r"\b(?:AI|" + any_case + r")\s+(?:helped|assisted)\s+(?:me|us)\s+(?:to\s+)?"
            r"(?:write|draft|implement|create|build|prepare|make|code|author)\b",
            re.IGNORECASE,
        ),
        # a ticked level of an AI-usage template saying the code is the AI's: "- [x] AI-designed, AI-coded,
        # manually checked", "- [x] Fully vibe coded"
        re.compile(
            r"^[ \t]*[-*+][ \t]+\[[xX]\][ \t]+[^\n]{0,60}?"
            r"(?<![A-Za-z])(?:AI[- ](?:coded|written|generated code|implemented|authored)|vibe[- ]coded)\b",
            re.IGNORECASE | re.M,
        ),
        # under an AI-usage heading, a line that names the agent used: "## AI Disclaimer" … "Using Codex with
        # gpt-5. Reviewed manually."
        re.compile(
            r"^#{1,6}[ \t]*[^\n]{0,40}\bAI\b[^\n]{0,40}\n(?:[ \t]*\n){0,3}[ \t]*(?:[-*][ \t]+)?"
            r"(?i:using|used|with|via)[ \t]+" + who + r"[^\n]{0,120}",
            re.M,
        ),
        # part of the change credited to AI: "most of the synthetic benchmarks are AI generated", "the tests
        # were LLM-written" (what the change adds, not what the product detects: "flags AI-generated images")
        re.compile(
            r"\b(?:tests?|benchmarks?|fixtures?|code|changes?|implementation|fix|docs?|snapshots?|examples?)\s+"
            r"(?:are|were|was|is)\s+(?:(?:entirely|fully|mostly|largely|partly|partially)\s+)?"
            r"(?:AI|LLM)[- ](?:generated|written|authored)\b",
            re.IGNORECASE,
        ),
        # the work credited to a model by name, opening a line or following the part it made: "planned by
        # sonnet 4.6 and tests generated by kimi k2.5"
        re.compile(
            r"(?:^[^A-Za-z0-9\n]{0,6}|\b(?:tests?|code|changes?|fix|implementation|benchmarks?|docs?)\s+)"
            r"(?:planned|written|generated|implemented|drafted|authored|coded)\s+(?:by|with|using)\s+"
            r"(?:claude\s+)?(?:sonnet|opus|haiku|gpt-?[345][\w.]*|kimi|qwen|deepseek|gemini|glm|grok)"
            r"(?:[ -]?[kv]?\d[\w.]*)?\b",
            re.IGNORECASE | re.M,
        ),
        # a level of an AI-usage template, chosen or written out: "- [x] **Heavy**: AI generated most or all
        # of the code changes", "Moderate: AI assisted with codebase investigation …"
        re.compile(
            r"^[ \t]*(?:[-*][ \t]*\[[xX]\][ \t]*)?(?:\*\*)?"
            r"(?:heavy|moderate|substantial|significant|extensive|full)(?:\*\*)?\s*[:\u2013\u2014-]\s*(?:\*\*)?AI\s+(?:generated|assisted|wrote|authored|drafted"
            r"|implemented)\b",
            re.IGNORECASE | re.M,
        ),
    )


def disclosure(names: Sequence[str], body: str) -> str | None:
    """The sentence by which the body credits a coding agent with the change, if it does."""
    body = body[:MAX_BODY_CHARS]
    for pattern in _disclosures(tuple(names)):
        for m in pattern.finditer(body):
            if not _NEGATED.search(m.group(0)) and not _unticked(body, m.start()):
                return " ".join(m.group(0).split())
    return None


# `- [ ] This is fully AI-generated`: a template's choice left unticked says nothing
_UNTICKED = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+\[ \]\s")


def _unticked(body: str, at: int) -> bool:
    start = body.rfind("\n", 0, at) + 1
    return _UNTICKED.match(body, start) is not None
