"""Parse each piece of Textual CSS once per process, not once per stylesheet.

Textual parses an app's whole stylesheet afresh each time it builds a new Stylesheet: at
start, again when the theme is set, again when a screen brings CSS of its own. Rules
parsed once in the fork server (serve/zygote.py rehearses an app) were parsed again by
every participant's app it forked: about a third of an arrival's CPU before its first
paint, with thirty people arriving at once on two cores.

Parsed rule sets depend only on the CSS text, where it came from, its scope and the
theme's variables, so they are kept by exactly those, as Textual's own per-stylesheet
cache keeps them (and, like it, shared between the stylesheets that ask). Should a
Textual release move the parser, install() leaves Textual alone and installed() says so
(a test checks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import textual.css.stylesheet as textual_stylesheet
from textual.css.model import RuleSet
from textual.css.parse import parse as textual_parse
from textual.css.tokenize import tokenize_values as textual_tokenize_values
from textual.css.tokenizer import Token

MAX_ENTRIES = 512
"""Parsed sources kept; a few hundred cover an app and several themes (each theme's variables are a key)."""

_parse: Callable[..., Iterable[RuleSet]] = textual_parse
_tokenize: Callable[[dict[str, str]], dict[str, list[Token]]] = textual_tokenize_values
_tokenized: dict[tuple[tuple[str, str], ...], dict[str, list[Token]]] = {}
_parsed: dict[tuple[Any, ...], list[RuleSet]] = {}
_variables: dict[int, tuple[dict[str, list[Token]], tuple[Any, ...]]] = {}
"""id of a stylesheet's variable tokens → (those tokens, kept so the id is not reused; a hashable copy)."""


def _variables_key(tokens: dict[str, list[Token]]) -> tuple[Any, ...]:
    known = _variables.get(id(tokens))
    if known is None or known[0] is not tokens:
        if len(_variables) >= MAX_ENTRIES:
            _variables.clear()
        known = _variables[id(tokens)] = (tokens, tuple((name, tuple(value)) for name, value in tokens.items()))
    return known[1]


def parse_once(
    scope: str,
    css: str,
    read_from: Any,
    variables: dict[str, str] | None = None,
    variable_tokens: dict[str, list[Token]] | None = None,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
) -> Iterable[RuleSet]:
    """textual.css.parse.parse, remembered (its signature; an error is raised each time, never kept)."""
    if variables is not None:  # Textual's stylesheet passes tokens; anything else is parsed as asked
        return _parse(scope, css, read_from, variables, variable_tokens, is_default_rules, tie_breaker)
    key = (scope, css, read_from, _variables_key(variable_tokens or {}), is_default_rules, tie_breaker)
    rules = _parsed.get(key)
    if rules is None:
        rules = list(_parse(scope, css, read_from, None, variable_tokens, is_default_rules, tie_breaker))
        if len(_parsed) >= MAX_ENTRIES:
            _parsed.clear()
        _parsed[key] = rules
    return iter(rules)


def tokenize_once(values: dict[str, str]) -> dict[str, list[Token]]:
    """The theme's variables as tokens (~15 ms each time a stylesheet is made), remembered.

    Textual reads these tokens and never changes them (nor do our stylesheets, which define no
    variables of their own), so one dict serves every stylesheet with the same variables."""
    key = tuple(values.items())
    tokens = _tokenized.get(key)
    if tokens is None:
        if len(_tokenized) >= MAX_ENTRIES:
            _tokenized.clear()
        tokens = _tokenized[key] = _tokenize(values)
    return tokens


def install() -> None:
    """Have Textual's stylesheets tokenize and parse through these (idempotent)."""
    names = vars(textual_stylesheet)  # the names Textual's Stylesheet calls them by
    if names.get("tokenize_values") is textual_tokenize_values:
        names["tokenize_values"] = tokenize_once
    if names.get("parse") is textual_parse:
        names["parse"] = parse_once


def installed() -> bool:
    names = vars(textual_stylesheet)
    return names.get("parse") is parse_once and names.get("tokenize_values") is tokenize_once
