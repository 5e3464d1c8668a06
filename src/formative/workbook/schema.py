"""The JSON Schema of the workbook format, generated from the models for TOML editors."""

from __future__ import annotations

import json

from formative.workbook.model import Workbook


def schema_json() -> str:
    schema = Workbook.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    schema["title"] = "Formative workbook"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
