"""Which evidence section a heading names, across the synonyms and languages PR bodies use.

A heading is normalized (NFKC, case-folded, emoji, punctuation, zero-width and bidi characters gone,
leading numbering dropped) and its word n-grams are looked up in one table; CJK headings, written
without spaces, are matched by substring. When several phrases match, the most specific rule wins:
"Not changed" before "changed", "Not tested" before "tested", "Test summary" before "summary".
"""

from __future__ import annotations

import re
import unicodedata

MAX_HEADING_WORDS = 8  # longer "headings" are sentences (a setext paragraph, a bold line of prose)
_MAX_NGRAM = 5

# (key, phrases), most specific first: the first rule a heading matches decides its key; "" is no key
# (template headings that carry an evidence word but ask something else).
# fmt: off
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("", ("type of change", "types of changes", "change type", "kind of change", "test environment",
          # the tests a change turns off or repairs, listed: no run of them
          "disabled tests", "skipped tests", "quarantined tests", "muted tests", "ignored tests",
          "fixed tests", "flaky tests", "tests disabled", "tests skipped", "tests fixed")),
    # a change that improves the tests names what it changed, not a run
    ("what_changed", ("test improvement", "test improvements", "testing improvements")),
    (
        "not_changed",
        (
            "not changed", "unchanged", "what didnt change", "what did not change", "what i didnt change",
            "what i did not change", "what was not changed", "deliberately not changed", "out of scope",
            "outside scope", "outside the scope", "not in scope", "non goals", "nongoals", "non goal",
            "not included", "whats not included", "not done", "not addressed", "left out", "left alone",
            "left disabled", "left as is", "untouched", "not touched", "excluded", "exclusions",
            "not in this pr", "deferred", "kept",
            "wont do", "does not do", "doesnt do", "not changing", "not modified", "backward compatibility",
            "backwards compatibility", "backward compat", "backwards compat", "backcompat", "back compat",
            "why not", "alternatives considered", "considered alternatives", "rejected alternatives",
            "alternatives", "not doing", "what this does not do",
            # de fr es pt
            "nicht geändert", "unverändert", "nicht im umfang", "ausserhalb des umfangs", "nicht enthalten",
            "nicht betroffen", "non modifié", "non modifiés", "hors périmètre", "hors du périmètre",
            "hors champ", "hors de portée", "non inclus", "ce qui na pas changé", "fuera de alcance",
            "fuera del alcance", "no cambiado", "sin cambios", "no incluido", "lo que no cambia",
            "no modificado", "fora do escopo", "não alterado", "não incluído", "sem alterações",
            "o que não mudou", "não modificado",
            # ko ru
            "변경하지 않은 것", "범위 외",
            "не изменено", "что не меняется", "что не изменилось", "вне рамок", "без изменений",
        ),
    ),
    (
        "uncertainty",
        (
            "not tested", "untested", "not yet tested", "what wasnt tested", "nicht getestet", "non testé",
            "no probado", "não testado",
        ),
    ),
    (
        "tests_run",
        (
            "test", "tests", "testing", "tested", "testplan", "verification", "verified", "verify",
            "how i verified", "validation", "validated", "qa", "ci", "e2e", "testing done", "tests done",
            "tests performed", "testing performed", "how tested", "how i tested", "test results", "tests run",
            "test plan", "testing plan", "verification plan", "how to test", "how to verify", "verifying",
            "how to validate", "steps to validate", "steps to verify", "steps to test",
            "preview steps", "review steps", "reviewer steps", "qa steps", "steps to preview",
            "verified with", "tested with", "validated with", "verified by", "tested by", "validated by",
            "testing instructions", "test instructions", "manual testing", "manual test", "local testing",
            "checks", "checks run", "checks performed", "validation steps", "measurement", "measurements",
            "coverage", "test coverage", "local execution", "local run", "local runs", "local verification",
            "local checks", "local validation",
            "how to measure", "how was this tested", "how has this been tested", "how was it tested",
            "how were these changes tested", "how were the changes tested", "how did you test",
            "how did you test this",
            "getestet", "testen", "prüfung", "prüfungen", "verifikation", "validierung",
            "testé", "tests effectués", "vérification", "essais", "plan de test",
            "pruebas", "prueba", "probado", "verificación", "validación",
            "testes", "teste", "testado", "verificação", "validação", "testes realizados",
            "pruebas realizadas", "tests réalisés", "durchgeführte tests",
            "테스트", "검증",
            "проверки", "проверка", "тестирование", "тесты", "как проверено", "как протестировано",
        ),
    ),
    (
        "uncertainty",
        (
            "risk", "risks", "risky", "uncertainty", "uncertainties", "uncertain", "open questions",
            "questions", "open issues", "known issues", "known limitations", "limitations", "limitation",
            "caveats", "caveat", "concerns", "assumptions", "trade offs", "tradeoffs", "gotchas",
            "unknowns", "areas of concern", "potential issues", "things to watch", "issues identified",
            "decisions to review", "please review",
            "future work", "follow up", "follow ups", "followup", "followups", "next steps", "todo", "todos",
            "warning", "warnings", "breaking changes", "breaking change", "behavior change",
            "behavior changes", "behaviour change", "behaviour changes", "behavioral changes",
            "behavioural changes",
            "security considerations", "security implications", "security notes", "trust model",
            "considerations", "additional considerations", "other considerations",
            "notes for reviewers", "reviewer notes", "reviewer guidance", "guidance for reviewers",
            "what the reviewer should know", "what reviewers should know", "what the reviewers should know",
            "notes for your reviewer", "notes for the reviewer", "note for reviewers",
            "notes to reviewer", "notes to reviewers", "notes to the reviewer", "note to reviewer",
            "note to reviewers", "quirks",
            "still to verify", "not yet verified", "unverified", "untested", "not yet tested", "still to do",
            "open items", "remaining work", "known gaps",
            "risiken", "risiko", "offene fragen", "fragen", "bekannte einschränkungen", "einschränkungen",
            "unsicherheiten", "unsicherheit", "bedenken", "annahmen",
            "risques", "risque", "questions ouvertes", "limitations connues", "incertitudes",
            "incertitude", "points dattention", "réserves",
            "riesgos", "riesgo", "preguntas abiertas", "preguntas", "limitaciones conocidas",
            "limitaciones", "incertidumbres", "incertidumbre", "dudas",
            "riscos", "risco", "questões em aberto", "perguntas em aberto", "questões",
            "limitações conhecidas", "limitações", "incertezas", "incerteza", "dúvidas",
            "위험", "리스크", "미해결 질문",
            "риски", "ограничения", "известные проблемы", "открытые вопросы",
        ),
    ),
    (
        "what_changed",
        (
            "summary", "changes", "change", "what changed",
            "this addresses", "what this addresses", "whats changed", "what this pr does",
            "what does this pr do", "description", "overview", "changelog", "changes made",
            "proposed changes", "key changes", "implementation", "details", "modifications", "tldr",
            "tl dr", "what", "what and why", "what i did", "approach", "solution", "done", "what was done",
            "work done", "this pr", "in this pr", "this pull request", "in this pull request", "this change",
            "this patch", "what this change does",
            "zusammenfassung", "änderungen", "was wurde geändert", "beschreibung", "überblick", "umsetzung",
            "résumé", "changements", "aperçu", "ce qui a changé",
            "resumen", "cambios", "descripción", "qué cambió", "que cambio", "solución", "solucion",
            "resumo", "alterações", "mudanças", "descrição", "o que mudou", "visão geral", "solução",
            "요약", "변경 사항", "변경사항",
            "что меняется", "что изменено", "изменения", "описание", "суть изменений",
        ),
    ),
)
# fmt: on

