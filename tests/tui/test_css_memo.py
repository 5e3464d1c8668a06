"""Textual CSS is parsed once per process (css_memo.py), and what is kept follows the theme."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.color import Color
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet, StylesheetParseError

from formative.tui import css_memo
from formative.tui.app import FormativeApp

CSS = "Label { color: $primary; } #title { text-style: bold; }"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Each source Textual's own parser is asked to parse, with the memo installed and empty."""
    asked: list[str] = []
    original = css_memo._parse

    def counting(*args: Any) -> Iterable[RuleSet]:
        asked.append(args[1])
        return original(*args)

    monkeypatch.setattr(css_memo, "_parse", counting)
    monkeypatch.setattr(css_memo, "_parsed", {})
    css_memo.install()
    yield asked


def rules_of(css: str, primary: str) -> list[RuleSet]:
    stylesheet = Stylesheet(variables={"primary": primary})
    stylesheet.add_source(css, read_from=("test.tcss", ""))
    stylesheet.parse()
    return stylesheet.rules


def test_an_app_parses_through_the_memo(tmp_path: Path) -> None:
    FormativeApp(answers_dir=tmp_path)
    assert css_memo.installed()


def test_a_second_stylesheet_parses_nothing_again(parses: list[str]) -> None:
    first = rules_of(CSS, "#ff0000")
    second = rules_of(CSS, "#ff0000")
    assert parses == [CSS]
    assert [rule.css for rule in second] == [rule.css for rule in first]


def test_what_is_kept_follows_the_theme(parses: list[str]) -> None:
    red = rules_of(CSS, "#ff0000")
    blue = rules_of(CSS, "#0000ff")
    assert parses == [CSS, CSS]
    assert red[0].styles.color == Color.parse("#ff0000")
    assert blue[0].styles.color == Color.parse("#0000ff")


def test_a_css_error_is_reported_every_time(parses: list[str]) -> None:
    for _ in range(2):
        with pytest.raises(StylesheetParseError):
            rules_of("Label { colour: red; }", "#ff0000")


def test_the_theme_is_tokenized_once_per_set_of_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[dict[str, str]] = []
    original = css_memo._tokenize

    def counting(values: dict[str, str]) -> dict[str, Any]:
        asked.append(values)
        return original(values)

    monkeypatch.setattr(css_memo, "_tokenize", counting)
    monkeypatch.setattr(css_memo, "_tokenized", {})
    css_memo.install()
    red = rules_of(CSS, "#ff0000")
    assert rules_of(CSS, "#ff0000")[0].styles.color == red[0].styles.color
    blue = rules_of(CSS, "#0000ff")
    assert asked == [{"primary": "#ff0000"}, {"primary": "#0000ff"}]
    assert blue[0].styles.color == Color.parse("#0000ff")
