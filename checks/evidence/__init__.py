"""The evidence an agent-written pull request carries, parsed from its body and its commits' trailers.

    evidence = parse_evidence(body, commit_messages)
    missing(evidence, ("what_changed", "tests_run"))   # → ("tests_run",) when there is no test section
    template(missing(...))                             # Markdown to paste, still "missing" if unedited
    prefilled_template(missing(...), diff, observed)   # the same, written in from the diff and CI

Pure and bounded: the body is hostile input (up to 1 MiB is read, the rest is cut with a note), parsed
in one linear pass with no recursion; nothing here raises on any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from checks.evidence.claims import (
    MAX_CLAIM_TEXT,
    MAX_CLAIMS,
    claims_from_pieces,
    claims_from_prose,
    logical_lines,
    ticked,
)
from checks.evidence.content import FILL_IN_MARK, SECTION_TEXT_LIMIT, display_text, emptiness
from checks.evidence.markdown import Fence, Text, scan
from checks.evidence.model import SECTION_KEYS, Evidence, Section, TestClaim, TokenReport, missing
from checks.evidence.results import reviewer_step
from checks.evidence.sections import Layout, Piece, RawSection, lay_out
from checks.evidence.tokens import tokens_from_block, tokens_from_trailers

if TYPE_CHECKING:
    from checks.diff import DiffSummary
    from checks.observed import ObservedCheck

__all__ = [
    "MAX_BODY_CHARS",
    "SECTION_KEYS",
    "Evidence",
    "Section",
    "TestClaim",
    "TokenReport",
    "headed_keys",
    "missing",
    "parse_evidence",
    "prefilled_template",
    "template",
]

MAX_BODY_CHARS = 1 << 20
MAX_CLAIM_LINES = 4 * MAX_CLAIMS  # read this many claims before de-duplicating down to MAX_CLAIMS
TITLES = {
    "what_changed": "What changed",
    "not_changed": "Not changed",
    "tests_run": "Tests run",
    "uncertainty": "Uncertainty",
    "tokens": "Tokens",
}
_GUIDANCE = {
    "what_changed": "What this PR changes, and why, in a few bullets.",
    "not_changed": "What you deliberately left alone, or is out of scope.",
    "tests_run": "One line per command you ran, e.g. - [x] `pytest -q` ✅ (or ❌ with the failure).",
    "uncertainty": "Risks, open questions, known limitations.",
}
_TOKENS_TEMPLATE = """```agentbudget
agent:                 # e.g. claude-code, codex, copilot
model:                 # e.g. claude-sonnet-4-5
input_tokens:          # as your agent reports them; 182340, 182,340 and 182k all work
cached_input_tokens:
output_tokens:
cost_usd:
```"""


def template(keys: Sequence[str]) -> str:
    """Markdown with a heading per key and guidance in HTML comments; pasted unedited, it is still missing."""
    parts: list[str] = []
    for key in keys:
        if key not in SECTION_KEYS:
            raise ValueError(f"unknown evidence key {key!r}; expected one of {', '.join(SECTION_KEYS)}")
        if key == "tokens":
            parts.append(_TOKENS_TEMPLATE)
        else:
            parts.append(f"## {TITLES[key]}\n<!-- {_GUIDANCE[key]} -->\n")
    return "\n".join(parts).strip() + "\n"


MAX_PREFILLED_FILES = 20
MAX_PREFILLED_CHECKS = 10
# Derived names (paths, CI job names) are chosen by others: keep them inert in Markdown and in the fence.
_UNSAFE = re.compile(r"[`<>|\\\x00-\x1f\x7f\u2028\u2029]")
_DERIVED_GUIDANCE = {
    "what_changed": "The files are from the diff: replace the last line with why; correct anything wrong.",
    "not_changed": "Only you know this: replace the line below.",
    "tests_run": "CI on this commit is listed as observed: replace the last line with what you ran yourself.",
    "uncertainty": "Only you know this: replace the line below.",
}


def _inert(name: str, limit: int = 120) -> str:
    name = _UNSAFE.sub("?", name)
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _files(diff: DiffSummary) -> list[str]:
    files = diff.counted
    noun = "file" if len(files) == 1 else "files"
    lines = [f"- {len(files):,} {noun} changed, +{diff.additions:,} −{diff.deletions:,}:"]
    for change in files[:MAX_PREFILLED_FILES]:
        counts = f"{change.status}, +{change.additions} −{change.deletions}"
        lines.append(f"  - `{_inert(change.path)}` ({counts})")
    if len(files) > MAX_PREFILLED_FILES:
        lines.append(f"  - … and {len(files) - MAX_PREFILLED_FILES:,} more")
    if diff.ignored:
        lines.append(f"- {len(diff.ignored):,} generated or vendored files (review.ignore_paths) not listed")
    return lines


def _ci(observed: Sequence[ObservedCheck]) -> list[str]:
    if not observed:
        return ["- [ ] No CI run observed on this commit yet"]
    shown = observed[:MAX_PREFILLED_CHECKS]
    failed = [check for check in shown if check.state == "failed"]
    lines = [f"- ❌ CI `{_inert(check.name, 80)}` failed" for check in failed]
    pending = [check for check in shown if check.state == "pending"]
    lines += [f"- [ ] CI `{_inert(check.name, 80)}` not finished yet" for check in pending]
    passed = [check for check in shown if check.state == "passed"]
    if passed and failed:
        # A pass claim beside a failing test job reads as a contradiction: name them without a result.
        lines.append("- Also observed in CI: " + ", ".join(f"`{_inert(c.name, 80)}`" for c in passed))
    else:
        lines += [f"- [x] CI `{_inert(check.name, 80)}` ✅ passed" for check in passed]
    if len(observed) > MAX_PREFILLED_CHECKS:
        lines.append(f"- … and {len(observed) - MAX_PREFILLED_CHECKS:,} more CI checks")
    return lines


# What only the author can say stays a line to replace: the gate reads a section holding it as empty, so the
# block pasted unchanged never passes and the App never certifies claims nobody made.
_FILL_IN = {
    "what_changed": "why this change, in a sentence or two",
    "not_changed": "what you deliberately left unchanged or out of scope",
    "tests_run": "each command you ran yourself, with its result (✅ / ❌ / could not run)",
    "uncertainty": "your risks and open questions, or that you know of none, and why",
}


def _derived(key: str, diff: DiffSummary | None, observed: Sequence[ObservedCheck]) -> list[str] | None:
    if key not in _FILL_IN:
        return None  # token counts cannot be derived: the agent that spent them reports them
    observed_lines: list[str] = []
    if key == "what_changed" and diff is not None and diff.counted:
        observed_lines = _files(diff)
    elif key == "tests_run":
        observed_lines = _ci(observed)
    return [*observed_lines, f"- {FILL_IN_MARK} {_FILL_IN[key]}"]


def prefilled_template(
    keys: Sequence[str], diff: DiffSummary | None = None, observed: Sequence[ObservedCheck] = ()
) -> str:
    """`template(keys)` with what the App observed written in (the changed files, CI on this commit) and a
    line to replace where only the author can speak: pasted unchanged, it is still missing.

    The guidance (HTML comments, not shown once posted) says what to check. The token block cannot be
    derived and stays to be filled in.
    """
    parts: list[str] = []
    for key in keys:
        if key not in SECTION_KEYS:
            raise ValueError(f"unknown evidence key {key!r}; expected one of {', '.join(SECTION_KEYS)}")
        lines = _derived(key, diff, observed)
        if lines is None:
            parts.append(template((key,)))
        else:
            heading = (f"## {TITLES[key]}", f"<!-- {_DERIVED_GUIDANCE[key]} -->")
            parts.append("\n".join((*heading, *lines)) + "\n")
    return "\n".join(parts).strip() + "\n"


def headed_keys(text: str) -> frozenset[str]:
    """The evidence keys a text (a PR template, say) has a heading or an agentbudget block for."""
    layout = lay_out(scan(_bounded_body(text, [])))
    keys = {raw.key for raw in layout.sections}
    return frozenset(keys | {"tokens"} if layout.blocks else keys)


def _lines(pieces: Iterable[Piece]) -> list[str]:
    lines: list[str] = []
    for piece in pieces:
        lines.extend(piece.render().split("\n") if isinstance(piece, Fence) else [piece.text])
    return lines


def _bounded_body(body: str | None, notes: list[str]) -> str:
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    text = unescaped_newlines(text.removeprefix("\ufeff"))
    if len(text) <= MAX_BODY_CHARS:
        return text
    cut = text.rfind("\n", MAX_BODY_CHARS - 4096, MAX_BODY_CHARS)
    cut = cut if cut > 0 else MAX_BODY_CHARS
    notes.append(f"body is {len(text):,} characters; read the first {cut:,}")
    return text[:cut]


def unescaped_newlines(text: str) -> str:
    """A body a tool wrote with its line breaks escaped ("…coverage.\\n\\nVerification: 44 tests passed"):
    more escaped breaks than real ones, and at least three, are the lines the author meant."""
    escaped = text.count("\\n")
    if escaped >= 3 and escaped > text.count("\n"):
        return text.replace("\\r\\n", "\n").replace("\\n", "\n")
    # an escaped paragraph break between sentences ("…to 2.4.1.\\n\\nVerification: …"), never one in code
    return _ESCAPED_PARAGRAPH.sub("\n\n", text) if escaped else text


_ESCAPED_PARAGRAPH = re.compile(r"(?<=[\w.!?:)])\\n\\n(?=(?:[-*]\s|#{1,6}\s)?[A-Z])")


MAX_PROSE_LINES = 5
MAX_PROSE_CHARS = 2_000  # of one line: a sentence that means it is not longer
# Opening prose is "what changed" only when it says what was done: verbs of change in English, German,
# French, Spanish and Portuguese; text in another script is taken as it is.
_CHANGE_VERB = re.compile(
    r"\b(?:add|adds|added|adding|fix|fixes|fixed|fixing|remove[sd]?|removing|delete[sd]?|updat\w+|implement\w*"
    r"|refactor\w*|renam\w+|move[sd]?|moving|replac\w+|introduc\w+|support\w*|chang\w+|bump\w*|upgrad\w+"
    r"|allow\w*|enabl\w+|disabl\w+|improv\w+|switch\w*|drop\w*|creat\w+|extract\w*|handl\w+|prevent\w*"
    r"|avoid\w*|ensur\w+|convert\w*|document\w*|clean\w*|simplif\w+|expos\w+|split\w*|migrat\w+"
    r"|deprecat\w+|teach\w*|makes?|made|now|use[sd]?|using|return\w*|set|sets|wire[sd]?|port\w*|tweak\w*"
    r"|restor\w+|revert\w*|correct\w*|reduc\w+|increas\w+|speed\w*|optimi[sz]\w+|resolv\w+|includ\w+"
    r"|retain\w*|keeps?|kept|strip\w*|emit\w*|stop(?:s|ped|ping)?"
    r"|introduces?|this pr|this change|this commit"
    r"|upload\w*|attach\w*|publish\w*|generat\w+|install\w*|configur\w+|register\w*|rewr[io]t\w*|rework\w*"
    r"|reorganiz\w+|wrap\w*|guard\w*|skip\w*|limit\w*|hid(?:e|es|den|ing)|show\w*|display\w*|rais\w+"
    r"|fügt|hinzu\w*|behebt|behoben|ändert|entfernt|ersetzt|ajout\w*|corrig\w*|modifi\w*|supprim\w*"
    r"|remplac\w*|agreg\w*|añad\w*|elimin\w*|cambi\w*|adicion\w*|alter\w*|remov\w*)\b"
    # Chinese and Japanese change verbs: prose mixing them with English names and links is still a summary
    r"|翻译|翻譯|添加|新增|增加|修复|修復|更新|删除|刪除|移除|修改|优化|優化|重构|重構|实现|實現|调整|調整|改进"
    r"|改進|替换|替換|引入|升级|升級|支持|追加|修正|変更|削除|対応",
    re.IGNORECASE,
)


# Words in opening prose that say nothing of what changed: a credit line ("Automatic fix generated by …"),
# an issue reference ("Fixes #193", "Fixes:" before a pasted log), that the issue "has been resolved", a
# sentence saying what did not change ("No API changes.").
# A credit opens its line ("🤖 Generated with …", "Automatic fix generated by …"); "a reply written by an AI
# agent must say so" is a sentence about something else.
_CREDIT_LINE = re.compile(
    r"^[^\w\n]{0,8}(?:[\w-]+\s+){0,3}(?:generated|created|written|made|authored)\s+(?:by|with)\b"
    # "This pull request contains changes generated by a Cursor Cloud Agent"
    r"|^[^\w\n]{0,8}this\s+(?:pull\s+request|pr|change|commit)\s+(?:contains|includes|has)\s+(?:[\w-]+\s+){0,2}"
    r"(?:generated|created|written|made|authored)\s+(?:by|with)\b"
    r"|co-authored-by:",
    re.I,
)
_SAYS_NOTHING = re.compile(
    r"^\s*(?:this (?:pr|pull request|change) )?(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?|refs?|see)\b\s*:?\s*"
    r"(?:#\d+|[\w.-]+/[\w.-]+#\d+|https?://\S+)\s*[.!]?\s*$"
    r"|^\s*(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?)\s*:\s*$"
    r"|\b(?:the|this) issue (?:has been|is|was) (?:\w+ )?(?:resolved|fixed|addressed)\b"
    r"|(?:^|(?<=[.!?]\s))no (?:[\w-]+ ){0,3}changes?\b[^.!?]*[.!?]?",
    re.IGNORECASE,
)


# An unticked box is a task still to do ("- [ ] documentation is changed"), not something the change did.
_OPEN_BOX = re.compile(r"\s{0,8}(?:[-*+]|\d{1,9}[.)])\s+\[ \]")


def describes_change(lines: Iterable[str]) -> bool:
    kept = [
        _SAYS_NOTHING.sub(" ", line)
        for line in lines
        if not _CREDIT_LINE.search(line) and not _OPEN_BOX.match(line)
    ]
    text = " ".join(kept)[:4_000]  # opening prose says what it does early, or not at all
    if not text.strip():
        return False
    if sum(1 for char in text if char.isascii()) < 0.8 * len(text):
        return True
    return _CHANGE_VERB.search(text) is not None


# Strong phrases only: a body that merely mentions a file it did not touch says nothing deliberate, and
# "unchanged" describing behaviour ("on failure, teams unchanged") is not a statement about the change.
_NOT_CHANGED_PROSE = re.compile(
    r"\b(?:intentionally|deliberately|purposely|on purpose)\b.{0,60}?\b(?:not|no|left|kept|omit\w*|unchanged"
    r"|untouched|scoped|narrow\w*|out of scope)\b"
    r"|\b(?:not|no|left|kept|omit\w*|unchanged|untouched)\b.{0,40}?"
    r"\b(?:intentionally|deliberately|on purpose)\b"
    r"|\bout of scope\b|\bout-of-scope\b|\bleft (?:as[- ]is|alone)\b"
    # "the raw output is committed unformatted, as before", "keeps the last-good card either way"
    r"|,\s+as before\s*(?:[.;]|$)|\bkeeps?\b[^.\n]{0,60}?\beither way\b"
    r"|无需改动|无需修改|不需要改动|不需要修改|向后兼容"
    r"|\b(?:is|are|was|were|be|been|being|remains?|remained|stays?|stayed|left|kept|otherwise)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:unchanged|untouched|intact|unmodified|unaffected)\b|(?:[\u2014:(]|\s-)\s*(?:unchanged|untouched)\b"
    # "Automated changeset workflows remain in place", "copy's iteration order still matches the original's"
    r"|\b(?:remains?|remained|stays?|stayed)\s+in\s+place\b|\bstill\s+(?:matches|serves|works)\b"
    r"|\b(?:behaviou?r|semantics|api|output|interface|defaults?)\s+(?:is\s+|are\s+)?unchanged\b"
    r"|\b\w+ed\s+unmodified\b"
    # ("so the label is preserved rather than being lost", "only a/b are preserved — output is lost": the bug
    # and its fix)
    r"|\b(?:is|are|was|were|remains?|stays?)\s+(?:still\s+)?(?:preserved|retained)\b"
    r"(?!\s+(?:\([^()\n]{0,80}\)\s+)?(?:rather\s+than|instead\s+of|as)\b)(?![^.\n]{0,40}?\b(?:is|are|was|were|gets?|got)\s+lost\b)"
    r"|\b(?:maintain\w*|keep\w*|kept|preserv\w*|retain\w*|ensur\w*|remains?|stays?|still|fully)\s+(?:\w+\s+)?"
    r"backwards?[- ]compatib\w*|\bnon[- ]breaking\b"
    r"|\b(?:keep\w*|kept|preserv\w*|maintain\w*|retain\w*)\s+(?:[\w#-]+\s+){0,3}?"
    r"(?:functionality|behaviou?r|semantics)\b"
    r"|\bno (?:(?:functional|behaviou?r(?:al)?|api|schema|public api|user[- ]facing|breaking|runtime|logic"
    r"|logical|code)\s+){1,2}changes?\b|\bnfc\b|\bnon[- ]functional change\b"
    r"|\bonly (?:a )?(?:docs?|documentation|comments?|typo|readme) (?:update|change|edit|fix)s?\b"
    r"|\bno (?:build|runtime|behaviou?r(?:al)?|functional|user[- ]facing|performance|api)(?:/[\w-]+)?"
    r" impact\b"
    r"|\bno (?:[\w-]+ )?(?:code|tests?|source)(?: or (?:code|tests?|docs?))? (?:(?:is|are|was|were) )?"
    r"(?:affected|touched|changed|modified)\b"
    r"|\bcosmetic (?:change )?only\b|\bonly (?:a )?cosmetic\b|\bpurely cosmetic\b"
    r"|\bwithout making (?:any )?(?:unnecessary |other |unrelated |further )?(?:[\w-]+ )?"
    r"(?:changes|modifications)\b"
    r"|零影响|不影响|无影响|不受影响|保持不变|保持原样|無影響|不影響|保持不變|不需要手工迁移|无需迁移|无需手动迁移|不需要迁移"
    r"|\b(?:changed|touched|modified|updated) only (?:the|a|one|two|this|that|those)\b"
    r"|\bkept (?:your|the|its|their) (?:[\w-]+ ){0,2}(?:structure|voice|layout|wording|format|style)\b"
    # "Standalone `validate` procedure unchanged (Invariant D)", "outputs are still written before exit",
    # "keeping the feature available", "is now a deprecated alias for", "so write paths keep their existing
    # error handling", "The tests will continue to run in other environments", "this PR only adds coverage"
    r"|(?:`[^`\n]{1,80}`(?:\s+[\w-]+){0,2}?|\b(?:procedure|function|method|endpoint|api|flow|logic|handler"
    r"|component|contract|schema|format|interface|signature|forward)s?)\s+(?:unchanged|untouched)\s*(?:\(|[.;,]|$)"
    r"|\b(?:is|are)\s+still\s+(?:written|emitted|supported|available|returned|accepted|honou?red|respected"
    r"|served|sent|logged|read|applied|allowed|valid|used|called|created|generated|shown|recorded|persisted|stored"
    r"|saved)\b"
    r"|\bkeep(?:ing|s)?\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:available|intact|working|as[- ]is|enabled|supported)\b"
    r"|\bdeprecated alias\b|\bkeep\w*\s+(?:[\w-]+\s+){0,2}?existing\b"
    # ("The old labels will continue to work, with new meanings" says what changes about them)
    r"|\b(?:continues?|continuing) to (?:run|surface|handle)\b"
    # "The runtime fix is already on master (#4126); these tests guard against regressions"
    r"|\b(?:fix|change) (?:is|was) already (?:on|in) (?:master|main|trunk)\b"
    r"|\bonly adds? (?:[\w-]+ ){0,2}?(?:tests?|coverage)\b"
    # "`--files` keeps its current shape", "No unrelated files modified", "a one-line change affecting only
    # the status code", "can still pass providerParameters.storage as before"
    r"|\bkeeps? (?:its|their|the) (?:current|existing|original|previous|documented)\b"
    r"|\bno unrelated (?:files?|changes?|code) (?:(?:were|was) )?(?:modified|changed|touched)\b"
    r"|\baffect(?:s|ing)? only (?:the|a|one)\b|\bstill\b(?:[^.\n]|\.(?=\w)){0,60}?\bas before\b"
    r"|\bno (?:real |actual |other |code |functional )?changes? (?:to|in|for)\b"
    r"|\b(?:docs?|documentation|tests?|comments?|typo|ci|formatting|internal|development|dev|build|tooling"
    r"|config(?:uration)?)[- ]only(?: [\w-]+){0,2} (?:change|pr|fix|update|edit|cleanup|clean-up|tweak)s?\b"
    r"|\b(?:is|are|be) (?:a )?(?:docs?|documentation|tests?|comments?|ci|development|dev|config)[- ]only\b"
    # "No type annotations changed.", "This is PR 1/4 in the series" (the other parts left to their own)
    r"|(?:^|[.!?;:]\s+|\(\s*)no (?:[\w-]+ ){1,3}(?:(?:or|and|nor) (?:[\w-]+ ){1,2})?"
    r"(?:changed|modified|touched|altered)\b"
    r"|\b(?:pr|part)\s+\d{1,2}\s*(?:/|of)\s*\d{1,2}\b"
    r"|\bidentical to (?:the |what )?(?:old|previous|existing|before|was)\b"
    r"|\bno (?:content|data|semantic) changes?\b"
    # something the author keeps on purpose: "the nested pnpm-workspace.yaml stays because …", "The assertion
    # change from the same PR stays.", "a truncated answer keeps exiting 1 as before"
    r"|\bstays(?=\s*(?:[.;]|$)|\s+(?:because|since|as[- ]is|put|in place|where it is)\b)"
    r"|\b(?:keeps?|still|continues? to)\s+\w+(?:ing|s)?\b[^.\n]{0,40}?\bas before\b"
    # "no provider/runtime wiring changes"
    r"|\bno (?:[\w-]+/)+[\w-]+ (?:[\w-]+ )?changes?\b"
    # "no production code changes", "no application, auth, or runtime code changes"
    r"|\bno (?:[\w-]+,?\s+(?:(?:or|and|nor)\s+)?){1,4}(?:code|source) changes?\b"
    # "no schema, API or contract change"
    r"|\bno (?:[\w-]+,?\s+){1,4}(?:or|and|nor)\s+(?:[\w-]+\s+)?changes?\b"
    r"|\boutside (?:of )?(?:the )?scope\b"
    # "No documentation is lost", "No product behavior changes are intended", "still uses legacy prms"
    r"|\bno (?:[\w-]+ ){0,2}(?:is|are|was|were|gets?|got) (?:lost|removed|dropped|deleted)\b"
    r"|\bno (?:[\w-]+\s+){0,2}(?:behaviou?r(?:al)?|functional|api|schema|logic|runtime)\s+changes?\b"
    r"|\bstill\s+uses?\b"
    # "We'll also leave it in settings", "I didn't fix all of the warnings", "never changes for any other
    # task", "so CI runs the same code" ("without affecting X" describes the change: no statement)
    r"|\bleav(?:e|ing) (?:it|them|this|that|those|these) (?:in|as[- ]is|alone|untouched|there)\b"
    r"|\b(?:i|we) (?:didn'?t|did not|haven'?t|have not) (?:fix|address|handle|change|update|touch|convert"
    r"|migrate|modify|remove)\w*\b"
    r"|\bnever (?:changes?|modif\w+|touch\w*|affects?)\b"
    r"|\b(?:runs? the same code|behaves? (?:exactly )?the same)\b"
    r"|\b(?:keeps?|kept|keeping|preserv\w+|maintain\w*|retain\w*) (?:all |the |its |their )?existing\b"
    r"|\bexisting\b[^.\n]{0,60}?\b(?:is|are) (?:still )?(?:kept|preserved|retained)\b"
    # "the config stays in …", not "so I can stay in vim"
    r"|(?<!\bto )(?<!\bcan )(?<!\bcould )(?<!\bmay )(?<!\bmight )\bstays? (?:in|the same|as[- ]is)\b"
    r"|\b(?:does|do|did|will|would)\s*(?:not|n't)\s+(?:change|modify|touch|alter|add|affect)\b"
    # (not the author's own constraint: "we're unfortunately still limited to numpy < 2.0")
    # ("the volume lookup is already scoped to the fork-from app" tells what the code did before)
    r"|(?<!not )(?<!n't )(?<!still )(?<!we're )(?<!we are )(?<!i'm )(?<!i am )(?<!already )"
    r"\b(?:scoped|limited|confined|restricted) (?:narrowly |only )?to\b"
    r"|\bnarrowly scoped\b"
    r"|\b(?:keep\w*|kept|maintain\w*|preserv\w*|retain\w*) the same\b"
    r"|\b(?:keep\w*|kept|maintain\w*|preserv\w*|retain\w*) (?:an? |the )?identical\b"
    # "Only the root CLAUDE.md was modified", "Not addressed here."
    r"|(?:^|[.!?]\s+)(?:[-*+]\s+)?(?:\[[xX ]\]\s+)?only (?:the )?(?:[\w./-]+ ){1,3}(?:was|were) "
    r"(?:modified|changed|touched|edited)\b"
    r"|(?:^|[.!?:]\s+)not addressed (?:here|in this (?:pr|change|patch))\b"
    r"|(?:^|[.!?]\s+)(?:[-*+]\s+)?preserves?\s+(?:the\s+|its\s+|all\s+)?[\w-]+"
    # ("That manifest was not included in snapshots" tells the bug, not the change)
    r"|\b(?:is|are)\s+not\s+included\b"
    r"|\bno (?:[\w-]+ ){0,2}(?:behaviou?r|logic|functionality) (?:is |was |has been )?"
    r"(?:changed|altered|modified)\b"
    # "No product or runtime code changed.", "no limit logic changes"
    r"|\bno (?:[\w-]+ (?:or |and )?){0,3}code (?:is |was |has been )?(?:changed|modified|touched)\b"
    r"|\bno (?:[\w-]+ ){0,2}(?:logic|behaviou?r|code|api|schema|content) changes\b"
    # "No redirect changes were introduced", "instead of modifying `new()`", "I won't add that before …",
    # "maintains the relevant API surface"
    r"|\bno (?:[\w-]+ ){1,2}changes? (?:were|was|are|is|have been|has been) (?:introduced|made)\b"
    r"|\binstead of (?:modifying|changing|touching|altering|editing)\s+(?:the\s+existing\b|`)"
    r"|\b(?:i|we) (?:won'?t|will not) (?:add|change|touch|fix|include|remove|modify)\b"
    r"|\bmaintain\w* (?:the )?(?:relevant |public |existing |current )?(?:api(?: surface)?|surface|behaviou?r"
    r"|interface|compatibility)\b"
    # "the logic remains the same", "while preserving maintainer exemptions"
    r"|\b(?:logic|behaviou?r|semantics|api|output|interface|functionality)\s+(?:remains?|stays?)\s+"
    r"(?:exactly\s+)?the\s+same\b|\bwhile (?:still )?preserving\b"
    # "CUDA keeps the compiled path unchanged", "keeps older versions working"
    r"|\bkeeps?\b[^.\n]{0,60}?\b(?:unchanged|working|intact|as is|restricted|compiling)\b"
    # "remain accepted as deprecated spellings", "This keeps the safety property", "zero diff in `src/`"
    r"|\bremains?\s+(?:accepted|supported|valid|available|compatible)\b"
    r"|\bkeeps?\s+the\s+(?:[\w-]+\s+){0,2}(?:property|guarantee|invariant|semantics|contract)\b"
    r"|\b(?:zero|no|an empty) diff (?:in|to|for|on|against)\b"
    r"|(?<!will )(?<!would )\bcontinues? to (?:work|behave|function|use|ignore|accept|return|support)\b"
    r"|(?<!will )(?<!would )\bcontinues? "
    r"(?:excluding|including|using|ignoring|accepting|returning|supporting)\b"
    r"|\b(?:is|are)\s+still\s+(?:supported|valid|accepted|allowed|honou?red|respected|re-?thrown|required"
    r"|available|the default)\b"
    # ("the existing test still passes" is a test's result)
    r"|(?<!will )\bstill\s+(?:works?|resolves?|waits?|applies|runs|supported|performs)\b"
    r"|(?<!will )(?<!test )(?<!tests )(?<!suite )(?<!spec )\bstill\s+passes\b"
    r"|\bstays?\s+(?:valid|supported|available|the default|correct|unchanged|intact|untouched)\b"
    r"|\bwhile (?:still )?keeping\b"
    # "so no backend changes needed"
    r"|\bno (?:[\w-]+ )?changes? (?:(?:are|is|were|was) )?(?:needed|required|necessary)\b"
    r"|\bkeeps?\b[^.\n]{0,60}?\bin place\b|\bno other (?:[\w-]+ )?(?:churn|changes?)\b|\block ?files? only\b"
    r"|\bno version bumps?\b"
    # "requires zero backend changes", "This is a no-op with respect to logic", "keep their own values",
    # "`--sandbox-concurrency` still overrides per-run", "Keep the setter (tests inject a mock)."
    r"|\b(?:requires?|requiring|needs?|needing)\s+(?:zero|no)\s+(?:[\w-]+\s+){0,2}changes?\b"
    r"|(?:^|[.!?]\s+)(?:this|it|the (?:change|pr|refactor\w*))\s+is\s+(?:a\s+)?(?:pure\s+|logical\s+)?"
    r"no-?op\b"
    r"|\bkeep\s+(?:their|its)\s+own\b|\bstill\s+(?:overrides|wins|takes\s+precedence)\b"
    r"|(?:^|[.!?]\s+)keep\s+(?:the|its|their)\s+[\w`.-]+\s*(?:\(|[.;,]|$)"
    # "Matching rules that aren't implemented are: …", "preserving the stable assertions"
    r"|\b(?:is|are)(?:n't|\s+not)\s+(?:yet\s+)?implemented\b"
    r"|\bpreserving\s+the\s+(?:stable|existing|current|original|previous)\b"
    # "This is not intended to change normal search behaviour", "matching the previous behavior"
    r"|\bnot\s+(?:intended|meant|supposed)\s+to\s+(?:change|alter|affect|modify)\b"
    r"|\bmatch(?:es|ing)?\s+the\s+(?:previous|existing|current|old|prior)\s+behaviou?r\b"
    # "Default remains `openrouter` — zero changes for existing users"
    r"|\bzero (?:changes?|impact) (?:for|to)\b|\bdefault (?:remains|stays|is still)\b"
    # "no runtime code paths touched", "No existing functionality removed", "records were never affected",
    # "the first caller lands in the next PR in the stack"
    r"|\bno (?:[\w-]+ ){0,2}code paths? (?:(?:are|were|is|was) )?(?:touched|changed|modified|affected)\b"
    r"|\bno existing (?:[\w-]+ ){0,2}(?:is |was |were |are )?(?:removed|changed|modified|broken)\b"
    r"|\b(?:were|was|are|is)\s+never\s+affected\b"
    r"|\b(?:lands?|comes?|arrives?) in the next (?:pr|pull request)\b"
    # "No other sections of the template are changed", "no new dependencies"
    r"|\bno other (?:[\w-]+ ){0,4}(?:is|are|was|were) (?:changed|modified|touched|affected|altered)\b"
    r"|\bno new (?:dependencies|deps|packages|migrations|permissions|endpoints|strings|msgids|translations"
    r"|env(?:ironment)? var(?:iable)?s)\b"
    # "no CHANGELOG entry is added, since …", a list headed "Mostly untouched (…):", a commit's
    # "Rejected: <alternative> | <why>" line (an option weighed and not taken)
    r"|\bno (?:changelog|release[- ]notes?) (?:entry |entries )?(?:is |was |are )?(?:added|needed|required)\b"
    r"|^\s{0,8}(?:[-*+]\s+)?(?:(?:mostly|largely|otherwise)\s+)?(?:untouched|unchanged)"
    r"\s*(?:[(:\u2014\u2013]|\s-\s|$)"
    r"|^rejected:[ \t]+\S"
    # "deploy never ran; PyPI untouched — …"
    r"|\b[\w.-]+ untouched(?=\s*(?:[\u2014\u2013,;.)]|\s-\s|$))"
    r"|\bwithout (?:changing|altering|modifying)\b"
    # "Users can still escape the redirect", "Defaults to False (backward compatible)", "continue working
    # normally", "changes nothing about which documents are considered", "This leaves only the stats",
    # "self-hosted keeps the legacy tabs", "all other references remain as placeholders"
    r"|\b(?:users?|you|callers?|clients?|people|admins?|operators?)\s+can\s+still\b"
    r"|\bbackwards?[- ]compatible\b"
    r"|(?<!will )(?<!would )\bcontinues? (?:working|functioning)\b|\bchanges nothing\b"
    # ("- Keep only metadata after a failed attempt" opening an item is the change; "- Keep clamping the
    # client's size to the admin value" keeps doing what was done)
    r"|(?:^|[.!?]\s+)(?:[-*+]\s+)?keep\s+(?!only\b)\w+ing\b"
    r"|\b(?:leaves|keeps|keeping) only\b|(?<=\w )keep only\b|\bkeeps? the (?:legacy|old|current|existing)\b"
    r"|\b(?:all|any|every) other [\w\s-]{0,40}?\b(?:remains?|stays?)\b"
    # "preserving output format", "so it stays off by default", "malformed payloads still rejected",
    # "(vendors excluded — …)", "is worth doing separately", "left for a follow-up PR"
    r"|\bpreserving\s+(?:the\s+)?(?:output|response|existing|current|original|previous|public)\b"
    r"|\bstays?\s+(?:off|disabled|opt-in)\s+by\s+default\b|\bstill\s+rejects?\b"
    r"|\(\s*[\w-]+\s+(?:deliberately\s+|intentionally\s+)?excluded\b"
    r"|\b(?:worth doing|best done|better done|to be done|left|handled|done|do|addressed|tackled|fixed|filed"
    r"|added|implemented|covered|included)\s+"
    r"(?:separately|in a (?:separate|follow-?up|later|future) (?:pr|change|patch|pull request))\b"
    # "Same bug exists in the other copy (not fixed there)", a checklist item marked "won't do",
    # "**Upload plumbing unchanged** — still a single tarball"
    r"|\bnot fixed (?:there|here|in this (?:pr|change|patch))\b|\bwon'?t do\b"
    # "keep `composer-2` as passthrough aliases so users on older builds aren't broken", "is left to the
    # wider AllowEmptyEnv work", "Prepare for making value_type mandatory in next release", "I will work on
    # better restoration in the followup PR(s)", "two problems this does not fix"
    r"|\bkeep(?:s|ing)?\b[^.\n]{0,120}?\bso\b[^.\n]{0,80}?\b(?:aren't|isn't|don't|doesn't|won't|are\s+not"
    r"|is\s+not|do\s+not|does\s+not|will\s+not|never)\s+(?:get\s+)?(?:broken|break)\b"
    r"|\b(?:is|are)\s+left\s+(?:to|for)\s+(?:the\s+|a\s+)?(?:wider|broader|separate|later|future|follow-?up|next)\b"
    r"|\b(?:in|for|until)\s+(?:the\s+|a\s+)?(?:next|future|later|upcoming)\s+(?:major\s+|minor\s+)?release\b"
    r"|\b(?:in|on)\s+(?:the\s+|a\s+)?follow-?up\s+(?:prs?|prs?\(s\)|pull\s+requests?|changes)(?![\w-])"
    r"|\bthis\s+(?:pr\s+|change\s+|patch\s+)?(?:does(?:n't|\s+not)|won't|will\s+not)\s+(?:fix|address|solve)\b"
    r"|\b[\w/.-]+ (?:unchanged|untouched)\*\*"
    r"|\b(?:for|in) a (?:separate|follow-?up|later|future) (?:pr|change|patch|pull request)\b"
    # "the 404 is worth investigating separately", "happy to submit follow-up PRs for other modules",
    # "Known follow-ups outside this stack: …", "we still need to fix that test when we upgrade"
    r"|\binvestigat\w*\s+separately\b|\bfollow-?up (?:prs|pull requests|changes|patches) for\b"
    r"|\bknown follow-?ups?\b|\boutside (?:of )?(?:this|the) (?:stack|pr|pull request)\b"
    r"|\bstill need(?:s)? to (?:fix|update|address|handle)\b[^.\n]{0,80}?\bwhen\b"
    # "too early to already support this", "This only changes thrift", "deliberately 1:1 rather than an
    # improved reimplementation"
    r"|\btoo early to (?:already )?(?:support|add|implement|change|do|adopt)\b"
    r"|\bthis (?:pr |change |commit |patch )?only (?:changes|touches|affects|modifies|updates)\b"
    r"|\b(?:deliberately|intentionally)\b[^.\n]{0,60}?\brather than\b"
    # "existing manifests regenerate unchanged", "tasks without a URL remain as 'chat'", "the Makefile
    # remains the single source", "Linux and macOS keep the real implementation", "and only changes the
    # implicit defaults", "shared build infra is not touched", "a follow-up could restore it"
    r"|\b(?:regenerates?|renders?|serializes?|compiles?|builds?|loads?|parses?|round-trips?)\s+unchanged\b"
    r"|\b(?:remains?|stays?)\s+as\s+(?:before|is\b|the\s+(?:default|fallback)|['\"`])"
    r"|\bremains?\s+the\s+(?:single|only|sole|canonical)\b"
    r"|\bkeeps?\s+the\s+(?:real|original|current|existing)\b"
    r"|\band\s+only\s+(?:changes|touches|affects)\b"
    r"|\b(?:is|are)\s+not\s+(?:touched|modified)\b"
    r"|\ba\s+follow-?up\s+(?:pr\s+|change\s+)?(?:could|can|will|would|should|may)\b"
    r"|\(\s*(?:docs?|documentation|tests?|comments?|config(?:uration)?)[- ]only\s*\)"
    r"|^\s{0,8}(?:[-*+]\s+)?(?:docs?|documentation|tests?|comments?|ci|config(?:uration)?)[- ]only"
    r"\s*(?:[\u2014\u2013:;.]|\s-\s|$)"
    # "while leaving the granted permission (`contents: write`) unchanged", "Keeping it rather than removing
    # it", "No DB writes, no gateway health-state side effects", "(no transitive churn)", "Only the
    # Unix-socket path is affected.", "Only select queries are retried."
    r"|\bleav(?:e|es|ing)\s+[^.\n]{1,80}?\sunchanged\b"
    r"|\bkeep(?:s|ing)?\s+(?:it|them|this|that|the\s+[\w`.-]+)\s+(?:rather\s+than|instead\s+of)\s+"
    r"(?:removing|deleting|dropping)\b"
    r"|\bno\s+(?:[\w-]+\s+){0,3}?side[- ]effects?\b|\bno\s+(?:[\w-]+\s+){0,2}?churn\b"
    r"|(?:^|[.!?]\s+)(?:[-*+]\s+)?only\s+(?:the\s+)?[\w`./-]+(?:\s+[\w`./-]+){0,3}\s+(?:is|are)\s+"
    r"(?:affected|changed|touched|modified|impacted|retried)\s*(?:[.;]|$)"
    # "Backward compatibility - default behavior preserved", "is out of SEC-146's scope"
    r"|\b(?:default\s+)?behaviou?r\s+(?:is\s+|was\s+)?(?:preserved|retained|kept)\b"
    r"|\bout\s+of\s+(?:the\s+|this\s+)?[\w-]+(?:'s|\u2019s)\s+scope\b"
    # "adds the flag without implementing any functionality yet", "This is only implemented for model fields",
    # "This also only implements validation support"
    r"|\bwithout\s+implementing\s+(?:any\s+)?(?:of\s+the\s+)?(?:functionality|behaviou?r|logic)\b"
    r"|\b(?:is|are)\s+only\s+implemented\s+for\b|\b(?:this|it)\s+(?:also\s+)?only\s+implements\b"
    # "COUNT was already correct", "Bitbucket secrets were already correctly conditional", "without widening
    # the public `source` surface", "Excludes memory tool to avoid bringing in a dependency", "the separate,
    # larger change tracked in #1781", "tracked as a follow-up", "The handoff remains only for CLI
    # restarts", "No TS config/build changes required"
    r"|\b(?:was|were|is|are)\s+already\s+(?:correct(?:ly)?|right|fine)\b"
    r"|\bwithout\s+widening\b"
    r"|\b(?:excludes?|excluded|excluding|omits?|omitted|omitting)\s+[^.\n]{1,60}?\bto\s+avoid\b"
    r"|\btracked\s+as\s+(?:a\s+)?follow-?up\b|\b(?:separate|follow-?up)\b[^.\n]{0,60}?\btracked\s+(?:in|as|by|under)\b"
    r"|\bremains?\s+only\s+(?:for|in|on|with)\b"
    r"|\bno\s+(?:[\w/.-]+\s+){1,3}changes?\s+(?:required|needed|necessary)\b"
    # "`api.generated.d.ts` not regenerated here", "I opted to not add this flag", "Files copied unchanged",
    # "retargeting is done in the follow-up commit", "The current default is kept"
    r"|\bnot\s+(?:re)?(?:generated|changed|updated|touched|modified|migrated|bumped)\s+(?:here|in\s+this\s+(?:pr|change|commit))\b"
    r"|\b(?:opted|chose|decided)\s+(?:not\s+to|to\s+not)\b"
    r"|\b(?:copied|ported|vendored|carried\s+over)\s+(?:verbatim|unchanged|as[- ]is|byte-for-byte)\b"
    r"|\b(?:in|on)\s+(?:the\s+|a\s+)?follow-?up\s+commits?\b"
    r"|\bdefaults?\s+(?:is|are|was|were)\s+(?:kept|preserved|retained)\b"
    # "I'll prepare another PR for that", "Undo some changes unrelated to adding Groq support", "There's only
    # one panic left in the keep alive thread", "matching the pre-existing UX"
    r"|\b(?:i'?ll|i\s+will|we'?ll|we\s+will)\s+(?:prepare|open|send|file|submit|create|make|do)\s+"
    r"(?:another|a\s+separate|a\s+follow-?up|a\s+new)\s+(?:pr|pull\s+request|change|patch)\b"
    r"|\b(?:undo|undid|undoes|revert|reverts|reverted)\s+(?:some|another|the|an?|all|any)?\s*(?:[\w-]+\s+)?"
    r"(?:unrelated\s+(?:[\w-]+\s+)?changes?|changes?\s+unrelated)\b"
    r"|\bonly\s+(?:one|two|a\s+few|a\s+single)\s+(?:[\w`-]+\s+){1,2}left\s+in\b"
    r"|\bmatching\s+the\s+(?:pre-?existing|existing|current|previous)\s+(?:ux|ui|behaviou?r|flow|output|format)\b"
    # "Reverted normalization of the return value to avoid a breaking change", "This stays observation-only.",
    # "- Scope: did NOT build re-run against on-disk media"
    r"|\bto\s+avoid\s+(?:a\s+|any\s+)?breaking\b"
    r"|\b(?:stays?|remains?)\s+[\w-]+-only\b"
    r"|(?:^|[.!?]\s+)(?:[-*+]\s+)?scope\s*:\s*(?:did\s+not|didn'?t|does\s+not|doesn'?t|not)\b"
    # "keeping the diagnostic as strict as before", "Keep the 300ms lower bound so the gesture is still
    # registered", "keeping requirements.oldest.txt at wrapt==1.16.0", "Keep `root` instead of `cwd`"
    r"|\bkeep(?:s|ing)?\b[^.\n]{0,60}?\bas\s+\w+\s+as\s+before\b"
    r"|(?:^|[.!?]\s+)(?:[-*+]\s+)?keep\s+(?:the|its|their)\s+(?:[\w`.-]+\s+){1,4}(?:so|because|since)\b"
    r"|\bkeep(?:s|ing)?\s+[\w`./-]+\s+(?:at|on)\s+`?[\w.-]*(?:==|@|\bv)\d"
    r"|(?:^|[.!?]\s+)(?:[-*+]\s+)?keep\s+`[^`\n]{1,60}`\s+(?:instead\s+of|rather\s+than)\b",
    re.IGNORECASE | re.MULTILINE,
)
_CALLOUT = re.compile(r"\[!(?:WARNING|CAUTION|IMPORTANT)\]", re.IGNORECASE)
# An author's own hedge ("not sure whether…", "might be too strict, or maybe not") is an open question.
_HEDGE = re.compile(
    r"\bnot (?:sure|certain) (?:whether|if|about|that|how|why|on|of|which|what)\b|\bunsure\b"
    r"|\bunclear (?:whether|if|how)\b"
    r"|\bif (?:y'?all|you(?: all| guys)?|everyone|others|the team) agrees?\b"
    r"|\bor (?:maybe|perhaps) not\b|\b(?:i'?m|i am|we'?re|we are) not (?:sure|certain|confident)\b"
    r"|\bopen questions?\b|\barguably\b|\bi suppose\b|\bshould be (?:fine|ok|okay|safe)\b"
    # "the real fix … is still pending", "has a few caveats:", "which might not be the best solution",
    # "Harness limitation (documented inline):", "`copy` gets slower, because it now copies"
    r"|\b(?:is|are|remains?)\s+still\s+pending\b|\b(?:a few|some|several|two|three)\s+caveats?\b"
    r"|\b(?:might|may)\s+not\s+be\s+(?:the\s+)?(?:best|ideal|optimal|right)\b"
    r"|\blimitations?\s*(?:\([^)\n]{0,80}\))?\s*:|\b(?:gets?|becomes?)\s+(?:a\s+(?:bit|little)\s+)?slower\b"
    # a check the author says was not made ("Not visually verified in the running app"), a change the
    # author calls out as breaking ("This is an identity change for …", "Breaking change: …")
    r"|(?:^|[.;:]\s+|\(\s*)not (?:yet )?(?:\w+ly )?(?:verified|tested)\b"
    # "- Not yet exercised through a real CI build", "at the cost of loading tensors twice", "We'll need to
    # sync this with the CI jobs to ensure that it actually works"
    r"|(?:^|[.;:]\s+|\(\s*)(?:[-*+]\s+)?not yet (?:\w+ly )?(?:exercised|validated|confirmed|tried|run)\b"
    r"|\bat the (?:cost|expense) of\b"
    r"|\b(?:we'?ll|we will|i'?ll|i will) need to\b[^.\n]{0,80}?\bto (?:ensure|make sure|confirm|verify)\b"
    r"|\b(?:this|it|the (?:change|fix|pr|patch)|these changes) (?:was|were|is|are|has|have)(?:n'?t| not)"
    r"(?: yet)?(?: been)? (?:\w+ly )?(?:verified|tested)\b"
    r"|\bis (?:a|an) (?:[\w-]+ )?(?:breaking|identity) change\b"
    r"|^\s{0,8}(?:[-*+]\s+)?(?:\*\*)?breaking changes?(?:\*\*)?\s*:"
    r"|\bin case (?:anyone|someone|anybody|somebody) (?:relie[sd]|depend\w*|was relying|used)\b"
    r"|\b(?:open to|happy to (?:take|hear)|welcome) (?:any )?(?:other )?"
    r"(?:suggestions|feedback|alternatives)\b"
    r"|\bsuggestions (?:are )?welcome\b|\bdid (?:this|it) break\b"
    # "what it built stays unverified", "some inheritance tests skipped pending nested call support"
    r"|\b(?:stays?|remains?|is|are|left)\s+unverified\b|\bskipped\s+pending\b"
    r"|\bhappy to (?:be told|be corrected|adjust|change|revise|rework|iterate)\b"
    # "SaaS deployments must now explicitly set FILE_STORE=gcs", "### Debug logging (to be cleaned up)"
    r"|\b(?:must|need to|needs to|will need to|have to) now (?:explicitly )?"
    r"(?:set|configure|pass|add|update|use)\b"
    r"|\bto be cleaned up\b|\(\s*temporary\s*\)"
    # "Two things needed care:", "This may be fragile", "browser differences may break this"
    r"|\b(?:needed|needs|need|requires?|required) (?:extra |some |special )?care\b"
    # ("…, which could break layouts" tells the bug the change removes)
    r"|(?<!\bwhich )\b(?:may|might|could) (?:be (?:a bit |somewhat )?fragile|break)\b"
    r"|\btests? (?:do(?:es)?n't|do(?:es)? not|did(?:n't| not)) (?:\w+ )?"
    r"(?:cover|verify|test|exercise|catch)\b"
    r"|(?<!\bno )(?<!\bnot )\b(?:end-to-end|e2e|manual|further|more|real-world) "
    r"(?:testing|verification|review)\b"
    r"(?![^.\n]{0,40}?\bnot\b)[^.\n]{0,40}?\b(?:recommended|required|needed)\b"
    # "we (devinfra) can't measure this yet", "I couldn't verify it on Windows"
    r"|\b(?:i|we)(?: \([^)\n]{1,30}\))? "
    r"(?:can'?t|cannot|can not|could\s*n[o']?t|(?:am|are|was|were) unable to) "
    r"(?:yet )?(?:measure|verify|confirm|validate|reproduce)\b"
    # "3 unrelated terminal-width assertions fail locally"
    r"|(?<!\bfix the )(?<!\bfixes the )(?<!\bfixed the )(?<!\bfixing the )"
    r"\b(?:unrelated|pre-?existing) (?:[\w-]+ ){0,3}?(?:tests?|assertions?|checks?|specs?) (?:still )?fail"
    r"|\b(?:not|none|0|nothing) (?:\w+ )?(?:fixed|done|addressed|resolved|implemented) yet\b"
    r"|暂未|尚未|不稳定|暂不支持|待后续|暫未|不穩定"
    r"|\b(?:as|in|for) a (?:separate |future |later )?follow[- ]?up(?: (?:pr|change|issue|patch))?"
    r"(?=\s*(?:[.,;:!)]|$))"
    r"|\b(?:needed|necessary) follow[- ]?up\b"
    r"|\b(?:will|may|could) be (?:implemented|added|supported|handled) (?:when|once|later|after)\b"
    r"|\bdeferred to\b|\b(?:will|'ll|may|might|could) (?:probably |likely )?regress\b"
    r"|\ba (?:more )?(?:permanent|proper|robust|durable|complete) (?:fix|solution)\b"
    r"|\b(?:have|has)(?:n't| not) (?:quite |yet )*(?:got|gotten) (?:this|it) working\b"
    r"|\b(?:i'?m|i am) (?:unhappy|not happy) with\b"
    r"|\bfail(?:s|ed|ing|ures?)?\b(?:[^.\n]|\.(?=\w)){0,60}?"
    r"\b(?:not (?:our|my) fault|unrelated to th(?:is|ese)|pre-?existing)\b"
    r"|(?<!\bfix )(?<!\bfixes )(?<!\bfixed )(?<!\bfixing )(?<!\bfix a )(?<!\bfixes a )(?<!\bfixed a )"
    r"(?<!\bfixing a )(?<!\bfix all )(?<!\bfixes all )(?<!\bfixed all )(?<!\bfix the )(?<!\bfixes the )"
    r"(?<!\bfixed the )(?<!\bfix an )(?<!\bfixes an )(?<!\bfixed an )(?<!\bfixing an )"
    r"\b(?:unrelated|pre-?existing) (?:[\w-]+ |`[^`\n]{1,60}` |\([\w-]+ |\d+ ){0,3}?"
    r"(?:failures?|errors?)\b"
    # "which fails on origin/main with …", "I'll probably trim it down", "ignore security advisories for …"
    r"|\b(?:also|already|which|that) fails? (?:on|in) (?:the )?(?:unchanged |clean |untouched )?(?:origin/)?"
    r"(?:main|master|base)\b"
    r"|\b(?:i'?ll|i will|we'?ll|we will) probably\b|\bprobably (?:fine|ok|okay|safe)\b"
    r"|\bignor\w* (?:the |two |these |known |several )?(?:security )?advisor(?:y|ies)\b"
    r"|\b(?:i was|i'?m|we were|we'?re) wondering (?:if|whether)\b|\btrade-?offs?\b"
    r"|\bonce (?:it'?s |this is |it has been )?(?:proven|validated|stable|confirmed)\b"
    r"|\b(?:will be|to be) removed (?:later|in a (?:future|later) (?:release|version|pr))\b|\bfor now\b"
    r"|\bhopefully\b|\bpotential (?:risks?|issues?|problems?|downsides?)\b"
    # "As far as I can see, …", "I hope to get confirmation that …", "this issue is hard to reproduce", "the
    # mapping is only the closest approximation", "not ideal", "must be merged after #12"
    r"|\bas far as (?:i|we) (?:can )?(?:see|tell|know)\b"
    r"|\b(?:hope|hoping|like|appreciate|welcome) (?:to get )?(?:a |some )?confirmation\b"
    r"|\b(?:issue|bug|problem|hang|crash|race|it) (?:is|was) (?:very |quite |a bit )?"
    r"(?:hard|difficult|tricky) to reproduce\b|\b(?:only|just) (?:the closest|an?|a rough) approximation\b"
    r"|\bclosest (?:approximation|correct behaviou?r|equivalent|match)\b|\bnot ideal\b"
    r"|\b(?:must|should|needs? to) (?:be merged|land|go in) after\b|\bmerge (?:this |it )?after #\d"
    r"|\b(?:will be|to be) removed before (?:merg\w*|landing)\b"
    r"|\bcould (?:do with|use) (?:another|a second|more|an extra|some more|a further) (?:[\w-]+ ){0,2}?"
    r"(?:checks?|looks?|reviews?|eyes|pairs? of eyes|testing)\b"
    r"|^\s{0,8}(?:[-*+]\s+)?follow[- ]?ups?(?:\s*\([^)\n]{0,40}\))?\s*:"
    # the author says the change went untested, or the sandbox held something back
    r"|\b(?:i|we) (?:did|have|had)\s*n[o']?t (?:yet )?(?:test|tested|tried|run)\b"
    r"|\bdue to (?:the )?(?:environment|sandbox|network)(?:al)? (?:limitations|restrictions|constraints)\b"
    r"|\b(?:sandbox|environment)\b[^.\n]{0,40}?(?:can'?t|cannot|could\s*n[o']?t|unable to) "
    r"(?:build|compile|run)\b|\bno (?:[\w.+-]+ )?toolchain (?:on|in|available)\b"
    # a failure the author explains away, a gap the author names, a review the author asks for
    r"|\bfail\w*\b[^.\n]{0,80}?\bnot (?:due to|caused by|related to)\b"
    r"|\b(?:a|the|one|two|some|this|as|are) known (?:gaps?|issues?|limitations?|bugs?|problems?|caveats?)\b"
    # a stopgap to undo later ("we can drop these rules once …"), a follow-up the author names
    r"|\b(?:can|could|should|will) (?:drop|remove|revert|delete|undo) (?:these|this|the|them|it|that)\b"
    r"[^.\n]{0,60}?\bonce\b"
    r"|\b(?:one|a|another|possible|potential)\s+follow-?up\s*(?::|worth\b|(?:is|would\s+be|will\s+be|remains?)\s+"
    r"(?:needed|required|to\s+be|necessary)\b)"
    # a result the author flags, a check the author asks others for, a choice left to revisit
    r"|\bworth (?:flagging|calling out)\b|\b(?:i )?(?:want|wanted|'d like|would like) to flag\b"
    r"|\bappreciate (?:others|someone|anyone|somebody|more eyes|a second pair of eyes)\b[^.\n]{0,30}?"
    r"\b(?:verif|test|check|try|confirm)\w*"
    r"|\b(?:can|could|should|will) be revisited\b|\brevisit (?:it |this )?(?:once|when|later|if)\b"
    # work the author says another change must finish ("A follow-up PR should replace …"), a blocker the
    # author hit ("I am blocked by the file system issues"), a step owed before merging ("Action required
    # before merge: …")
    r"|\ba (?:later |separate |future )?follow[- ]?up (?:pr|pull request|change|patch) "
    r"(?:should|will need to|must)\b"
    r"|\b(?:i am|i'm|we are|we're|i was|we were) (?:still |currently )?(?:blocked|stuck) (?:by|on)\b"
    r"|\b(?:i have|i've) been struggling\b"
    r"|\baction required before (?:merg\w*|deploy\w*|release)\b"
    # work done in part, a fix the author calls ugly, a problem left for a change of its own
    r"|\bpartially (?:solved|fixed|addressed|resolved|implemented|done)\b"
    r"|\(ugly\)|\bugly (?:solution|hack|workaround|fix)\b"
    r"|\b(?:wants|needs|deserves|warrants) (?:its|their) own (?:change|pr|pull request|fix|issue)\b"
    r"|\b(?:someone|somebody) (?:should|could|needs? to|must) (?:probably |carefully |really )?"
    r"(?:review|check|look at|double[- ]check)\b"
    r"|\b(?:i|we) (?:don'?t|do not) have (?:any |much )?experience with\b"
    # a cause the author only guesses at, work the author leaves to later pull requests
    r"|\b(?:perhaps|maybe|possibly|probably) (?:due to|because|caused by)\b"
    r"|\blet (?:me|us) know (?:if|whether)\b|\b(?:i )?(?:don'?t|do not) know (?:whether|if)\b"
    r"|\b(?:in|with|by|for) (?:a |the )?(?:subsequent|future|later|upcoming|separate|next) "
    r"(?:prs?|pull requests?)\b|\b(?:i|we) (?:may|might|could) have missed\b"
    # a makeshift fix, tests the author says are still owed, a problem the author says remains
    r"|\b(?:temporary|interim|quick) (?:bandaid|band-aid|workaround|hack|stopgap)\b"
    r"|\bstop-?gap\b|\bband-?aid\b"
    r"|(?<!n't )(?<!not )(?<!\bno )\b(?:still )?needs (?:more |additional |some |further )?"
    r"(?:tests|testing)\b"
    r"|\bthere(?: is|'s| are) still (?:an? |some )?(?:issues?|problems?|bugs?)\b"
    # work the author left part-done, or wants to see tried: "I didn't fix _all_ of the warnings"
    r"|\b(?:didn'?t|did not|haven'?t|have not) (?:fix|address|handle|resolve|cover|convert)\w*"
    r" _?(?:all|every)(?![a-z])"
    r"|\blet'?s see (?:whether|if|how)\b"
    r"|\bi (?:don'?t|do not) know (?:what|how|why)\b"
    # work the author says is unfinished or went untested: "still incomplete", "Very experimental."
    r"|\b(?:still|remains?|left) (?:incomplete|unfinished|unresolved)\b"
    r"|\b(?:very|highly|quite|somewhat|rather|still) experimental\b"
    r"|\b(?:is|are|was|were|mostly|largely|completely|entirely|totally|still|currently) untested\b"
    # a change that waits on another ("works as soon as org/repo#5 merges", not "once this merges"), a trial
    # run ("Testing this out here before …"), a failure the author expects ("The failure of the X workflow
    # is expected"), a task the agent left part-done ("review the work done so far and provide feedback for
    # Jules to continue")
    r"|\b(?:as soon as|once|after|until|when) (?:[\w.-]{1,60}/[\w.-]{1,60})?#\d{1,9} "
    r"(?:merges|is merged|lands|gets merged)\b"
    r"|\btesting (?:this|it) out\b"
    # "Not 100% sure I have this right", "there aren't currently any real tests" (a gap the author names)
    r"|\bnot (?:100|a hundred) ?(?:%|percent) (?:sure|certain)\b"
    r"|\bthere (?:are|is)(?:n'?t| not| no) (?:currently |yet |really )?(?:any )?(?:real |actual )?tests?\b"
    r"(?!\s+(?:for|needed|required|necessary|coverage|changes?|impact|files?|to)\b)"
    r"|\bfailures?\b[^.\n]{0,60}\bis expected\b|\bexpected to fail\b"
    r"|\bdone so far\b|\bfeedback for \w+ to continue\b"
    # "I'll mark this PR a draft while I try to determine …", "we need to discuss that", "DO NOT MERGE",
    # "I didn't know how we handle the setup"
    r"|\b(?:mark|keep|leave)(?:ing|s)? (?:(?:this|the) (?:pr|pull request)|it) (?:as )?(?:a )?draft\b"
    r"|\b(?:need|needs) to (?:be )?discuss(?:ed)?\b|\bto be discussed\b|\bdo not merge\b|\bdon'?t merge\b"
    r"|\b(?:i|we) (?:didn'?t|did not) know (?:what|how|why|whether|if)\b"
    # "I haven't been able to test it yet", "somewhat unclear as to the mechanism", "I don't know yet - I'm
    # still learning Gradle", "by no means exhaustive", "this can't be verified on this PR"
    r"|\b(?:i|we) (?:haven'?t|have not|hadn'?t|had not|wasn'?t|was not|weren'?t|were not) (?:yet )?"
    r"(?:been )?able to (?:test|run|verify|try|reproduce)\b"
    r"|\bunclear (?:as to|about)\b|\b(?:i|we) (?:don'?t|do not) know yet\b|\bstill learning\b"
    r"|\bby no means (?:exhaustive|complete|comprehensive|perfect)\b"
    # "Prompt get/rendering remains a follow-up"
    # ("This is a follow-up (fix) to #967": the pull request follows another, nothing is left)
    r"|\b(?:remains?|is|are|left|leave|leaving|kept|deferred)(?: as)? (?:a |for (?:a )?)?follow[- ]?ups?\b"
    r"(?!\s+(?:(?:fix|change|pr|patch)\s+)?(?:to|of|on|for)\s)"
    r"|\bcan(?:'?t|not| not) be (?:verified|tested|checked|validated) (?:on|in|until|before|here|locally)\b"
    # what the agent's sandbox lacked ("No Linear MCP is available in this environment", "the repo is not
    # reachable via gh"), a gap the author leaves open ("the names are not yet consistent")
    r"|\b(?:is|are)\s*(?:not|n't)\s+(?:reachable|accessible) (?:via|with|using|from here)\b"
    # the author asks for a careful look: "Please double check the region logic after the refactor"
    r"|\bplease (?:double[- ]check|take a (?:careful|close|second) look|verify (?:that|whether|if))\b"
    # (a tool "not installed in the sandbox" beside a command is a run that could not happen, said there)
    r"|\bno [\w.-]+(?: [\w.-]+){0,2} (?:is|was|were|are)\s+(?:available|reachable|accessible)"
    r" (?:in|from|inside) (?:this|the|my) (?:environment|sandbox|container|vm)\b"
    r"|^\W{0,8}not (?:been )?(?:run|tested|executed) locally\b"
    r"|\b(?:is|are)\s+not\s+yet\s+(?:consistent|supported|implemented|handled|covered|tested|stable|complete"
    r"|wired|done|finished)\b"
    # a belief the author hedges ("Luckily I think most of these are in the advanced APIs", "`$` seems like
    # in general the most safe character", "does not seem to be any significant changes"), a check the
    # author says is worth making, a test still to fix, the risk an automated summary names
    r"|\b(?:i|we) (?:think|believe|assume|suspect)\b"
    r"|\bseems (?:like )?(?:in general )?(?:the )?(?:most safe|safest|right (?:first )?step|right approach)\b"
    r"|\b(?:does|do)(?:n'?t| not) (?:seem|appear) to\b"
    r"|\bworth (?:validating|verifying|double[- ]checking|checking|testing|confirming)\b"
    r"|\bstill needs? (?:to fix|fixing|to be fixed)\b|\bthe main risk is\b|\bknown follow-?ups?\b"
    # an approach offered to change ("If maintainers prefer X instead, happy to switch"), a cost the author
    # accepts ("leaks the value on other threads (acceptable since …)"), work left to issues of its own
    # ("Those are filed as separate follow-up issues", "write-back tracked separately in #106"), a later
    # step ("Eventually, when X becomes internal, …")
    r"|\bif (?:the )?(?:maintainers?|reviewers?|you|others|the team|folks) (?:would )?prefer\b"
    r"|\bacceptable (?:since|because|as|given)\b|\ban? acceptable (?:trade-?off|cost|risk|limitation)\b"
    r"|\bfiled as (?:separate )?(?:follow-?up )?(?:issues?|tickets?)\b"
    r"|\btracked (?:separately|elsewhere|in (?:a )?(?:separate|follow-?up|another) (?:issue|ticket|pr))\b"
    r"|(?:^|[.!?]\s+)eventually,?\s+(?:when|once|we|this|it|the)\b"
    # a merge that waits on another change ("This can only be merged once our backport lands"), a gap the
    # author names ("Ideally we should have Sentry or some form of telemetry here")
    r"|\b(?:can|should|must)\s+only\s+be\s+merged\s+(?:once|after|when)\b"
    r"|\b(?:do\s+not|don't)\s+merge\s+(?:until|before)\b"
    r"|\bideally,?\s+(?:we|this|it|you|there)\s+(?:should|would|could)\b"
    # a gain the author assumes ("Assuming this 9x increase translates to …"), a case it does not cover ("It
    # won't work on the Starter plan", "fine for re-running the latest release but not older tags")
    r"|(?:^|[.!?]\s+)assuming\s+(?:this|that|the|it)\b"
    r"|\b(?:it|this)\s+(?:won'?t|will\s+not|doesn'?t|does\s+not)\s+work\s+(?:on|with|for|in|when|if)\b"
    r"|\b(?:fine|ok|okay|works?)\s+for\b[^.\n]{0,80}?\bbut\s+not\b"
    # work handed in unfinished ("The implementation is incomplete and the code does not currently
    # compile"), a rollout the author warns about ("should wait until …, otherwise older agents will
    # crash-loop")
    r"|\b(?:implementation|change|work|code|pr|feature|this)\s+(?:is|was)\s+(?:still\s+)?(?:incomplete|unfinished)\b"
    r"|\b(?:does|do)(?:\s+not|n't)\s+(?:currently\s+|yet\s+)?(?:compile|build)\b"
    r"|\bwork[- ]in[- ]progress\b"
    # a check the author expects to stay failing: "The govulncheck legs on this PR will still be red"
    r"|\b(?:ci|checks?|legs?|jobs?|builds?|pipelines?|workflows?)\b[^.\n]{0,40}?\b(?:will|would)\s+(?:still\s+)?"
    r"(?:be|stay|remain)\s+red\b"
    r"|\botherwise\b[^.\n]{0,80}?\b(?:will|would|could|may|might)\s+(?:\w+\s+)?(?:crash|fail|break|hang|error)"
    r"|テストしていません|実行していません|検証していません|未検証|未テスト"
    # "in theory this degrades performance but this is likely not an issue", "auth flows must be exercised in
    # CI/staging", "Functional confirmation needs several runs"
    r"|\bin theory\b|\b(?:likely|probably)\s+not\s+(?:an?\s+|much\s+of\s+an?\s+)?(?:issue|problem|concern)\b"
    r"|\b(?:must|should|needs?\s+to)\s+(?:still\s+)?be\s+(?:exercised|tested|verified|validated)\s+"
    r"(?:in|on|against)\s+(?:ci|staging|production|prod)\b"
    r"|\bconfirmation\s+(?:still\s+)?(?:needs|requires)\b"
    # "The only breaking change here is one missed rename of a struct."
    r"|\b(?:the\s+only|one|a\s+single)\s+breaking\s+change\b"
    # "Same gotcha is worth noting upstream", "The deprecated pair can be removed once no package emits
    # them", "Ruleset enforcement is a separate, later decision"
    # "Depends on org/pkgs#226 — merge/release that first (won't compile against …)", "Presumably this was
    # left in by accident", "only the harmless no-layout warning remains"
    r"|\bdepends\s+on\b[^.\n]{0,80}?\b(?:merge|release|land|ship)\w*\b[^.\n]{0,20}?\b(?:that|it|this|them)\s+first\b"
    r"|\b(?:won'?t|will\s+not)\s+(?:currently\s+|yet\s+)?(?:compile|build)\b|\bpresumably\b"
    r"|\bwarnings?\s+(?:still\s+)?remains?\b"
    r"|\bgotchas?\b|\bcan\s+be\s+(?:removed|dropped|deleted|reverted)\s+(?:once|when|after)\b"
    r"|\b(?:is|remains?)\s+an?\s+(?:separate,?\s+)?(?:later|future|open|separate)\s+(?:decision|question|discussion)\b"
    # "widen one assertion window while investigation continues", "Machines serve this once they pick up the
    # matching server-side change"
    r"|\binvestigation\s+(?:continues|is\s+(?:still\s+)?(?:ongoing|continuing|in\s+progress))\b"
    # "Phase 2 will follow up with deprecations", "Read support will be removed in btw 1.5.0", "does not work
    # for polars yet", "a very rough draft"
    r"|\b(?:phase|part|step|stage)\s+\d{1,2}\s+will\s+(?:follow|add|handle|address|come|cover)\b"
    # (not a tool's own deprecation message quoted: "'apm unpack' is deprecated and will be removed in v0.14")
    r"|(?<!deprecated and )\bwill\s+be\s+(?:removed|dropped|deleted)\s+in\s+(?:[\w.-]+\s+)?v?\d{1,4}\.\d{1,4}"
    r"|\b(?:does|do)(?:n't|\s+not)\s+work\s+(?:for|with|on)\s+[\w.-]{1,40}\s+yet\b"
    r"|\brough\s+draft\b"
    # "which is also why no PCT test can cover this"
    r"|\bno\s+(?:[\w-]+\s+){0,2}tests?\s+(?:can|could)\s+cover\b|\bcan(?:not|'t)\s+be\s+covered\s+by\s+(?:a\s+)?tests?\b"
    r"|\b(?:once|until)\b[^.\n]{0,60}?\b(?:server-side|backend|upstream)\s+(?:change|fix|release|deploy\w*)\b"
    r"|自信(?:は|が)(?:ない|ありません|無い)|不确定|不確定",
    re.IGNORECASE,
)
# Work marked unfinished where a line starts: "WIP", "[WIP] …", "TODO: …", "temp: …".
_UNFINISHED = re.compile(
    r"^\s{0,8}(?:[-*+]\s+)?(?:\[?wip\b|(?:todo|fixme|temp|hack|xxx)\s{0,3}:)"
    # a paragraph the author opens with a warning sign: "⚠️ **`x.gen.go` was hand-applied, not regenerated**"
    r"|^\s{0,8}(?:\u26a0\ufe0f?|:warning:)\s*(?:\*\*|__)",
    re.IGNORECASE,
)
_UNCERTAIN_PROSE = re.compile(
    f"{_CALLOUT.pattern}|{_HEDGE.pattern}|{_UNFINISHED.pattern}", re.IGNORECASE | re.MULTILINE
)
# Words one of a key's phrases needs: a line without any is passed over before the costlier regex runs.
_NEEDED_WORDS = {
    "not_changed": (
        "intention", "deliberat", "purpos", "scope", "left", "unchang", "untouch", "intact", "nfc", "no ",
        "functional", "only", "existing", "kept", "preserv", "retain", "stay", "not", "n't", "limited",
        "confined", "restricted", "narrow", "unmodified", "preserved", "retained", "compatib", "breaking",
        "functionality", "behavio", "semantics", "same", "preserve", "included", "continue", "still", "keep",
        "in place", "other", "lock", "identical", "content", "data", "impact", "affected", "without", "bump",
        "leav", "didn", "did not", "haven", "have not", "never", "lost", "removed", "dropped", "deleted",
        "uses", "zero", "remain", "nothing", "exclud", "separate", "follow", "default", "ensur",
        "instead", "maintain", "won't", "will not", "rejected", "alias", "adds", "already", "unrelated",
        "affect", "future", "outside", "need", "omit", "investigat", "known", "release", "no-op", "noop",
        "own", "pr ", "part ", "opted", "chose", "decided", "copied", "ported", "vendored", "carried",
        "overrides", "wins", "precedence",
        "影响", "影響", "不变", "不變", "原样", "迁移", "as before", "either way", "改动", "修改", "兼容",
    ),
    "uncertainty": (
        "[!", "sure", "unclear", "maybe", "perhaps", "certain", "confident", "question", "arguabl", "in case",
        "pending", "caveat", "slower", "might not", "may not",
        "wip", "todo", "fixme", "temp", "hack", "xxx", "suggestions", "feedback", "alternatives", "break",
        "follow", "deferred", "regress", "fix", "solution", "working", "happy", "failure", "error", "wonder",
        "trade", "once", "removed", "for now", "hopefully", "potential", "test", "recommended", "yet",
        "tried", "limitation", "known", "someone", "somebody", "experience", "自信", "restriction",
        "constraint", "run", "know", "flag", "appreciate", "revisit", "drop",
        "subsequent", "future", "later", "upcoming", "due to", "because", "ideally",
        "caused", "agree", "separate", "band", "stopgap", "still", "interim",
        "experimental", "untested", "all", "every", "see", "merge", "land", "expected", "so far",
        "continue", "していません", "未検証", "未テスト", "draft", "discuss", "able to", "learning",
        "exhaustive", "comprehensive", "perfect", "verified", "tested", "validated", "checked",
        "could", "sandbox", "toolchain", "\u26a0", ":warning:", "required", "needed", "measure", "verif",
        "confirm", "validat", "reproduc", "unable", "can't", "cannot", "can not", "fail",
        "暂未", "尚未", "不稳定", "暂不支持", "待后续", "暫未", "不穩定", "reachable", "accessible",
        "available", "installed", "please", "next", "missed", "blocked", "stuck", "struggl",
        "partial", "ugly", "own ", "suppose", "should be", "identity", "fragile", "care", "now", "clean",
        "pending", "approximation", "ideal", "closest", "probably", "advisor", "cost of", "expense of",
        "need to", "exercised", "think", "believe", "assume", "suspect", "seem", "appear", "worth", "risk",
        "incomplete", "unfinished", "compile", "build", "progress", "otherwise", " red", "prefer",
        "acceptable", "filed", "tracked", "eventually", "gotcha", "decision", "assuming", "work", "but not",
        "presumab", "warning", "depends",
        "theory",
    ),
}  # fmt: skip
_NEEDS = {
    key: re.compile("|".join(re.escape(word) for word in words)) for key, words in _NEEDED_WORDS.items()
}
_CHECKLIST_ITEM = re.compile(r"\s{0,8}(?:[-*+]|\d{1,9}[.)])\s+\[[ xX]\]")


_EXPLAINS = re.compile(
    r"\b(?:walk-?through|root cause|problem|background|context|motivation|why|how it works|explanation)\b",
    re.IGNORECASE,
)
_STILL_WORKS = re.compile(r"\bstill\s+works?\b", re.IGNORECASE)
# "six unit tests covering … and that purging RDMA edges leaves socket edges untouched": what a test
# asserts about the code, not what the change left alone.
_DESCRIBES_TESTS = re.compile(
    r"\btests?\s+(?:covering|asserting|checking|verifying|exercising|proving"
    r"|(?:that|which)\s+(?:check|assert|verif|cover|prove|exercise)\w*)\b[^.;\n]*",
    re.IGNORECASE,
)
# A template's callout telling the author what to do ("> [!IMPORTANT] Please check all the following items
# before requesting a review"): an instruction, not the author's doubt.
_INSTRUCTION = re.compile(
    r"^[>\s]*(?:\[![a-z]+\]\s*)?(?:\*\*|__)?(?:(?:please\s+)?"
    r"(?:check|ensure|make sure|be sure|tick|fill|complete|follow|read)\b[^.\n]{0,60}?"
    r"\b(?:following|items|checklist|template|guidelines?|contribut\w+|boxes)\b"
    r"|before (?:submitting|opening|requesting|you submit))",
    re.IGNORECASE,
)


def _instructs_author(text: str, following: list[Text]) -> bool:
    """A callout whose words (on its line or the next) tell the PR's author what to do."""
    if _CALLOUT.search(text) is None or _HEDGE.search(text) is not None:
        return False
    rest = _CALLOUT.split(text, maxsplit=1)[1].strip(" >*_")
    words = rest if rest else (following[0].text if following else "")
    return _INSTRUCTION.search(words) is not None