# CJK headings have no spaces: (phrase, key, exact). Short generic words match only the whole heading.
# fmt: off
_CJK_RULES: tuple[tuple[str, str, bool], ...] = (
    ("対象外", "not_changed", False), ("スコープ外", "not_changed", False),
    ("変更しない", "not_changed", False), ("変更していない", "not_changed", False),
    ("変更なし", "not_changed", False), ("未変更", "not_changed", False),
    ("范围外", "not_changed", False), ("不在范围", "not_changed", False), ("未修改", "not_changed", False),
    ("未更改", "not_changed", False), ("未变更", "not_changed", False), ("不包括", "not_changed", False),
    ("非目标", "not_changed", False), ("範圍外", "not_changed", False), ("未變更", "not_changed", False),
    ("未テスト", "uncertainty", False), ("未测试", "uncertainty", False),
    ("テスト", "tests_run", False), ("動作確認", "tests_run", False), ("検証", "tests_run", False),
    ("試験", "tests_run", False), ("确认方法", "tests_run", False), ("測試", "tests_run", False),
    ("测试", "tests_run", False), ("验证", "tests_run", False), ("驗證", "tests_run", False),
    ("自测", "tests_run", False), ("实测", "tests_run", False), ("實測", "tests_run", False),
    ("リスク", "uncertainty", False), ("懸念", "uncertainty", False), ("未解決", "uncertainty", False),
    ("制限事項", "uncertainty", False), ("既知の制限", "uncertainty", False),
    ("既知の問題", "uncertainty", False), ("不確実", "uncertainty", False), ("注意点", "uncertainty", False),
    ("风险", "uncertainty", False), ("風險", "uncertainty", False), ("待解决", "uncertainty", False),
    ("未解决", "uncertainty", False), ("已知限制", "uncertainty", False), ("已知问题", "uncertainty", False),
    ("局限", "uncertainty", False), ("不确定", "uncertainty", False), ("疑问", "uncertainty", False),
    ("注意事项", "uncertainty", False), ("待确认", "uncertainty", False),
    ("概要", "what_changed", False), ("変更点", "what_changed", False), ("変更内容", "what_changed", False),
    ("修正内容", "what_changed", False), ("対応内容", "what_changed", False),
    ("やったこと", "what_changed", False),
    ("概述", "what_changed", False), ("摘要", "what_changed", False), ("改动", "what_changed", False),
    ("改動", "what_changed", False), ("变更内容", "what_changed", False), ("变更说明", "what_changed", False),
    ("主要变更", "what_changed", False), ("修改内容", "what_changed", False), ("总结", "what_changed", False),
    ("總結", "what_changed", False), ("变更", "what_changed", True), ("變更", "what_changed", True),
    ("変更", "what_changed", True), ("说明", "what_changed", True), ("說明", "what_changed", True),
    ("描述", "what_changed", True), ("説明", "what_changed", True),
)
# fmt: on

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]"
)
_APOSTROPHES = re.compile("['`\u2019\u02bc\u00b4]")
_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def normalize(text: str, limit: int = 200) -> str:
    """Lower-case words only: what a heading says, without its markup, emoji or numbering."""
    text = unicodedata.normalize("NFKC", text[:limit]).casefold()
    text = _APOSTROPHES.sub("", _INVISIBLE.sub("", text))
    words = _NON_WORD.sub(" ", text).split()
    while words and words[0].isdigit():
        words.pop(0)
    return " ".join(words)


