"""The Docker image and the compose stack, without Docker: the files parsed as Docker would read them, and
the commands they run executed here against a real PostgreSQL."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.cli import build_parser
from tests.postgres_server import PostgresServer

ROOT = Path(__file__).resolve().parents[1]
PINNED = re.compile(r"^[\w./-]+:\d+\.\d+(\.\d+)?(-[\w.-]+)?$")  # name:MAJOR.MINOR[.PATCH][-variant]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_postgresql_is_the_one_ledger_of_server_and_workers(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "server", "worker"} <= set(services)
    for name in ("server", "worker", "migrate"):
        url = services[name]["environment"]["DATABASE_URL"]
        assert url.startswith("postgresql://") and "@postgres:5432/" in url, name
        assert services[name]["env_file"] == ".env"
    for name in ("server", "worker"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["migrate"]["command"] == ["ledger", "migrate"]
    assert services["migrate"]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert "sqlite" not in (ROOT / "docker-compose.yml").read_text().split("\nservices:")[1]


def test_redis_is_append_only_and_images_are_pinned(compose: dict[str, Any]) -> None:
    services = compose["services"]
    command = services["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    for name, service in services.items():
        if "image" in service and "build" not in service:
            assert PINNED.match(service["image"]), f"{name}: {service['image']} floats"
    dockerfile = (ROOT / "Dockerfile").read_text()
    bases = re.findall(r"^FROM\s+(\S+)", dockerfile, re.M)
    assert bases and all(PINNED.match(b) for b in bases), bases


def test_the_image_installs_the_postgres_extra_and_owns_its_data_dir() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r'pip install [^\n]*"\.\[postgres\]"', dockerfile)
    assert "chown -R agentbudget:agentbudget /srv" in dockerfile
    assert dockerfile.index("chown") < dockerfile.index("USER agentbudget")


def test_every_variable_compose_reads_is_in_the_example_env(compose: dict[str, Any]) -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    needed = set(re.findall(r"\$\{(\w+)", text))
    example = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line
    }
    assert needed <= example, needed - example
    for key in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "AGENTBUDGET_METRICS_TOKEN", "GITHUB_WEBHOOK_SECRET"):
        assert key in example


def test_each_service_command_is_one_the_cli_accepts(compose: dict[str, Any]) -> None:
    parser = build_parser()
    for name in ("server", "worker", "migrate"):
        args = parser.parse_args(compose["services"][name]["command"])
        assert callable(args.run), name


def test_the_migrate_service_command_runs_as_written(
    compose: dict[str, Any], postgres_server: PostgresServer
) -> None:
    url = postgres_server.create_database()
    try:
        entrypoint = shutil.which("agentbudget", path=str(Path(sys.executable).parent)) or "agentbudget"
        env = {**os.environ, "DATABASE_URL": url}
        done = subprocess.run(
            [entrypoint, *compose["services"]["migrate"]["command"]], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert "applied 1, 2" in done.stdout
    finally:
        postgres_server.drop_database(url)