def _checklist_says_nothing_kept(text: str, section: str | None) -> bool:
    """A box in a template's checklist ("- [x] No breaking changes") is the template's words; a box in
    the author's own test plan says what the author checked ("- [x] No breaking changes" under "Test
    plan"), unless it is a step still to take ("- [ ] Test the normal flow still works")."""
    if _CHECKLIST_ITEM.match(text) is None or _AUTHORS_DECISION.search(text) is not None:
        return False  # ("- [ ] Add tracing support - will do in a followup PR": the author's own answer)
    return section != "tests_run" or _STILL_WORKS.search(text) is not None


# An item the author answered with what they decided: "- won't do", "- will do in a follow-up PR".
_AUTHORS_DECISION = re.compile(
    r"(?:\s[-–—:]\s*|\(\s*)(?:won'?t do|will not do|not doing|will (?:do|add|fix|handle) (?:it |this |that )?"
    r"in a (?:separate|follow-?up|later|future) (?:pr|change|patch|pull request))\b"
    # "- [ ] ~~Added a docs PR~~ N/A Bug fix, no API change": the item struck out and answered
    r"|~~[^~\n]{1,200}~~\s*(?:[-–—:]\s*)?(?:n/a|not applicable)\b",
    re.IGNORECASE,
)


_HOW_TO = re.compile(
    r"\W*(?:how to|steps to)\s+(?:test|verify|validate|try|review|reproduce)\b", re.IGNORECASE
)
# An outcome stated as what to expect: "`go build` succeeds.", "returns nothing", "passes"; not one that
# happened ("passed", "ran", "✅").
_EXPECTED = re.compile(r"\b(?:succeeds|passes|works|returns|produces|prints|shows|should)\b", re.IGNORECASE)
_HAPPENED = re.compile(
    r"\b(?:passed|succeeded|ran|verified|confirmed|tested|worked|returned|produced)\b|\u2705|\u2714",
    re.IGNORECASE,
)


