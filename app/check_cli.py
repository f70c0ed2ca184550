"""`agentbudget check`, `exposure` and `action`: evaluate a change on this machine and print what the App
would post; the exit code says whether it blocks."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

EXIT_PASS, EXIT_BLOCK, EXIT_USAGE = 0, 1, 2


def add_parsers(sub: Any) -> None:
    check = sub.add_parser("check", help="evaluate a git range locally and print the check run it would post")
    check.add_argument("--base", help="base ref (default: origin/main, main, or HEAD~1)")
    check.add_argument("--head", default="HEAD")
    check.add_argument("--body-file", help="the PR body (Markdown); - for stdin")
    check.add_argument("--diff-file", help="evaluate this unified diff instead of a git range; - for stdin")
    check.add_argument("--config", help="a .agentbudget.yml to use instead of the one at the base ref")
    check.add_argument(
        "--label", action="append", default=[], help="a PR label (repeatable), e.g. agent-authored"
    )
    check.add_argument("--author", help="the PR author's login (default: the head commit's author)")
    check.add_argument(
        "--commits-file",
        help="the PR's commits as a JSON array of messages or {sha, message} (default: the git range's)",
    )
    check.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    check.set_defaults(run=_check)

    exposure = sub.add_parser(
        "exposure", help="compare the endpoints of two git refs (internal API exposure)"
    )
    exposure.add_argument("--base", required=True)
    exposure.add_argument("--head", default="HEAD")
    exposure.add_argument("--config", help="a .agentbudget.yml to use instead of the one at the base ref")
    exposure.add_argument("--format", choices=("text", "json"), default="text")
    exposure.set_defaults(run=_exposure)

    action = sub.add_parser(
        "action",
        help="the GitHub Action's step: evaluate the pull_request event's base..head, fail if it blocks",
    )
    action.set_defaults(run=_action)


def _emit(text: str) -> None:
    """Print; a reader that went away (`| head`) ends the output quietly, and the exit code stays the
    decided one."""
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at /dev/null so that flush cannot fail.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _check(args: argparse.Namespace) -> int:
    from app.local import evaluate_local, gather
    from checks.render import render, render_plain, verdict_as_dict

    body = ""
    if args.body_file:
        body = sys.stdin.read() if args.body_file == "-" else Path(args.body_file).read_text()
    diff_text = None
    if args.diff_file:
        diff_text = sys.stdin.read() if args.diff_file == "-" else Path(args.diff_file).read_text()
    commits: tuple[tuple[str | None, str], ...] | None = None
    if args.commits_file:
        commits = _read_commits(Path(args.commits_file))
    change = gather(
        base=args.base,
        head=args.head,
        body=body,
        config_file=args.config,
        diff_text=diff_text,
        labels=tuple(args.label),
        author=args.author,
        commits=commits,
    )
    verdict = evaluate_local(change)
    if args.format == "json":
        _emit(json.dumps(verdict_as_dict(verdict), indent=2))
    elif args.format == "markdown":
        out = render(verdict)
        _emit(f"## {out.title}\n\n{out.summary}\n{out.text}")
    else:
        _emit(render_plain(verdict))
    return EXIT_BLOCK if verdict.blocking else EXIT_PASS


def _read_commits(path: Path) -> tuple[tuple[str | None, str], ...]:
    """A JSON array of commit messages, or of {"sha": …, "message": …} (GitHub's list, simplified)."""
    from app.local import UsageError

    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(f"--commits-file {path}: {exc}") from None
    if not isinstance(data, list):
        raise UsageError(f"--commits-file {path}: expected a JSON array of messages")
    commits: list[tuple[str | None, str]] = []
    for item in data:
        if isinstance(item, str):
            commits.append((None, item))
        elif isinstance(item, dict) and isinstance(item.get("message"), str):
            sha = item.get("sha")
            commits.append((sha if isinstance(sha, str) else None, item["message"]))
        else:
            raise UsageError(f"--commits-file {path}: each entry is a message or {{sha, message}}")
    return tuple(commits)


def _exposure(args: argparse.Namespace) -> int:
    from app.local import exposure_delta, load_local_config
    from checks.render import findings_as_dicts

    config, _ = load_local_config(args.config, args.base)
    delta = exposure_delta(args.base, args.head, config)
    if args.format == "json":
        _emit(json.dumps({"grows": delta.grows, "findings": findings_as_dicts(delta)}, indent=2))
    else:
        lines = []
        for f in delta.findings:
            tag = " [internal]" if f.internal else ""
            why = f" — {'; '.join(f.why)}" if f.why else ""
            lines.append(
                f"{f.change:9} {f.endpoint.method:6} {f.endpoint.path}  {f.endpoint.file}:{f.endpoint.line} "
                f"({f.endpoint.auth}){tag}{why}"
            )
        lines.append("exposure grows" if delta.grows else "exposure does not grow")
        _emit("\n".join(lines))
    return EXIT_BLOCK if delta.grows and config.exposure.block_on_growth else EXIT_PASS


def _action(args: argparse.Namespace) -> int:
    from app.action import ActionError, run_action

    try:
        return run_action(os.environ, sys.stdout)
    except ActionError as exc:
        print(f"agentbudget action: {exc}", file=sys.stderr)
        return EXIT_USAGE
