"""The JSON Schema of the workbook format, generated from the models for TOML editors.

Each field's description is the docstring written under it in model.py. Pydantic can
read those itself (`use_attribute_docstrings`), but only by parsing the classes' source
whenever the models are imported: on every start of the app, for a schema that only
`formative schema` and `formative new` write. So they are read here, when asked for.
"""

from __future__ import annotations

import ast
import inspect
import json
from typing import Any

from pydantic import BaseModel

from formative.workbook import model
from formative.workbook.model import Workbook


def schema_json() -> str:
    schema = Workbook.model_json_schema()
    describe_fields(schema)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    schema["title"] = "Formative workbook"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def describe_fields(schema: dict[str, Any]) -> None:
    """Give each model's properties in the schema the docstrings of their fields (inherited ones too)."""
    written = field_docstrings(inspect.getsource(model))
    models = {cls.__name__: cls for cls in vars(model).values() if isinstance(cls, type) and issubclass(cls, BaseModel)}
    for name, definition in [("Workbook", schema), *schema.get("$defs", {}).items()]:
        cls = models.get(name)
        if cls is None:
            continue
        docs: dict[str, str] = {}
        for ancestor in reversed(cls.__mro__):
            docs.update(written.get(ancestor.__name__, {}))
        properties = definition.get("properties", {})
        for field, text in docs.items():
            if field in properties and "description" not in properties[field]:
                properties[field] = dict(sorted({**properties[field], "description": text}.items()))


def field_docstrings(source: str) -> dict[str, dict[str, str]]:
    """{class: {field: docstring}}: a string literal right under an annotated field, as pydantic reads them."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields = found.setdefault(node.name, {})
        for statement, following in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                fields[statement.target.id] = inspect.cleandoc(following.value.value)
    return found