def _expected(claim: TestClaim) -> TestClaim:
    if claim.result == "passed" and _EXPECTED.search(claim.text) and not _HAPPENED.search(claim.text):
        return replace(claim, result="planned")
    return claim


# "Verified with:", "Verified:", "Verified on darwin25:": what is listed is what the author saw work.
_VERIFIED_WITH = re.compile(
    r"\W*(?:(?:verified|tested|validated)\s+(?:with|by)|verified(?:\s+on\s+[^:\n]{1,60})?)\W*$",
    re.IGNORECASE,
)
_NO_CHANGE_QUESTION = re.compile(
    r"\b(?:introduce|contain|include|make|have|cause)s?\b.{0,30}?\b(?:user[- ]facing|breaking|api|schema"
    r"|behaviou?r(?:al)?|public|backwards?[- ]incompatible)\b.{0,20}?\bchanges?\b.{0,40}\?"
    # "Are there any user-facing changes?"
    r"|\b(?:are|is)\s+there\s+(?:any\s+)?"
    r"(?:user[- ]facing|breaking|api|schema|behaviou?r(?:al)?|public|visual)\s+changes?\b"
    # "## Breaking Change?"
    r"|^\W*breaking\s+changes?\s*\??\s*$",
    re.IGNORECASE,
)
_NO_ANSWER = re.compile(r"(?:none|no|nope|n/a|not applicable|nothing)\.?")
# "Not breaking, but the content hash changes once", "No, existing configs keep working"
_NO_LEAD = re.compile(r"(?:no|not breaking|non-breaking)\b[.,;:\u2014\u2013-]")


