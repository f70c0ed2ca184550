"""The result a line or a log claims: passed, failed, not_run, planned or unknown, from marks and words.

A tool that was missing ("command not found", "missing script") → not_run, whatever the marks. Marks
next: ❌ → failed (not_run when the line says it could not run), ✅ → passed. Then an unchecked box (passed
when the author marked it "(verified)"), a run promised for later ("CI should run") or a step for the reviewer
("Open Settings and verify…") → planned; "skipped"/"could not run" → not_run;
"fail" → failed; "pass"/"green"/"ok" → passed; a checked box alone → passed; anything else → unknown.
⚠️ marks a command the agent's sandbox could not run properly: not_run when the line says why, failed
when it says "fail", unknown otherwise.
Counts that are not failures ("0 failed", "2 skipped", "was failing before") are removed first.

The word patterns are lower-case and matched against lower-cased text: cheaper than re.IGNORECASE.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .commands import runner_at

PASS_MARKS = ("✅", "✔", "☑", "🟢", "👍", "✓", "🆗")
FAIL_MARKS = ("❌", "✖", "✗", "✘", "🔴", "⛔", "🚫", "❎", "👎")
WARN_MARKS = ("⚠", "🟡", "🚧")

_NEGATED_FAILURE = re.compile(
    r"\b\d+\s+(?:skipped|deselected|xfailed|xpassed|warnings?)\b"
    r"|\b(?:0|zero|no|none|without)\s+(?:failures?|failed|failing|fails|fail|errors?|issues?|warnings?)\b"
    r"|\b(?:was|were|previously|formerly|used to|before)\s+(?:fail\w*)"
    # "These tests are not failing", "no longer fails": a pass told by its negation
    r"|\b(?:are|is|were|was)\s+not\s+failing\b|\bno\s+longer\s+fail\w*"
    # "slow builds, not broken ones"; "if a change ever makes the route grid-dependent, the test fails" (what
    # a test is made to catch); "0 失败"
    r"|\bnot\s+broken\b|\bif\b[^.;\n]{0,100}?\b(?:ever|later|someday|someone|anyone)\b[^.;\n]{0,100}?\bfail\w*"
    # "`update` fails with the actionable message", "omitting it fails every request with HTTP 400": what the
    # code does, told as a behaviour a test pins down
    r"|\bfails?\s+with\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:message|error|exception|status|http\s+\d{3}|\d{3})\b"
    r"|\bfails\s+every\s+(?:request|call|query)\b"
    r"|(?<!\d)0\s*(?:个\s*)?失败"
    # "**Before:** the shard failed on nearly every PR": the old state a before/after write-up opens with
    r"|^\s{0,8}(?:[-*+]\s+)?(?:\*\*|__)?before(?:\s+(?:the|this)\s+(?:fix|change|patch))?\s*(?:\*\*|__)?\s*:"
    r"[^\n]*"
    r"|\bfail\w*\s+(?:before|previously|without (?:this|the) (?:\w+\s+)?(?:fix|change|patch|guard|check))"
    # "On v4.15.0 the response never reaches storeEvent and the test fails": the bug on a released version
    # (a release named as such, `v4.15.0`: "On 3.12 two tests fail" reports a run on another interpreter)
    r"|(?:^|(?<=[.!?]\s))on\s+v\d{1,4}\.\d{1,4}\.\d{1,4}\b[^.;\n]{0,100}?\bfail\w*"
    # mutation testing: a test that fails once the fix is undone proves the test, it is not a failure
    r"|\b(?:disabling|reverting|removing|undoing|breaking|mutating|deleting|commenting out)\b"
    r"(?:[^.;\n]|\.(?=\S)){0,80}?\bfail\w*"
    r"|\bfail\w*\s+without\s+(?:it|them|this|that)\b"
    # "the exact payload from the failing run" (the bug's run), "CI: fail if a field is missing" (what a check
    # is made to do)
    r"|\b(?:from|in|of)\s+the\s+(?:original\s+)?failing\s+(?:run|job|build|request|call|case)\b"
    r"|^\s{0,8}(?:[-*+]\s+)?(?:[\w-]{1,20}:\s+)?fail\s+(?:if|when|whenever|unless|on)\b"
    # "goes from failing at the first install to serving HTTP 200": the state before the change
    r"|\bfrom\s+fail\w*\b[^;\n]{0,80}?\bto\s+(?:\w+ing|pass\w*|succeed\w*|work\w*)\b"
    # "9 fail against the unfixed script": what the new tests prove, not a failure
    r"|\bfail\w*\s+(?:against|on|with)\s+(?:the\s+)?(?:unfixed|unpatched|old|original|previous)\b"
    # a compound that names a kind of thing: "failed-test argument rebuilding", "fail-safe", "fail-fast"
    r"|\bfail\w*-[a-z]\w*|\b[a-z]\w*-fail\w*"
    r"|\bfail\w*\b[^.;\n]{0,40}?\bmutations?\b"
    # "test failures now correctly log …": what the failures of a test now say, no failed run
    r"|\bfailures?\s+now\s+(?:\w+\s+)?(?:log|show|report|return|display|surface|print)\w*"
    # a scenario a test sets up ("with one failing load"), not a test that failed
    r"|\b(?:a|an|one)\s+failing\s+(?=[a-z`])(?!(?:unit\s+|e2e\s+|integration\s+)?(?:tests?|specs?|checks?|builds?"
    r"|jobs?|cases?|suites?|steps?|assertions?|ci|pipelines?|runs?)\b)",
)
_FAIL_WORDS = re.compile(
    r"\b(?:fail|fails|failed|failing|(?<!n't )(?<!not )(?<!never )(?<!no longer )(?<!\bno )broken"
    r"|(?:does|do|did)\s*n[o']?t\s+pass"
    r"|not\s+passing(?!\s+(?:any|the|its|their)\s+(?:[\w-]+\s+)?(?:tags?|flags?|options?|args|arguments|values?)\b)"
    # (a count, not a name's digits: "UTF-16/UTF-32 error detection")
    r"|(?<![-/.\w])[1-9]\d*\s+(?:(?:pre-?existing|unrelated|known|flaky|remaining|other)\s+){0,2}"
    r"(?:errors?|failures?|failed)|fehlgeschlagen|schlägt\s+fehl|échoue\w*|échec|échoué"
    # "still has the pre-existing `test_x` failure": a failure, though not this change's
    r"|(?:has|have|shows?|hits?)\s+(?:the|a|an|one)\s+(?:pre-?existing|known|unrelated)\s+[^.;\n]{0,80}?failures?"
    # "pre-existing unrelated `x.test.ts` failures reproduce on `main`", "the failures … are pre-existing"
    r"|pre-?existing\s+(?:unrelated\s+)?(?:[\w`./:-]+\s+){0,3}?failures?"
    r"|failures?\b[^.;\n]{0,60}?\b(?:are|were|is|was)\s+pre-?existing"
    r"|flaky\s+on\s+`?(?:main|master)"
    # "After increasing the pause, this test is still flaky in CI."
    r"|(?:is|are)\s+still\s+flaky"
    r"|falla|fallan|falló|fallido|fallida|falhou|falham|falha|не\s+проход(?:ят|ит)|пада(?:ют|ет)|упал[иао]?)\b"
    r"|失败|失敗|不通过|未通过|未通過",
)
_NOT_RUN_WORDS = re.compile(
    r"\b(?:not\s+run|n[o']?t\s+(?:yet\s+)?(?:run|executed|tested)|did\s*n[o']?t\s+run"
    r"|(?:did|have|has|had)\s*n[o']?t\s+(?:yet\s+)?test|could\s*n[o']?t\s+run"
    r"|could\s+not\s+(?:be\s+)?run|unable\s+to\s+run|can\s*n[o']?t\s+run|cannot\s+run|skipped|untested"
    r"|not\s+tested|n[o']?t\s+(?:yet\s+)?(?:\w+ly\s+)?verified|unverified|blocked\s+(?:in|by)\b"
    r"|(?:was|were|is|are|has|have|had)(?:n'?t|\s+not)\s+(?:yet\s+)?(?:been\s+)?(?:run|executed|tested|verified)"
    r"|(?:have|has|had|was|were|am|is|are)(?:n'?t|\s+not)\s+(?:yet\s+)?(?:been\s+)?able\s+to\s+(?:test|run|verify)"
    r"|unable\s+to\s+(?:test|verify)"
    # "No automated tests were run for this UI tweak"
    r"|\bno\s+(?:[\w-]+\s+){0,2}?(?:tests?|checks?|specs?)\s+(?:were|was|have\s+been|has\s+been)\s+(?:run|executed)"
    # "Reviewer confirmed (by hand-tracing, not execution) that this fails …": read, not run
    r"|not\s+(?:by\s+)?execution|hand-?trac\w*|without\s+(?:running|executing)\s+(?:it|them|the\s+tests?)"
    r"|nicht\s+ausgeführt|nicht\s+getestet|non\s+exécuté|non\s+testé|no\s+ejecutad[oa]s?"
    r"|no\s+probad[oa]s?|no\s+se\s+han?\s+(?:\w+\s+)?(?:ejecutado|probado)|não\s+executad[oa]s?"
    r"|não\s+testad[oa]s?)\b"
    r"|未実施|未実行|未测试|未运行|未執行|未測試",
)
_SANDBOX_WORDS = re.compile(
    r"\b(?:not\s+installed|no\s+network|network|offline|unavailable|not\s+available|sandbox|environment"
    r"|missing|proxy|permission|could\s*n[o']?t|could\s+not|unable)\b",
)
_PASS_WORDS = re.compile(
    # "cannot be passed to a URL-based server", "is passed as an argument": a value handed on, not a run
    # ("a null pass-through", "passes through when the host has no resolver": a value handed on)
    # ("tests were not passing", "does not pass": a failure, read as one)
    # ("falls through to passing the path verbatim", not "passing the full test suite"; "was not passing any
    # build tags", "the two tests additionally pass a bare request": arguments handed on)
    r"\b(?<!\bnot )(?<!n't )(?:(?:pass(?![- ]?through)|passes(?!\s+through\b)|passing(?![- ]?through))"
    r"(?!\s+(?:the|a|an|its|their|any|no|some)\s+(?!(?:[\w-]+\s+)?(?:tests?|suites?|ci|checks?"
    r"|builds?(?!\s+(?:tags?|flags?|options?|args|arguments)\b)|lint\w*)\b))"
    r"|(?<!\bbe )passed(?!\s+(?:to|as|into|through|via|along)\b)|green"
    r"|succeeded|succeeds|successful|successfully|success|ok|okay"
    r"|all\s+good|works|worked|cleanly|no\s+(?:errors?|failures?|issues?|warnings?|hits|findings)"
    # "and it seems to be working", "everything is working"
    r"|\b(?:it|this|everything|all)\s+(?:(?:seems|appears)\s+to\s+be\s+|is\s+|was\s+)?working\b(?!\s+on\b)"
    # "ran with --help in a few places and observed good behaviour", "behaves as expected"
    r"|(?:observed|saw|seeing|got)\s+(?:the\s+)?(?:good|correct|expected|desired|right|proper)\s+"
    r"(?:behaviou?r|output|results?)|behav(?:es|ed)\s+as\s+expected"
    # "Running with `--no-config` reports nothing new"
    r"|(?:reports?|reported|finds?|found|shows?|showed)\s+nothing\s+new"
    # "working as expected so far" (a test plan's line)
    r"|(?<!not )(?<!n't )(?:^|(?<=\s))working\s+as\s+(?:expected|intended)"
    # "clean", not "a clean Windows x64 Debug build" (a build from scratch, its outcome unsaid)
    r"|(?<![-\w])clean(?!\s*up)(?!(?:\s+[\w.+`'-]+){0,4}?\s+(?:build|checkout|install|clone|environment|env|venv"
    r"|machine|vm|container|slate|state|workspace|tree)\b)"
    r"|0\s+(?:errors?|failures?|failed)"
    r"|(?:are|is|were|was)\s+not\s+failing|no\s+longer\s+fail(?:s|ing)?"
    # "Manually tested on a Lambda function that the extension no longer panics"
    r"|no\s+longer\s+(?:panics?|crash(?:es)?|hangs?|throws?|errors?(?:\s+out)?|reproduces?)"
    r"|(?<!не )проход(?:ят|ит)|(?<!не )прошл[иао]|пройдены?|успешно"
    r"|bestanden|erfolgreich|grün|réussi\w*|passent|passé|pasan|pasaron|exitos[oa]s?|correctamente"
    # "Checked in the browser at 360 / 390px: …": a check by hand whose outcome the list tells
    r"|checked\s+in\s+(?:the\s+|a\s+)?(?:browser|simulator|emulator)"
    r"|passaram|passou|passam|sucesso|verified|validated|confirmed|(?:all|is|are|now)\s+happy|made\s+\S{1,40}\s+happy"
    r"|(?<!never )(?<!not )(?<!n't )(?<!longer )r(?:uns|an) (?:correctly|cleanly|to completion))\b"
    r"|通过|通過|成功|パス|合格",
)


# A measurement the author took, told as a change of a number: "Measured on a LilyGo T-RGB: the low-water
# rose from ~6.6 KB to ~55.8 KB free", "benchmarking indicates this reduces lookup time from ~35ms to ~1.2ms".
# (a number moved the way the change meant it to: "reduces", "rose … free", not "went from 40ms to 900ms")
MEASURED = re.compile(
    r"\b(?:measured|benchmark\w*|profil(?:ed|ing))\b[^\n]{0,200}?"
    r"\b(?:reduc\w*|improv\w*|drop\w*|fell|falls?|cut\w*|shr[ai]nk\w*|lower\w*|sav(?:es|ed|ing)|rose|freed|faster)\b"
    r"[^\n]{0,80}?\bfrom\s+~?\d[\d.,]*\s*(?:ms|s|sec|seconds|µs|us|ns|kb|kib|mb|mib|gb|%|x|fps|rps)\s+to\s+~?\d"
)


def marked(text: str, marks: tuple[str, ...]) -> bool:
    return any(mark in text for mark in marks)


def _without_negated(lowered: str) -> str:
    """The text with counts that are not failures blanked out, keeping every other character in place."""
    return _NEGATED_FAILURE.sub(lambda match: " " * len(match.group()), lowered)


def says_failed(text: str) -> bool:
    return _FAIL_WORDS.search(_without_negated(text.lower())) is not None


# A tool that was absent is a command that could not run, not a failing test.
_COULD_NOT_RUN = re.compile(
    r"command not found|not found: |missing script|no such (?:file|command)|no test script|enoent"
    # "(fails: jest not found)": the runner itself was missing; npm's placeholder "Error: no test specified"
    r"|fail(?:s|ed)?: [`'\"]?[\w.@/-]{1,40}[`'\"]? not found|no tests? specified"
    r"|not installed|isn'?t installed|no network|no internet"
    # "I tried to run the python tests and found that these dependencies were missing"
    r"|\btried to run\b[^.\n]{0,80}?\b(?:were|was|are|is) missing\b"
    r"|network (?:error|access|unavailable|(?:is )?not available|isn'?t available)"
    r"|could\s*n[o']?t (?:install|download|resolve|reach|find)|unable to (?:install|download|resolve|reach)"
    # the project's manifest was not there to run from: "(fails: Could not read package.json)"
    r"|(?:could\s*n[o']?t|cannot|can't|unable to) (?:read|open|locate) (?:the )?"
    r"(?:package\.json|pyproject\.toml|requirements\.txt|go\.mod|cargo\.toml|gemfile|composer\.json|pom\.xml"
    r"|build\.gradle)"
    r"|(?:sandbox|environment) (?:lacks|has no|does not have|doesn't have)"
    # "so `actionlint` validation could not be completed in this environment"
    r"|could\s*n[o']?t\s+be\s+(?:completed|run|executed|performed)\s+in\s+(?:this|the)\s+"
    r"(?:environment|sandbox|container)\b"
    r"|no rule to make target|(?:executable|binary|browser) (?:does ?n[o']?t|not) exist|tunnel error"
    r"|connection (?:refused|reset)|could ?n[o']?t connect|unable to connect"
    # a dependency the sandbox lacks, hooks or packages it could not fetch
    r"|no module named|modulenotfounderror|(?:cannot|can'?t|could ?n[o']?t|unable to) fetch"
    # a network the sandbox could not reach: `EHOSTUNREACH registry.npmjs.org`
    r"|\b(?:ehostunreach|enetunreach|eai_again|getaddrinfo|econnrefused|econnreset)\b"
    # "The authoring sandbox can't build mise (insufficient memory), so … tests are left to CI"
    r"|\b(?:sandbox|environment|container|machine)\b[^.\n]{0,40}?(?:can'?t|cannot|could\s*n[o']?t|unable to) "
    r"(?:build|compile|run)\b|\b(?:are|is|were|was) left to (?:the )?ci\b"
    r"|\bno (?:[\w.+-]+ )?toolchain (?:on|in|available)\b"
    # "(fails: downloading toolchain forbidden)": the sandbox refused what the run had to fetch
    r"|\b(?:download\w*|fetch\w*) (?:the |a )?(?:[\w.+-]+ )?(?:toolchains?|modules?|dependenc\w+|packages?)\b"
    r"[^.\n]{0,30}?\b(?:forbidden|blocked|denied|not allowed|disallowed)\b"
)
# "all three failed due to the npm registry returning 403 Forbidden for the tooling" (a line that says nothing
# passed: "`pytest` passes; the test that failed because of the proxy is fixed" reports a pass)
_FAILED_FOR_ENVIRONMENT = re.compile(
    r"\bfail\w* (?:due to|because(?: of)?) (?:the )?(?:[\w.-]+ ){0,3}?(?:registry|network|sandbox|environment"
    r"|firewall|proxy)\b"
    # "fails in this environment because Docker daemon is unavailable for testcontainers": the run could not
    # happen here
    r"|\bfail\w* (?:in|on) (?:this|the|my|our) (?:environment|sandbox|container|vm|machine)\b[^.;\n]{0,40}?"
    r"\b(?:because|as|since|due to)\b[^.;\n]{0,80}?\b(?:unavailable|not available|missing|not installed"
    r"|not running|no network|offline)\b"
)
# "- [ ] Build succeeds (verified)": an unticked box the author marked done in words.
_SAID_DONE = re.compile(r"\((?:verified|done|confirmed|passed|passes|passing)\)\s*[.]?\s*$")
# "Existing CI should run", "let's see if it passes CI": a run promised for later.
_CI_WILL_RUN = re.compile(
    r"\b(?:ci|pipelines?|workflows?|checks)\s+(?:should|will)\s+(?:run|cover|verify)\b"
    r"|\b(?:let'?s|let us|we'?ll|we will)\s+see\s+(?:if|whether)\b"  # "let's see if it passes CI"
)
# Steps for the reviewer ("1. Open Settings and verify the toggle works") are a plan, not a result.
_IMPERATIVE = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])?\s*(?:\*\*)?(?:please\s+)?"
    r"(?:open|click|navigate|go to|visit|try|verify|check that|confirm|double[- ]check"
    r"|ensure|make sure|start|launch|create|select|enter|log ?in|sign ?in|observe|reload|refresh|type|paste"
    r"|upload|drag|toggle|set|switch|find|see if|see whether|follow|read|check|inspect|review|compare"
    r"|trigger|change|close|reopen|restart|resize|scroll|hover|press|tap|modify|edit|remove|delete|send|call"
    r"|install|apply|submit|fill (?:in|out)|do the same|see (?:these|those|the|that|it|all)\b"
    r"|test (?:it |this |them )?(?:locally|manually)\b"
    r"|after (?:merge|merging|deploy\w*|release),? \w+|manually (?:fire|run|trigger|dispatch))\b(?!-)",
)

# "5. 🔴 [on main] notice the dropdown disappears", "🟢 repeat steps 4-9 on a translation column": a
# reviewer's step marked with the outcome to expect on each branch, not a result.
_EXPECTED_OUTCOME = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])?\s*[\U0001f7e2\U0001f534]\ufe0f?\s*(?:\[\s*on\s+[^\]\n]{1,30}\]|(?=\S))"
)
_STEP_VERB = re.compile(r"\s*(?:notice|move|repeat|now|then|again)\b")


def reviewer_step(lowered: str) -> bool:
    """ "3. Ensure existing integrations continue to work": a step for the reviewer to take."""
    return _IMPERATIVE.match(lowered) is not None


def expected_outcome(lowered: str) -> bool:
    match = _EXPECTED_OUTCOME.match(lowered)
    if match is None:
        return False
    rest = lowered[match.end() :]
    numbered = match.group().lstrip()[:1].isdigit()  # "9. 🟢 the item becomes clickable again": step nine
    return (
        numbered
        or match.group().rstrip().endswith("]")
        or reviewer_step(rest)
        or _STEP_VERB.match(rest) is not None
    )


# "[x] My changes can not or do not need to be tested": nothing was run (read before purposes are cut, as
# "to be tested" reads like one).
_NO_TEST_NEEDED = re.compile(
    r"(?:can\s*n[o']?t|cannot|do(?:es)?\s*n[o']?t\s+need\s+to|need\s*n[o']?t)\s+(?:\w+\s+){0,2}?be\s+tested"
)
# "Documentation only." where a run would be reported, "- [ ] `make lint test` — documentation only": a
# change nothing runs against, so nothing was run.
_DOCS_ONLY = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:(?:this is )?(?:an? )?(?:docs?|documentation)[- ]only\b)"
    r"|[\u2013\u2014:-]\s*(?:(?:this is )?(?:an? )?(?:docs?|documentation)[- ]only)(?:\s+change)?\s*[.)]?\s*$"
)
# "N/A (docs only)" where a run would be reported: nothing was run.
# "Not needed, non-functional" and "No logical changes -> no tests required" say the same.
_NOT_APPLICABLE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:n/a|not applicable|not (?:needed|required|necessary))\b"
    r"|\bno (?:new |[\w-]+ )?tests? (?:(?:is|are|were|was) )?(?:required|needed|necessary)\b"
    r"|" + _DOCS_ONLY.pattern
)
# "Unit test must pass. Build must pass on Jenkins.": the bar the run has to clear, stated before it ran.
_MUST_PASS = re.compile(r"^[^.;\n]{0,60}\b(?:must|should|needs? to|has to|have to)\s+(?:still\s+)?pass\b")
# A question about the tests ("Do they pass on all platforms for all Python versions?") asks for a run.
_QUESTION = re.compile(r"\?[\s*_)]*$")
_BARE_CI = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:the |existing |rely on |relying on |covered by )?(?:ci|github actions)\.?\s*$"
)
# "- [x] UnitTest", "- [x] Manual testing": a ticked kind of test says it was done, not how it went
_TEST_KIND = re.compile(
    r"^\s*[-*+]\s+\[[xX]\]\s+(?:\*\*)?(?:(?:unit|integration|e2e|end[- ]to[- ]end|manual|smoke|regression"
    r"|performance|load|ui|api|functional|acceptance)\s?)?(?:tests?|testing|benchmarks?)(?:\*\*)?\s*$"
    # "- [x] I have tested this change in my development environment": tested, how it went unsaid
    r"|^\s*[-*+]\s+\[[xX]\]\s+(?:i|we)\s+(?:have\s+)?(?:tested|manually\s+tested)\s+(?:this|these|my|the|it)\b"
    r"(?![^\n]{0,120}\b(?:pass\w*|work\w*|succe\w*|green|ok)\b)"
)
# "This can be verified using the React DevTools Profiler": how someone could check it, not a run.
_CAN_BE_CHECKED = re.compile(
    r"\b(?:can|could|may|might)\s+(?:\w+\s+)?be\s+(?:verified|tested|checked|confirmed|validated|observed"
    r"|reproduced|measured)\b|\byou\s+(?:will|should|can)\s+(?:observe|see|notice)\b"
)
_RUN_STEP = re.compile(r"^\s*(?:[-*+]|\d+[.)])?\s*(?:\*\*)?run\b")


# Words after a purpose ("tests to verify the fix works", "should pass") or an effect ("which causes test
# failures") state an aim or a bug, not a result; words
# inside quoted data (`{"success": false}`) or in a list of values (`completed`/`failed`) are the data's.
# "Verified the new test fails without the guard": the test was proved, no suite result is stated.
_PROVED_TEST = (
    r"|\b(?:verified|confirmed|checked|ensured)\s+(?:that\s+)?[^.;\n]{0,60}?\bfail\w*\s+without"
    r"(?:\s+(?!and\b|but\b)[\w`'-]+){1,4}"
    # "adds a regression test that fails without the fix": what the new test proves, not a run of it
    r"|\btests?\s+(?:case\s+)?(?:that|which)\s+(?:would\s+)?fail\w*\s+(?:without|before|on\s+`?(?:main|master))\b`?"
    r"(?:\s+(?!and\b|but\b)[\w`'-]+){0,4}"
    # "confirmed it fails against the pre-fix code", "fails when the kill -0 check is removed": the new test
    # proved against the old code, no failure of this change
    r"|\bfail\w*\s+(?:against|on|with)\s+(?:the\s+)?(?:pre-?fix|unfixed|unpatched|old|original|previous)\b[^.;,\n]*"
    r"|\bfail\w*\s+(?:when|if|once)\s+(?:the\s+|this\s+)?(?:[\w`'-]+\s+){1,5}?(?:is|are|gets?)\s+"
    r"(?:\w+ly\s+)?(?:removed|reverted|disabled|commented\s+out|undone|deleted)\b[^.;,\n]*"
)
_PURPOSE = re.compile(
    r"\b(?:to (?:verify|check|ensure|confirm|make sure|make(?!\s+target)|prove|show|avoid|prevent)"
    r"|(?<!seems )(?<!appears )to be|needs? to|should|must"
    r"|will|would|caus(?:e|es|ed|ing)|ensures|guarantees|so that|helps? (?:to )?ensure)\b"
    # to the end of the clause: "This should fix X, though I haven't been able to test it" states a run after
    r"(?:(?!,\s*(?:though|although|but|however)\b|;|[.!?]\s).)*"
    # a hypothetical ("a refactor that lets them drift … every test stays green"): what such a change would do
    r"|\b(?:a|any|some)\s+(?:future\s+|later\s+)?(?:refactor\w*|change|regression|bug|mistake|edit|drift)"
    r"\s+(?:that|which)\b.*"
    # "disables 51 tests that are failing on Azure DevOps to get the pipeline green": what the change does to
    # tests, and what for
    r"|\b(?:disables?|disabling|skips?|skipping|quarantines?|mutes?|ignores?)\s+(?:\d+\s+|the\s+|these\s+|some\s+)?"
    r"(?:[\w-]+\s+){0,2}?tests?\s+(?:that|which)\s+(?:are|were)\s+(?:failing|flaky|broken|hanging)\b[^.;\n]*"
    r"|\bto\s+(?:get|keep|turn|make)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:pipeline|ci|build|checks?|tests?|suite|them)\s+"
    r"(?:green|passing)\b"
    # "so the assertion never runs and the test passes whether or not the request is visible": what a broken
    # test did, no run of it
    r"|\bpass\w*\s+(?:whether\s+or\s+not|regardless\s+of|no\s+matter)\b[^.;\n]*"
    # "- ChangelogTests: NoTitle emits an error, success emits no diagnostics": a test class and what it
    # covers, unless the line says how it ran
    r"|(?:^|\n)\s*[-*+]\s+[\w.]+tests?\s*:(?![^\n]*\b(?:pass(?:es|ed)?|green|fail\w*|ran|run)\b)[^\n]*"
    # "added a regression test … that returns the broken `foo/bar` before this change": the proof it fails
    # without the fix, no failure of this change
    r"|\b(?:that|which)\s+(?:returns?|fails?|failed|breaks?|reproduces?|shows?)\b(?:`[^`\n]{0,80}`|[^.;\n`]){0,120}?"
    r"\b(?:before|without)\s+(?:this|the)\s+(?:change|fix|patch)\b"
    # "- **without the fix:** both fail — `2 failed, 9 passed`": the run that proves the test, before the fix
    r"|(?:^|\n)\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:without|before)\s+(?:the\s+|this\s+)?(?:fix|change|patch)"
    r"(?:\*\*|__)?\s*:[^\n]*"
    # "Ran it 1000 times and no failures -- it failed ~8% of the time before.": the bug's rate, before the fix
    r"|\b(?:it|they|this|that)\s+(?:used\s+to\s+fail|failed)\b[^.;\n]{0,60}?\bbefore\s*(?=[.;]|$)"
    # "It fails (`3 != 1`) without the fix.": the new test's proof, no failure of this change
    r"|\b(?:it|this|the\s+(?:new\s+)?(?:regression\s+)?test)\s+(?:fails?|failed)\b(?:`[^`\n]{0,80}`|[^.;\n`]){0,80}?"
    r"\b(?:before|without)\s+(?:this|the)\s+(?:change|fix|patch)\b"
    # "kills the destination mid-stream, asserts the failed move is rolled back": what a test asserts
    r"|\basserts?\s+(?:that\s+)?(?:the|a|an|it|each|every|no)\b[^.;\n]*"
    # "stores its `on_error` argument (in addition to passing it to `run_in_background`)": an argument handed
    # on, no test
    r"|\bpass(?:es|ed|ing)?\s+(?:it|them|this|that|these|those|(?:the\s+|its\s+|their\s+)?`[^`\n]{1,80}`)\s+"
    r"(?:to|into|through|along|down|on\s+to|as)\b[^.;\n]*"
    # "Passing `encoding="utf-8"` at all seven sites": an argument given
    r"|\bpass(?:es|ed|ing)?\s+`[^`\n]{0,80}=[^`\n]{0,80}`[^.;\n]*"
    # "By passing cancellation tokens, operations are cancelled": an argument handed on, no test
    r"|\bby\s+passing\s+(?!(?:all\s+|the\s+)?(?:tests?|ci|checks?|builds?|suites?)\b)[^.;,\n]*"
    # "All tests are set to pass now": made to pass by hand, no result of a run
    r"|\b(?:set|forced|made|marked|hard-?coded)\s+(?:to|as)\s+(?:always\s+)?pass\w*\b.*"
    # "its regression test passed against the unpatched resolver too": the test proved nothing, no result
    r"|\bpass\w*\s+(?:against|on|with)\s+(?:the\s+)?(?:unfixed|unpatched|old|original|previous)\b[^.;\n]*"
    # "This fixes the CI failure where `uv sync --locked` was failing": the failure is the bug being fixed
    r"|\b(?:fix(?:es|ed)?|resolves?|resolved)\s+(?:the\s+|a\s+|this\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:fail\w*|errors?|breakages?)\b[^.;,\n]*"
    # "so divergence surfaces as a test failure rather than as a broken document": what a failure would mean
    r"|\b(?:surfaces?|shows?\s+up|appears?)\s+as\s+(?:a\s+)?(?:test|ci|build)\s+failures?\b[^.;\n]*"
    # "The analyzer is responsible for calculating coverage by running `go test -cover`": what the code does
    r"|\bresponsible\s+for\b[^.;\n]*"
    # "The test checks that the binary runs successfully": what a test asserts, not a run of it
    r"|\b(?:the|this|that|each|every|a|new)\s+(?:new\s+|added\s+|regression\s+|unit\s+)?tests?\s+(?:now\s+)?"
    r"(?:checks?|asserts?|validates?|verif(?:y|ies)|exercises?|covers?)\b[^.;\n]*"
    # "free to review the PR once the tests have passed": a condition on what comes next, no result
    # "If the tests pass, it proceeds to publish": a condition, either way
    # "Once your PR is reviewed and the CI green, you can merge it!"
    r"|\b(?:once|when|until|unless|if)\s+(?:[\w-]+\s+){0,6}?(?:tests?|ci|checks?|builds?|pipelines?)"
    r"\s+(?:(?:have|has)\s+passed|pass(?:es)?|(?:(?:are|is)\s+)?green|succeeds?|fails?)\b[^.;\n]*"
    # "pooler tests fail with ImagePullBackOff when the default image is used": what the bug does, in general
    r"|\b(?:tests?|ci|checks?|builds?)\s+(?:[\w-]+\s+){0,2}?fails?\b[^.;\n]{0,80}?\bwhen(?:ever)?\s+"
    r"(?!(?:i|we)\s)[^.;\n]*"
    # "so a container that stops responding fails the individual test rather than wedging the whole run":
    # the design of the suite, what a failure would look like
    r"|\bso\s+(?:that\s+)?(?!i\b|we\b)(?:[\w-]+\s+){1,8}?fails?\s+(?:the\s+|that\s+|its\s+)?(?:[\w-]+\s+)?"
    r"(?:tests?|run|suite|step|job|build)\s+(?:fast\s+)?(?:rather|instead)\s+(?:than|of)\b[^.;\n]*"
    # "It was likely a reason of the recent CI failures": what the bug caused
    r"|\b(?:a\s+|the\s+)?(?:likely\s+|probable\s+|main\s+)?(?:reason|cause|source|root\s+cause)\s+(?:of|for|behind)\s+"
    r"(?:the\s+|these\s+|some\s+|our\s+)?(?:recent\s+|intermittent\s+|flaky\s+|frequent\s+)?"
    r"(?:ci|test|build|e2e|integration)\s+(?:failures?|flakes?|errors?)\b[^.;\n]*"
    # "a guard in the same file fails if any test file spawns the catalog without …": what a check does
    r"|\b(?:guard|check|assertion|test|lint|rule|hook|gate)s?\s+(?:[\w-]+\s+){0,5}?fails?\s+"
    r"(?:if|when|whenever|unless|as\s+soon\s+as)\s+(?!(?:i|we)\s)[^.;\n]*"
    # "so shrinking the set can't leave the test passing": what a test is written to rule out
    r"|\bso\s+(?:that\s+)?(?!i\b|we\b)(?:[\w-]+\s+){1,6}?(?:can'?t|cannot|won'?t)\b[^.;\n]*" + _PROVED_TEST
)
_QUOTED_DATA = re.compile(
    r"`\s*[{\[\"<][^`]*`|`[\w.-]{1,40}`(?:\s{0,3}[/,|]\s{0,3}`[\w.-]{1,40}`)+"
    # a message quoted as what the code logs or shows: `now correctly log "validation failed"`
    r"|\b(?:logs?|logged|logging|shows?|showed|prints?|printed|returns?|returned|says?|said|displays?"
    r"|displayed|reads?|message|error)\s+(?:the\s+)?\"[^\"\n]{1,200}\""
)


def without_purpose(lowered: str) -> str:
    """Lower-cased text without what it states as an aim or as quoted data."""
    return _PURPOSE.sub(" ", _QUOTED_DATA.sub(" ", lowered))


# "12/13 tests pass": the one not counted failed.
_PART_PASSED = re.compile(
    r"\b(\d{1,6})\s*(?:/|of|out of)\s*(\d{1,6})\s+(?:(?:\w+\s+)?(?:tests?|specs?|cases?|checks?)\s+)?"
    r"(?:pass|succeed)"
)


def partly_passed(lowered: str) -> bool:
    return any(int(part) < int(whole) for part, whole in _PART_PASSED.findall(lowered))


_NO_MORE = re.compile(r"\bno\s+(?:more|longer)\b[^.;,\n]*")


_PLAN_LABEL = re.compile(
    r"^\W{0,8}(?:recommended\s+|suggested\s+|proposed\s+)?"
    r"(?:test(?:ing)?\s+plan|steps\s+to\s+(?:test|verify|reproduce)|how\s+to\s+(?:test|verify))\W{0,6}:"
)
# "Test failures reduced from 10 to 1": a claim in prose; the ones left, if any, failed
FAILURES_REDUCED = r"\bfailures?\s+(?:reduced|down|dropped|went\s+down)\s+from\s+\d{1,6}\s+to\s+"
_FAILURES_LEFT = re.compile(FAILURES_REDUCED + r"0*[1-9]\d{0,5}\b")
_BEFORE_ROW = re.compile(
    r"\s{0,8}\|\s*(?:\*\*|__)?before(?:\s+(?:the|this)\s+(?:fix|change|patch))?(?:\*\*|__)?\s*\|"
)
_PLAN_VERB = re.compile(
    r"\s{0,8}(?:[-*+]\s+)?\[ \]\s+(?:\*\*)?(?:verify|check|confirm|ensure|test|validate|make sure|try)\b"
)
_PLEASE_TEST = re.compile(r"\bplease\s+(?:re-?)?test\b")


# "- pnpm test and pnpm test:e2e to ensure unit and e2e tests pass": a command named for what it should show,
# the run still to make.
_TO_ENSURE = re.compile(r"\s+to\s+(?:ensure|verify|check|confirm|make\s+sure|validate)\b")
_ITEM_MARK = re.compile(r"\s{0,8}(?:[-*+]|\d{1,9}[.)])\s+")


def _command_for_aim(lower: str) -> bool:
    item = _ITEM_MARK.match(lower)
    if item is None:
        return False
    aim = _TO_ENSURE.search(lower, item.end())
    # ("- `pytest` to verify: all 12 passed" reports what the run showed)
    if aim is None or ":" in lower[aim.end() :]:
        return False
    tokens = lower[item.end() : aim.start()].replace("`", " ").split()
    return bool(tokens) and runner_at(tokens, 0)


_AND_CHECK = re.compile(r"\band\s+(?:then\s+)?(?:confirm|verify|check|ensure|make\s+sure|see|observe)\b")


def line_result(text: str, checkbox: str | None) -> str:
    """The result one line claims; `checkbox` is " ", "x", "X" or None."""
    lower = text.lower()
    if _BEFORE_ROW.match(lower):
        return "unknown"  # "| Before | ✅ | `0` ❌ |": the state the change started from, no run of it
    lowered = without_purpose(lower)  # "should run" is a purpose here; _CI_WILL_RUN reads it before that
    words = _without_negated(lowered)
    # "- [x] No more `Connection refused` lines in the logs": the error gone, not a run that could not happen
    absent = _NO_MORE.sub(" ", lowered)
    if _COULD_NOT_RUN.search(absent) or _NO_TEST_NEEDED.search(lower):
        return "not_run"
    if _FAILED_FOR_ENVIRONMENT.search(absent) and _last(_PASS_WORDS, lowered) < 0:
        return "not_run"
    if checkbox in ("x", "X") and (_COULD_NOT_RUN.search(lowered) or _FAILED_FOR_ENVIRONMENT.search(lowered)):
        return "passed"  # the ticked absence of an error
    if checkbox is None and expected_outcome(lower):
        return "planned"
    if marked(text, FAIL_MARKS):
        return "not_run" if _NOT_RUN_WORDS.search(words) else "failed"
    if marked(text, PASS_MARKS):
        return "passed"
    if checkbox == " ":
        # "- [ ] Verify logs show a message when telemetry is skipped": a step to take, whatever it names
        if _PLAN_VERB.match(lower):
            return "planned"
        # "- [ ] `bun run typecheck` *(currently fails on existing baseline typing issues)*": a run reported
        if says_failed(words):
            return "failed"
        if _NOT_RUN_WORDS.search(words) or _DOCS_ONLY.search(lower):
            return "not_run"
        return "passed" if _SAID_DONE.search(lowered) else "planned"
    # "Not needed, all tests passed": the run it says was not needed happened anyway.
    if checkbox is None and _NOT_APPLICABLE.search(lower) and _last(_PASS_WORDS, lowered) < 0:
        return "not_run"
    if checkbox is None and (_QUESTION.search(lower) or _BARE_CI.match(lower)):
        return "planned"  # "Do they pass on all platforms?" asks the reviewer; "CI" leaves the run to CI
    if checkbox is None and (_CI_WILL_RUN.search(lower) or _MUST_PASS.match(lower)):
        return "planned"
    if checkbox is None and (reviewer_step(lowered) or _CAN_BE_CHECKED.search(lower)):
        return "planned"
    if _FAILURES_LEFT.search(lower):
        return "failed"  # "Test failures reduced from 10 to 1": one still fails, whatever it is blamed on
    if checkbox is None and (
        _PLAN_LABEL.match(lower) or _PLEASE_TEST.search(lower) or _command_for_aim(lower)
    ):
        return "planned"  # "**Recommended test plan**: create a board, …", "Please test thoroughly:"
    if (
        checkbox is None
        and _RUN_STEP.match(lowered)
        # "1. Run `rails db:migrate` and confirm the view rebuilds cleanly": the outcome to look for
        and (_last(_PASS_WORDS, lowered) < 0 or _AND_CHECK.search(lowered) is not None)
        and not says_failed(words)
    ):
        return "planned"  # "1. Run `docker compose up`": a step; "Run `pytest`: 12 passed" reports a result
    if marked(text, WARN_MARKS):
        return _warned_result(words)
    if _NOT_RUN_WORDS.search(words):
        return "not_run"
    failed, passed = _last(_FAIL_WORDS, words), _last(_PASS_WORDS, lowered)
    if failed < 0 and MEASURED.search(lowered):
        return "passed"  # a number the author measured moving the way the change meant it to
    if failed >= 0 or passed >= 0:
        return "failed" if failed > passed else "passed"  # "fails on main, passes now": the later one holds
    if checkbox in ("x", "X") and _TEST_KIND.match(lower) is None:
        return "passed"
    return "unknown"


def _last(pattern: re.Pattern[str], text: str) -> int:
    """Where the last match starts, or -1."""
    start = -1
    for match in pattern.finditer(text):
        start = match.start()
    return start


def _warned_result(words: str) -> str:
    if _NOT_RUN_WORDS.search(words) or _SANDBOX_WORDS.search(words):
        return "not_run"
    return "failed" if _FAIL_WORDS.search(words) else "unknown"


def output_result(output: Iterable[str]) -> str:
    """The result a command's output shows: failed, passed or unknown."""
    text = "\n".join(output)
    lowered = text.lower()
    words = _without_negated(lowered)
    if _FAIL_WORDS.search(words) or marked(text, FAIL_MARKS):
        return "failed"
    if _PASS_WORDS.search(lowered) or marked(text, PASS_MARKS):
        return "passed"
    return "unknown"


def strip_marks(text: str) -> str:
    for mark in (*PASS_MARKS, *FAIL_MARKS, *WARN_MARKS, "\ufe0f"):
        if text.startswith(mark):
            text = text[len(mark) :].lstrip()
    return text.strip("*_ ").strip()
