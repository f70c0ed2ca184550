"""Is a pull request a coding agent's? Every signal a real agent PR carries, each configurable in
`review.agents`, and the one that decided it, named.

Most agent PRs are opened from a person's account: the agent shows in a commit trailer
(`Co-authored-by: Claude <noreply@anthropic.com>`), in a footer or marker of the body ("Generated with
Claude Code", a Codex task link, a Devin session link) or in the login of a hosted agent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checks.escape import clip
from checks.pull import PullRequestFacts
from config.model import AgentDetection

MAX_COMMITS = 250
MAX_BODY_CHARS = 200_000
_CLIP = 80


@dataclass(frozen=True)
class AgentSignal:
    authored: bool
    kind: str | None  # "login" | "label" | "trailer" | "marker"; None: no agent signal
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
    """`Key: value` lines of a message's last paragraph (git's trailer block)."""
    last = message.strip().rsplit("\n\n", 1)[-1]
    return tuple(" ".join(line.split()) for line in last.splitlines()[:20] if ":" in line)


def detect_agent(
    agents: AgentDetection,
    pull: PullRequestFacts,
    commits: Sequence[tuple[str | None, str]] = (),
) -> AgentSignal:
    """The first signal found, in this order: author login, label, commit trailer, body marker.
    `commits` are (sha or None, message)."""
    login = next((p for p in agents.authors if wildcard(p, pull.author, whole=True)), None)
    if login is not None:
        return AgentSignal(True, "login", f"author `{pull.author}` (review.agents.authors `{login}`)")
    wanted = {label.casefold() for label in agents.labels}
    label = next((label for label in pull.labels if label.casefold() in wanted), None)
    if label is not None:
        return AgentSignal(True, "label", f"label `{label}` (review.agents.labels)")
    for sha, message in commits[:MAX_COMMITS]:
        for trailer in commit_trailers(message):
            if any(wildcard(p, trailer, whole=True) for p in agents.trailers):
                where = f" on `{sha[:7]}`" if sha else ""
                return AgentSignal(True, "trailer", f"commit trailer `{clip(trailer, _CLIP)}`{where}")
    body = (pull.body or "")[:MAX_BODY_CHARS]
    for marker in agents.markers:
        if wildcard(marker, body, whole=False):
            return AgentSignal(
                True, "marker", f"body marker `{clip(marker.strip('*'), _CLIP)}` (review.agents.markers)"
            )
    return NO_SIGNAL