_NOT_A_STATEMENT = re.compile(
    r"https?://\S+|<[^<>]*>?|!\[.*|\*\*[^*]+\*\*:?|__[^_]+__:?|[-*+]|[^\s:]{1,30}:|#{1,6}\s.*"
    r"|(?:[-*+]\s+)?`?(?:\.{2,}|\u2026)`?|(?:[-*+]\s+)?[^:\n`]{1,60}:"
)


def _one_run(found: list[tuple[int, TestClaim]]) -> list[tuple[int, TestClaim]]:
    """Commands listed bare beside commands said to pass, in a section that states no failure, planned step
    or skipped run: the list reports one run ("- `npm run lint`", "- `npm run unittest` — 1469 passing")."""
    results = {claim.result for _, claim in found}
    if "passed" not in results or results - {"passed", "unknown"}:
        return found
    return [
        (line, replace(claim, result="passed") if claim.result == "unknown" and claim.command else claim)
        for line, claim in found
    ]


def _is_statement(line: str) -> bool:
    """A line that says something in words: not a link, an image, a tag or a label ("Added:") alone."""
    return _NOT_A_STATEMENT.fullmatch(line.strip()) is None


def _headings(raws: Sequence[RawSection]) -> str:
    names = list(dict.fromkeys(raw.heading for raw in raws))
    shown = " / ".join(names[:3])
    return shown if len(names) <= 3 else f"{shown} / …"


