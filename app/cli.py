"""`agentbudget` — one command line for every mode (serve, worker, check, config)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_PASS, EXIT_USAGE = 0, 2


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app import redact
    from app.settings import Settings
    from app.web import create_app

    settings = Settings.from_env(os.environ)
    secrets = redact.secrets_of(settings, os.environ)
    redact.install(secrets)
    app = create_app(settings)
    uvicorn.run(
        app,
        log_config=redact.uvicorn_log_config(secrets),
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_level="info",
        access_log=args.access_log,
        proxy_headers=True,
        # SIGTERM: stop accepting, let in-flight deliveries finish (GitHub waits at most 10 s).
        timeout_graceful_shutdown=10,
    )
    return EXIT_PASS


def _worker(args: argparse.Namespace) -> int:
    from arq.worker import Worker

    from app import redact
    from app.settings import Settings
    from app.worker import worker_options

    settings = Settings.from_env(os.environ)
    settings.require_app_credentials()
    redact.install(redact.secrets_of(settings, os.environ))
    Worker(**worker_options(settings), burst=args.burst).run()
    return EXIT_PASS


def _setup(args: argparse.Namespace) -> int:
    from app.register import SetupError, SetupOptions, run_setup

    options = SetupOptions(
        public_url=args.url,
        github_url=args.github_url,
        api_url=args.api_url,
        org=args.org,
        env_file=Path(args.env_file),
        **({"manifest_file": Path(args.manifest)} if args.manifest else {}),
    )
    try:
        return run_setup(options, port=args.port, open_browser=not args.no_browser, out=sys.stdout)
    except SetupError as exc:
        print(f"agentbudget setup: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _demo(args: argparse.Namespace) -> int:
    from app.demo import DemoError, run_demo

    try:
        return run_demo(sys.stdout)
    except DemoError as exc:
        print(f"agentbudget demo: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _config(args: argparse.Namespace) -> int:
    from app.config_cli import run_defaults, run_schema, run_validate

    if args.config_command == "schema":
        return run_schema(sys.stdout)
    if args.config_command == "defaults":
        return run_defaults(sys.stdout)
    return run_validate(args.file, sys.stdout)


def _init(args: argparse.Namespace) -> int:
    from app.init import run_init

    return run_init(
        Path(args.path), yes=args.yes, agents_files=args.agents_file, stdin=sys.stdin, out=sys.stdout
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agentbudget", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the webhook server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--access-log", action="store_true", help="log every HTTP request")
    serve.set_defaults(run=_serve)

    worker = sub.add_parser("worker", help="run a queue worker (any number, any hosts)")
    worker.add_argument("--burst", action="store_true", help="exit once the queue is empty")
    worker.set_defaults(run=_worker)

    from app import check_cli

    check_cli.add_parsers(sub)

    setup = sub.add_parser("setup", help="register the GitHub App from app.yml (manifest flow), write .env")
    setup.add_argument("--url", required=True, help="the public URL where `agentbudget serve` will listen")
    setup.add_argument("--org", help="register under this organization (default: your user)")
    setup.add_argument("--github-url", default="https://github.com", help="GitHub Enterprise: https://HOST")
    setup.add_argument(
        "--api-url", default="https://api.github.com", help="GitHub Enterprise: https://HOST/api/v3"
    )
    setup.add_argument("--port", type=int, default=3000, help="the local page's port (default 3000)")
    setup.add_argument("--env-file", default=".env", help="where the credentials go (default .env, mode 600)")
    setup.add_argument("--manifest", help="the manifest (default: app.yml of this checkout)")
    setup.add_argument("--no-browser", action="store_true", help="print the page's address, open nothing")
    setup.set_defaults(run=_setup)

    demo = sub.add_parser(
        "demo", help="see the App work on this machine: Redis, a loopback GitHub, serve and worker, one PR"
    )
    demo.set_defaults(run=_demo)

    init = sub.add_parser(
        "init", help="set a repository up: config, PR template, agent instructions (never overwrites)"
    )
    init.add_argument("path", nargs="?", default=".", help="the repository (default: .)")
    init.add_argument("--yes", action="store_true", help="apply changes to existing files without asking")
    init.add_argument(
        "--agents-file",
        action="append",
        default=[],
        help="AGENTS.md, CLAUDE.md, .github/copilot-instructions.md, .cursor/rules/agentbudget.mdc "
        "(or agents, claude, copilot, cursor); repeatable. Default: the ones the repository has",
    )
    init.set_defaults(run=_init)

    config = sub.add_parser("config", help="validate a .agentbudget.yml or print the JSON Schema")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    validate = config_sub.add_parser("validate")
    validate.add_argument("file", nargs="?")
    config_sub.add_parser("schema", help="print the JSON Schema of .agentbudget.yml")
    config_sub.add_parser("defaults", help="print the shipped .agentbudget.yml, every key documented")
    config.set_defaults(run=_config)

    from app import report_cli

    report_cli.add_parser(sub)
    from app import review_cli

    review_cli.add_parsers(sub)
    _add_ledger_migrate(sub)
    return parser


def _add_ledger_migrate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`agentbudget ledger migrate`, beside `ledger rebuild` (whose parser review_cli builds)."""
    ledger = sub.choices["ledger"]
    commands = next(a for a in ledger._actions if isinstance(a, argparse._SubParsersAction))
    migrate = commands.add_parser(
        "migrate", help="bring the ledger's schema up to date (safe to run from several hosts at once)"
    )
    migrate.add_argument(
        "--database-url", help="the ledger (default: DATABASE_URL, else ./agentbudget.sqlite3)"
    )
    migrate.set_defaults(run=_ledger_migrate)


def _ledger_migrate(args: argparse.Namespace) -> int:
    from app.budget.database import connect
    from app.budget.errors import LedgerUnavailable
    from app.budget.migrations import LATEST, migrate
    from app.settings import Settings

    try:
        db = connect(args.database_url or Settings.from_env(os.environ).database_url or None)
        try:
            applied = migrate(db)
        finally:
            db.close()
    except (LedgerUnavailable, ValueError, RuntimeError) as exc:
        print(f"agentbudget: {exc}", file=sys.stderr)
        return EXIT_USAGE
    done = f"applied {', '.join(map(str, applied))}" if applied else "nothing to apply"
    print(f"ledger schema at version {LATEST}: {done}")
    return EXIT_PASS


def main(argv: Sequence[str] | None = None) -> int:
    from app.local import UsageError
    from app.settings import SettingsError
    from checks.diff import DiffParseError
    from config.errors import ConfigError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (UsageError, SettingsError, DiffParseError, OSError) as exc:
        print(f"agentbudget: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
