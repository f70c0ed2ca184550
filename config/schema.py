"""The JSON Schema of `.agentbudget.yml`, generated from the model.

`agentbudget config schema > config/schema.json` regenerates the shipped file.
"""

from __future__ import annotations

import json
import re
from typing import Any

from config.model import Config
from config.source import EXTENDS_KEY, EXTENDS_PATTERN

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def config_schema() -> dict[str, Any]:
    schema = Config.model_json_schema(mode="validation")
    extends = {
        "type": "string",
        # Plain groups and both cases: valid in ECMA-262 (editors) and Python alike, with no flags.
        "pattern": re.sub(r"\(\?P<\w+>", "(?:", EXTENDS_PATTERN.pattern).replace("[a-z\\d]", "[A-Za-z\\d]"),
        "description": "Inherit from another file, merged under this one (Probot syntax): `repo`, "
        "`owner/repo` or `owner/repo:path/file.yml`.",
    }
    schema["properties"] = {EXTENDS_KEY: extends, **schema["properties"]}
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "agentbudget configuration (.agentbudget.yml)",
        **{key: value for key, value in schema.items() if key != "title"},
    }


def schema_text() -> str:
    return json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n"