class _Builder:
    """Collects sections, claims and notes for one body; `evidence()` freezes them."""

    def __init__(self, layout: Layout, notes: list[str]) -> None:
        self.layout = layout
        self.notes = notes
        self.sections: dict[str, Section] = {}
        self.empty: list[str] = []
        self.tests: list[TestClaim] = []
        self.tokens: TokenReport | None = None

    def sections_by_key(self) -> None:
        for key in SECTION_KEYS[:4]:
            raws = [raw for raw in self.layout.sections if raw.key == key]
            if raws:
                self._section(key, raws)

    def _section(self, key: str, raws: list[RawSection]) -> None:
        said: list[RawSection] = []
        found: list[tuple[int, TestClaim]] = []
        size = 0
        for raw in raws:
            if size > SECTION_TEXT_LIMIT and (key != "tests_run" or len(found) > MAX_CLAIM_LINES):
                break  # the rest cannot change what is shown or kept, only cost time
            lines = _lines(raw.pieces)
            if emptiness(lines, key) is None:
                said.append(raw)
                size += sum(len(line) + 1 for line in lines)
                new = claims_from_pieces(raw.pieces, raw.heading) if key == "tests_run" else []
                # Under "How to validate", what states no outcome is a step for the reviewer; under
                # "Verified with:" or "Verified:", what is listed is what verified the change.
                read_as = "planned" if _HOW_TO.match(raw.heading) else None
                read_as = "passed" if _VERIFIED_WITH.match(raw.heading) else read_as
                if read_as is not None:
                    new = [(at, replace(c, result=read_as) if c.result == "unknown" else c) for at, c in new]
                if read_as == "planned" and any(c.result == "planned" for _, c in new):
                    # among the reviewer's steps, "`go build ./…` succeeds." is the outcome to expect
                    new = [(at, _expected(c)) for at, c in new]
                found.extend(new)
        if not said:
            why = emptiness(_lines(raws[0].pieces), key)
            self.empty.append(key)
            self.notes.append(f"{TITLES[key]}: section {raws[0].heading!r} (line {raws[0].line}) {why}")
            return
        text = display_text(_lines(piece for raw in said for piece in (*raw.pieces, Text("", 0))))
        self.sections[key] = Section(key, _headings(said), text, said[0].line)
        texts = (piece.text for raw in said for piece in raw.pieces if isinstance(piece, Text))
        statement = next((line for line in texts if line.strip() and _is_statement(line)), None)
        if key == "tests_run" and not found and statement is not None:
            # "Added mdtest.", "Tested manually": testing is claimed, its outcome is not stated
            result = "planned" if all(_HOW_TO.match(raw.heading) for raw in said) else "unknown"
            result = "passed" if all(_VERIFIED_WITH.match(raw.heading) for raw in said) else result
            found.append((said[0].line, TestClaim(None, result, statement.strip()[:MAX_CLAIM_TEXT])))
        if key == "tests_run":
            found = _one_run(found)
        self.tests.extend(claim for _, claim in sorted(found, key=lambda pair: pair[0]))

    def answered_questions(self) -> None:
        """A template's question answered no ("Does this PR introduce a user-facing change?" — "NONE"): the
        author states what the change leaves alone."""
        if "not_changed" in self.sections:
            return
        for raw in self.layout.sections:
            if _NO_CHANGE_QUESTION.search(raw.heading) is None:
                continue
            answer = next((line.strip() for line in _lines(raw.pieces) if line.strip()), "")
            said = answer.strip("*_ ").lower()
            if _NO_ANSWER.fullmatch(said) or _NO_LEAD.match(said):
                text = f"{raw.heading} {answer}"
                self.sections["not_changed"] = Section("not_changed", raw.heading, text, raw.line)
                self.notes.append(f"{TITLES['not_changed']}: the question {raw.heading!r} answered no")
                return

    def left_for_later(self) -> None:
        """A "Future work" or "Follow-ups" section: what it lists is open, and by the same words left out of
        this change."""
        if "not_changed" in self.sections or "not_changed" in self.empty:
            return
        for raw in self.layout.sections:
            if raw.key != "uncertainty" or _LATER.match(raw.heading) is None:
                continue
            lines = _lines(raw.pieces)
            if emptiness(lines, "not_changed") is None:
                text = display_text(lines)
                self.sections["not_changed"] = Section("not_changed", raw.heading, text, raw.line)
                self.notes.append(f"{TITLES['not_changed']}: work left for later under {raw.heading!r}")
                return

    def untitled_what_changed(self) -> None:
        """A body that opens with prose and has no summary heading: the prose is what changed."""
        if any(raw.key == "what_changed" for raw in self.layout.sections):
            return
        lines = _lines(self.layout.preamble)
        if lines and all(not line.strip() or _CREDIT_LINE.search(line) for line in lines):
            # the credit first, then a rule, then the summary: the prose after the rule opens the body
            lines = [text.text for text in self.layout.loose][:MAX_PROSE_LINES]
        lines = _without_ticked_items(lines)
        if not describes_change(lines):
            return  # "Jules was unable to finish…", a link, a question: opening prose that changes nothing
        if self.layout.preamble and emptiness(lines, "what_changed") is None:
            first = self.layout.preamble[0].line
            self.sections["what_changed"] = Section("what_changed", "", display_text(lines), first)

    def prose_claims(self) -> None:
        """Claims written outside a tests section count when no tests section claims a result."""
        if any(claim.result in ("passed", "failed") for claim in self.tests):
            return
        # a section explaining the code or the bug ("Reviewer walkthrough", "Root cause": "the second check
        # runs after the first one has failed"; "Problem": "Conformance tests fail on AzDO") reports no run
        # beside a tests section of its own, and no failure at all: the failing is the bug ("All tests pass
        # after the fix" there still says what the author saw)
        explaining = {
            piece.line
            for raw in self.layout.sections
            if _EXPLAINS.search(raw.heading)
            for piece in raw.pieces
        } | {line for line, heading in self.layout.loose_headings.items() if _EXPLAINS.search(heading)}
        prose = list(self._prose())
        headed = self.sections.get("tests_run") is not None and bool(self.sections["tests_run"].heading)
        if headed:
            prose = [piece for piece in prose if piece.line not in explaining]
        found = [
            (line, claim)
            for line, claim in claims_from_prose(sorted(prose, key=lambda piece: piece.line))
            if line not in explaining or claim.result == "passed"
        ]
        empty = "tests_run" in self.empty
        if empty:
            # beside an empty tests section, the text gives a plan, a run that could not happen, or a box
            # the author ticked ("- [x] Tests are passing locally"): the tick is theirs, the prose may be
            # the template's
            found = [
                (line, claim)
                for line, claim in found
                if claim.result in ("planned", "not_run")
                or (
                    claim.result == "passed"
                    and (ticked(claim.text) or _RAN_OPENING.match(claim.text) is not None)
                )
            ]
        if not found:
            return
        self.tests.extend(claim for _, claim in found)
        if empty and any(claim.result == "passed" for _, claim in found):
            self._unempty("tests_run")
        if "tests_run" not in self.sections and "tests_run" not in self.empty:
            line = found[0][0]
            text = display_text(claim.text for _, claim in found)
            self.sections["tests_run"] = Section("tests_run", "", text, line)
            where = "the tests section is empty" if empty else "no tests section"
            self.notes.append(f"{TITLES['tests_run']}: {where}; claims taken from the text (line {line})")

    def prose_sections(self) -> None:
        """What a body says without a heading: "deliberately not changed" in strong phrases ("left
        unchanged", "out of scope", "no API change", "keeps the existing check", "behaviour unchanged", "the
        fallback is preserved", "maintains backward compatibility"), uncertainty in a GitHub
        callout (`> [!WARNING]`), the author's own hedge ("not sure whether", "arguably") or a line that marks
        work unfinished ("WIP", "TODO:")."""
        # (a template's heading left empty, "## Alternatives considered", while the author says it in the text
        # around: "I'll prepare another PR for that")
        wanted = [
            (key, pattern)
            for key, pattern in (("not_changed", _NOT_CHANGED_PROSE), ("uncertainty", _UNCERTAIN_PROSE))
            if key not in self.sections
        ]
        if not wanted:
            return
        origin = {piece.line: raw.key for raw in self.layout.sections for piece in raw.pieces}
        hits: dict[str, list[Text]] = {key: [] for key, _ in wanted}
        # One pass over the prose for both keys: a key's own section is not prose for it.
        pieces = [
            piece
            for piece in logical_lines(sorted(self._prose(exclude=""), key=lambda piece: piece.line))
            if isinstance(piece, Text)
        ]
        for index, piece in enumerate(pieces):
            text = piece.text[:MAX_PROSE_CHARS]
            lowered = text.lower()
            for key, pattern in wanted:
                found = hits[key]
                if len(found) >= MAX_PROSE_LINES or origin.get(piece.line) == key:
                    continue
                if key == "not_changed" and _checklist_says_nothing_kept(text, origin.get(piece.line)):
                    continue
                if key == "uncertainty" and _instructs_author(text, pieces[index + 1 : index + 2]):
                    continue
                if key == "not_changed" and origin.get(piece.line) == "tests_run" and reviewer_step(lowered):
                    continue  # "3. Ensure existing integrations continue to work": what to check, not a claim
                said = _DESCRIBES_TESTS.sub(" ", text) if key == "not_changed" else text
                if _NEEDS[key].search(lowered) and pattern.search(said):
                    found.append(piece)
        for key, found in hits.items():
            if found:
                text = display_text(piece.text for piece in found)
                self.sections[key] = Section(key, "", text, found[0].line)
                where = "the section is empty" if key in self.empty else "no section"
                if key in self.empty:
                    self._unempty(key)
                self.notes.append(f"{TITLES[key]}: {where}; taken from the text (line {found[0].line})")

    def _unempty(self, key: str) -> None:
        """`key`'s section, reported empty, is said in the text after all: no longer empty, nor noted so."""
        self.empty.remove(key)
        said = f"{TITLES[key]}: section"
        self.notes = [note for note in self.notes if not note.startswith(said)]

    def _prose(self, exclude: str = "tests_run") -> Iterable[Text]:
        yield from (piece for piece in self.layout.preamble if isinstance(piece, Text))
        for raw in self.layout.sections:
            if raw.key != exclude:
                yield from (piece for piece in raw.pieces if isinstance(piece, Text))
        yield from self.layout.loose

    def finish_claims(self) -> None:
        unique: dict[tuple[str | None, str, str], TestClaim] = {}
        for claim in self.tests:
            identity = (claim.command, claim.result, "" if claim.command else claim.text)
            unique.setdefault(identity, claim)
        claims = list(unique.values())
        if len(claims) > MAX_CLAIMS:
            self.notes.append(f"more than {MAX_CLAIMS} test claims; kept the first {MAX_CLAIMS}")
            claims = claims[:MAX_CLAIMS]
        self.tests = claims
        if "tests_run" in self.sections and all(claim.result == "unknown" for claim in claims):
            self.notes.append(f"{TITLES['tests_run']}: the section states no result")
        elif claims and all(claim.result in ("not_run", "planned") for claim in claims):
            self.notes.append(f"{TITLES['tests_run']}: {len(claims)} listed, none claimed as run")

    def tokens_from(self, commit_messages: Sequence[str]) -> None:
        body_report = self._tokens_from_blocks()
        trailer_report, trailers, problems = tokens_from_trailers(commit_messages)
        self.notes.extend(problems)
        if body_report is not None and trailer_report is not None:
            self.notes.append(
                f"{TITLES['tokens']}: the agentbudget block wins over {trailers} commit trailer(s)"
            )
        self.tokens = body_report or trailer_report
        if self.tokens is not None and "tokens" in self.empty:
            self.empty.remove("tokens")

    def _tokens_from_blocks(self) -> TokenReport | None:
        blocks = self.layout.blocks
        if not blocks:
            return None
        if len(blocks) > 1:
            self.notes.append(f"{len(blocks)} agentbudget blocks; read the first (line {blocks[0].line})")
        report, said_nothing, problems = tokens_from_block("\n".join(blocks[0].lines))
        self.notes.extend(problems)
        if said_nothing:
            self.empty.append("tokens")
            self.notes.append(
                f"{TITLES['tokens']}: agentbudget block (line {blocks[0].line}) gives no count or cost"
            )
        return report

    def evidence(self) -> Evidence:
        ordered = {key: self.sections[key] for key in SECTION_KEYS if key in self.sections}
        empty = tuple(key for key in SECTION_KEYS if key in self.empty)
        return Evidence(ordered, empty, tuple(self.tests), self.tokens, tuple(self.notes))


