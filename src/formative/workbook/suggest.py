"""'Did you mean …?' for unknown keys: the keys a model takes at a path, and the nearest one.

The path is pydantic's error location, which names the prompt kind of a discriminated
union ('prompts', 0, 'short_text', 'tile'), so a short_text prompt is offered the keys
of a short_text prompt, not of every kind.
"""

from __future__ import annotations

import difflib
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel


def _alternatives(annotation: Any) -> list[Any]:
    """The types an annotation allows, with Annotated, Optional and unions taken apart."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _alternatives(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [t for arg in get_args(annotation) for t in _alternatives(arg)]
    return [annotation]


def _models(annotation: Any) -> list[type[BaseModel]]:
    return [t for t in _alternatives(annotation) if isinstance(t, type) and issubclass(t, BaseModel)]


def _kind_of(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("kind")
    values = get_args(field.annotation) if field is not None else ()
    return values[0] if len(values) == 1 and isinstance(values[0], str) else None


def _step(annotations: list[Any], part: str | int) -> list[Any]:
    """The types found one step further along the path."""
    found: list[Any] = []
    for annotation in annotations:
        for alternative in _alternatives(annotation):
            if isinstance(part, int):
                if get_origin(alternative) is list:
                    found.extend(get_args(alternative)[:1])
            elif isinstance(alternative, type) and issubclass(alternative, BaseModel):
                if part in alternative.model_fields:
                    found.append(alternative.model_fields[part].annotation)
                elif _kind_of(alternative) == part:  # pydantic's tag of a discriminated union
                    found.append(alternative)
    return found


def keys_at(root: type[BaseModel], path: tuple[str | int, ...]) -> tuple[list[str], list[type[BaseModel]]]:
    """The keys a table at path may hold, and the models that table may be."""
    annotations: list[Any] = [root]
    for part in path:
        annotations = _step(annotations, part)
    models = [m for a in annotations for m in _models(a)]
    if len(models) > 1:  # the kind was not in the path: a key of any of them would do
        return sorted({name for m in models for name in m.model_fields}), models
    return (list(models[0].model_fields) if models else []), models


def unknown_key_message(root: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    """'unknown key 'tile'; did you mean 'title'?', or where the key belongs when it is close to none."""
    key = str(loc[-1])
    known, models = keys_at(root, loc[:-1])
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"unknown key '{key}'; did you mean '{close[0]}'?"
    kind = _kind_of(models[0]) if len(models) == 1 else None
    if kind is not None:
        kinds = _kinds_with(root, loc[:-2], key)
        if kinds:
            return f"unknown key '{key}': a {kind} prompt has no '{key}' (it is a key of {', '.join(kinds)})"
    if key in root.model_fields and len(loc) > 1:
        return f"unknown key '{key}': '{key}' belongs at the top of the file, above the first table"
    return f"unknown key '{key}' (check the spelling; see `formative schema`)"


def _kinds_with(root: type[BaseModel], union_path: tuple[str | int, ...], key: str) -> list[str]:
    """The prompt kinds (members of the union at union_path) that do have this key."""
    annotations: list[Any] = [root]
    for part in union_path:
        annotations = _step(annotations, part)
    kinds = [_kind_of(m) for a in annotations for m in _models(a) if key in m.model_fields]
    return [k for k in kinds if k is not None]