def _phrase_table() -> dict[tuple[str, ...], tuple[int, str]]:
    table: dict[tuple[str, ...], tuple[int, str]] = {}
    for rank, (key, phrases) in enumerate(_RULES):
        for phrase in phrases:
            words = tuple(normalize(phrase).split())
            assert 0 < len(words) <= _MAX_NGRAM, phrase
            table.setdefault(words, (rank, key))
    return table


_PHRASES = _phrase_table()
_CJK_RANK = {key: rank for rank, (key, _) in reversed(list(enumerate(_RULES)))}


def _best_word_match(words: list[str]) -> tuple[int, str] | None:
    """The phrase of the highest rank the words hold; a phrase of three words or more holding a shorter one
    names the heading by itself ("Notes / still to verify" is not "verify")."""
    best: tuple[int, str] | None = None
    longest: tuple[int, str] | None = None
    for size in range(1, min(_MAX_NGRAM, len(words)) + 1):
        for start in range(len(words) - size + 1):
            hit = _PHRASES.get(tuple(words[start : start + size]))
            if hit is not None and (best is None or hit[0] < best[0]):
                best = hit
            if hit is not None and size >= _NAMING_NGRAM:
                longest = hit
    return longest or best


_NAMING_NGRAM = 3


def _best_cjk_match(compact: str) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for phrase, key, exact in _CJK_RULES:
        if (compact == phrase) if exact else (phrase in compact):
            hit = (_CJK_RANK[key], key)
            if best is None or hit[0] < best[0]:
                best = hit
    return best