def parse_evidence(body: str | None, commit_messages: Sequence[str] = ()) -> Evidence:
    """Everything the body and the commit trailers say about what changed, tests, risks and tokens."""
    if isinstance(commit_messages, str):
        commit_messages = (commit_messages,)
    notes: list[str] = []
    builder = _Builder(lay_out(scan(_bounded_body(body, notes))), notes)
    builder.sections_by_key()
    builder.answered_questions()
    builder.left_for_later()
    builder.untitled_what_changed()
    builder.prose_claims()
    builder.prose_sections()
    builder.finish_claims()
    builder.tokens_from(commit_messages)
    return builder.evidence()


# Headings over work left for later: "Future work", "Follow-ups", "Follow-up TODOs", "Next steps".
# "Ran the sidecar test 1000 times and no failures": a run the author tells, no template's words
_RAN_OPENING = re.compile(r"\s*(?:[-*+]\s+)?(?:(?:i|we)\s+)?ran\b", re.IGNORECASE)
_LATER = re.compile(r"\W*(?:future\s+work|follow[\s-]?ups?\b|next\s+steps)", re.IGNORECASE)


# A template's checklist item, answered about the author or the pull request ("I have added tests …", "Pull
# request includes a sign off"), not a step of the work ("- [x] Add retries to the client")
_CHECKBOX_ITEM = re.compile(
    r"^\s{0,8}[-*+]\s+\[[ xX]\]\s+(?:\*\*)?(?:i\s|i've\b|i'm\b|my\s|we\s|this\s+pr\b|the\s+pr\b|"
    r"pull\s+request\b|pr\s|the\s+code\b|code\s+(?:follows|compiles)\b|all\s+new\s+and\s+existing\b)",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s{0,8}(?:[-*+]|\d{1,3}[.)])\s")


def _without_ticked_items(lines: list[str]) -> list[str]:
    """Opening lines without a template's checklist items ("* [x] I have added tests …" and the lines each
    wraps onto): answers to the template, not a description of the change."""
    kept: list[str] = []
    in_box = False
    for line in lines:
        if _CHECKBOX_ITEM.match(line):
            in_box = True
        elif not line.strip() or _LIST_ITEM.match(line):
            in_box = False
        if not in_box:
            kept.append(line)
    return kept
