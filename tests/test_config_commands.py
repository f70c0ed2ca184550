from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.config_cli import run_schema, run_validate
from config.schema import config_schema


def validate(path: str | None) -> tuple[int, str]:
    out = io.StringIO()
    return run_validate(path, out), out.getvalue()


def test_schema_command_prints_the_schema() -> None:
    out = io.StringIO()
    assert run_schema(out) == 0
    assert json.loads(out.getvalue()) == config_schema()


def test_validate_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text("review: {max_files: 3}\n")
    assert validate(str(path)) == (0, f"{path}: valid\n")


def test_validate_notes_extends_is_not_followed(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text("_extends: acme/policy\n")
    code, text = validate(str(path))
    assert code == 0 and "`_extends: acme/policy` is checked when the app loads it" in text


def test_validate_prints_one_problem_per_line(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text("reveiw: {}\nbudget:\n  per_pr: {usd: -1}\n")
    code, text = validate(str(path))
    assert code == 2
    assert text.splitlines() == [
        f"{path}:3: budget.per_pr.usd: input should be greater than or equal to 0; got -1 "
        "(fix: use a value >= 0)",
        f"{path}:1: reveiw: unknown key `reveiw` (fix: did you mean `review`?)",
    ]


def test_validate_missing_file(tmp_path: Path) -> None:
    assert validate(str(tmp_path / "nope.yml")) == (
        2,
        f"{tmp_path / 'nope.yml'}: no such file (without one, the shipped defaults apply)\n",
    )


@pytest.mark.parametrize("name", [".agentbudget.yml", ".github/agentbudget.yml"])
def test_validate_finds_the_default_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).parent.mkdir(exist_ok=True)
    (tmp_path / name).write_text("mode: observe\n")
    assert validate(None) == (0, f"{name}: valid\n")


def test_validate_without_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, text = validate(None)
    assert code == 2 and text.startswith(".agentbudget.yml or .github/agentbudget.yml: no such file")


def test_validate_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_bytes(b"\xff\xfe\x00")
    code, text = validate(str(path))
    assert code == 2 and "not UTF-8" in text
