from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from config.defaults import DEFAULT_FILE, SCHEMA_FILE, render_defaults
from config.errors import ConfigError, _model_in
from config.loader import parse_config_text
from config.model import Config, Limit
from config.schema import config_schema, schema_text


def test_default_file_is_the_generated_one() -> None:
    assert DEFAULT_FILE.read_text() == render_defaults(), (
        "run: agentbudget config defaults > config/default.agentbudget.yml"
    )


def test_default_file_parses_to_config_defaults() -> None:
    assert parse_config_text(DEFAULT_FILE.read_text(), str(DEFAULT_FILE)) == Config()


def test_default_file_points_editors_at_the_schema() -> None:
    assert DEFAULT_FILE.read_text().splitlines()[0] == "# yaml-language-server: $schema=./schema.json"


def test_schema_file_is_the_generated_one() -> None:
    assert SCHEMA_FILE.read_text() == schema_text(), "run: agentbudget config schema > config/schema.json"


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_every_schema_object_forbids_unknown_keys() -> None:
    objects = list(_objects(config_schema()))
    assert len(objects) >= 10
    assert all(obj["additionalProperties"] is False for obj in objects)


def test_schema_allows_extends_at_top_level_only() -> None:
    schema = config_schema()
    assert schema["properties"]["_extends"]["type"] == "string"
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert all("_extends" not in obj["properties"] for obj in schema["$defs"].values())


def _fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, field in model.model_fields.items():
        yield prefix + name, field
        nested = _model_in(field.annotation)
        if nested is not None:
            yield from _fields(nested, f"{prefix}{name}.")


def test_every_key_is_documented() -> None:
    undocumented = [path for path, field in _fields(Config) if not field.description]
    assert undocumented == []


def test_every_key_appears_in_the_default_file() -> None:
    shipped = yaml.safe_load(DEFAULT_FILE.read_text())
    for path, _ in _fields(Config):
        node: Any = shipped
        for part in path.split("."):
            if isinstance(node, list) or part not in node:  # rule and price keys live inside lists and maps
                break
            node = node[part]
        else:
            continue
        assert path.startswith(("models.routing.", "models.prices.")), path


def test_schema_matches_defaults_of_the_model() -> None:
    schema = config_schema()
    review = schema["$defs"]["Review"]["properties"]
    assert review["max_changed_lines"]["default"] == Config().review.max_changed_lines
    assert json.loads(json.dumps(Config().model_dump(mode="json")))["review"]["branches"] == ["**"]


@pytest.mark.parametrize(
    ("usd", "micro"), [(None, None), (0, 0), (2.0, 2_000_000), (0.1, 100_000), (19.999999, 19_999_999)]
)
def test_money_is_integer_micro_dollars(usd: float | None, micro: int | None) -> None:
    assert Limit(usd=usd).micro_usd == micro


@pytest.mark.parametrize(
    ("permission", "required", "ok"),
    [
        ("admin", "maintain", True),
        ("maintain", "maintain", True),
        ("write", "maintain", False),
        ("read", "triage", False),
        ("triage", "triage", True),
        ("none", "triage", False),
    ],
)
def test_permission_ranks(permission: str, required: str, ok: bool) -> None:
    config = parse_config_text(f"approvals: {{permission: {required}}}", "f.yml")
    assert config.permission_suffices(permission) is ok


def test_config_is_frozen() -> None:
    with pytest.raises(ValueError, match="frozen"):
        Config().review.max_files = 1


def _as_json(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))  # YAML dates become strings, as editors see them


SCHEMA_CASES = [
    pytest.param("", True, id="empty"),
    pytest.param("_extends: acme/policies:agentbudget/base.yml\nmode: observe", True, id="extends"),
    pytest.param("_extends: ../x", False, id="bad-extends"),
    pytest.param("reveiw: {}", False, id="unknown-top-key"),
    pytest.param("review: {triggers: {event: [opened]}}", False, id="unknown-nested-key"),
    pytest.param("review: {max_changed_lines: '1500'}", False, id="quoted-number"),
    pytest.param("budget: {per_pr: {usd: -1}}", False, id="negative-budget"),
    pytest.param("models: {prices: {m: {input_per_mtok: 1}}}", False, id="incomplete-price"),
    pytest.param("approvals: {permission: owner}", False, id="bad-enum"),
]


@pytest.mark.parametrize(("text", "valid"), SCHEMA_CASES)
def test_schema_and_model_agree(text: str, valid: bool) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = _as_json(yaml.safe_load(text) or {})
    schema_ok = jsonschema.Draft202012Validator(config_schema()).is_valid(data)
    try:
        parse_config_text(text, "f.yml")
        model_ok = True
    except ConfigError:
        model_ok = False
    assert (schema_ok, model_ok) == (valid, valid)


def test_schema_accepts_the_shipped_defaults() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    shipped = _as_json(yaml.safe_load(DEFAULT_FILE.read_text()))
    jsonschema.Draft202012Validator.check_schema(config_schema())
    assert list(jsonschema.Draft202012Validator(config_schema()).iter_errors(shipped)) == []