MAX_LABEL_WORDS = 5
_RISK_NOUNS = frozenset(
    {"quirks", "caveats", "gotchas", "risks", "concerns", "limitations", "pitfalls"}
    | {"quirk", "caveat", "gotcha", "risk", "concern", "limitation", "pitfall"}
)
# Words that qualify a label without changing what it names.
_QUALIFIERS = frozenset({"local", "locally", "manual", "automated", "additional", "extra", "further"})
_DONE = frozenset({"performed", "done", "executed", "completed"})


def label_key(text: str) -> str | None:
    """The key of a `Label:` line: the whole label must be a synonym ("Tests:", not "Ran the tests:")."""
    words = normalize(text).split()
    hit = _PHRASES.get(tuple(words))
    if hit is None and len(words) > 1 and words[0] in _QUALIFIERS:
        hit = _PHRASES.get(tuple(words[1:]))  # "Local checks run:", "Manual checks:"
    if hit is None and words and not words[-1].endswith("s"):
        hit = _PHRASES.get((*words[:-1], words[-1] + "s"))  # "Known limitation:", "Known issue:"
    if hit is None and len(words) > 1 and words[-1] in _DONE:
        done = _PHRASES.get(tuple(words[:-1]))  # "Validation performed:", "Checks done:"
        hit = done if done is not None and done[1] == "tests_run" else None
    if hit is None and len(words) <= MAX_LABEL_WORDS and _RISK_NOUNS.intersection(words):
        hit = (0, "uncertainty")  # "Notes on quirks encountered:": a short label naming risks in it
    compact = "".join(words)
    if hit is None and _CJK.search(compact):
        hit = next(((0, key) for phrase, key, _ in _CJK_RULES if compact == phrase), None)
    return (hit[1] or None) if hit is not None else None


# A heading that opens with a change verb is a pull request's title written as a heading.
_TITLE_VERBS = frozenset(
    {"add", "adds", "fix", "fixes", "update", "updates", "implement", "implements", "remove", "removes",
     "refactor", "refactors", "introduce", "introduces", "improve", "improves", "bump", "bumps",
     "move", "moves", "migrate", "migrates", "consolidate", "consolidates", "extract", "extracts",
     "rename", "renames", "replace", "replaces", "convert", "converts", "simplify", "simplifies"}
)  # fmt: skip
_QUESTION_CLAUSE = re.compile(
    r"\W*((?:how|what|why|which|does|did|is|are|was|were|have|has)\b[^,;:?\n]{1,80})[,;:][^\n]*\?\W*$",
    re.IGNORECASE,
)


# Headings that name the change only as the whole heading ("## Fix", not "Does this pull request fix one
# issue?").
_WHOLE_WHAT_CHANGED = frozenset(
    {("fix",), ("fixes",), ("the", "fix"), ("the", "change"), ("what", "it", "does")}
)


def heading_key(text: str) -> str | None:
    """The evidence key a heading names, or None for any other heading."""
    words = normalize(text).split()
    if len(words) > MAX_HEADING_WORDS:
        # A template's long question ("How has this change been tested, please provide a testcase …?") is
        # named by its opening clause.
        clause = _QUESTION_CLAUSE.match(text)
        words = normalize(clause.group(1)).split() if clause else []
    if not words or len(words) > MAX_HEADING_WORDS:
        return None
    if tuple(words) in _WHOLE_WHAT_CHANGED:
        return "what_changed"
    if len(words) >= 3 and words[0] in _TITLE_VERBS:
        return None  # "Add tests for file overwrite confirmation": the PR's title, not a section
    candidates = [_best_word_match(words)]
    if candidates[0] is None and not words[-1].endswith("s"):
        candidates = [_best_word_match([*words[:-1], words[-1] + "s"])]  # "Known issue", "Caveat"
    compact = "".join(words)
    if _CJK.search(compact):
        candidates.append(_best_cjk_match(compact))
    found = [hit for hit in candidates if hit is not None]
    key = (min(found)[1] or None) if found else None
    # "Why the test is inherently flaky": the cause a change answers, not how it was tested
    return None if key == "tests_run" and words[0] == "why" else key
