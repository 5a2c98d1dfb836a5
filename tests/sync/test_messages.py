"""The message catalogue: one rule for the language, templates filled in either language, no inline branches."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import specialist_app
import sync
from sync.messages import Label, choose, fill, in_language, is_chinese, lang_key, render

ROOTS = (Path(sync.__file__).parent, Path(specialist_app.__file__).parent)


@pytest.mark.parametrize(("lang", "chinese"), [("zh_CN", True), ("zh", True), ("zh-Hans", True), ("en", False),
                                                ("en_US", False)])
def test_one_rule_decides_the_language(lang: str, chinese: bool) -> None:
    assert is_chinese(lang) is chinese
    assert choose(lang, "中", "en") == ("中" if chinese else "en")
    assert lang_key(lang) == ("zh" if chinese else "en")


def test_a_template_is_filled_with_labels_in_the_same_language() -> None:
    texts = {"hello": ("你好，{who}", "Hello, {who}")}
    who = Label("专员", "specialist")
    assert fill(texts, "hello", "zh_CN", who=who) == "你好，专员"
    assert fill(texts, "hello", "en", who=who) == "Hello, specialist"
    assert in_language(who, "en") == "specialist"


def test_an_unknown_code_reads_as_itself_and_a_missing_parameter_leaves_the_template() -> None:
    assert fill({}, "no_such_code", "en") == "no_such_code"
    assert render("required", "en") == "{label} is required"


def test_the_small_words_of_a_list_are_in_the_catalogue() -> None:
    assert render("more_items", "zh_CN", more=3) == "…（另有 3 项）"
    assert render("more_items", "en", more=3) == "… (3 more)"
    assert render("enum_sep", "zh_CN") + render("problem_sep", "en") == "、; "


def _inline_language_branches(source: str) -> list[int]:
    """Lines calling `<something>.startswith("zh...")`: a language decided by hand."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "startswith"
            and node.args and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).startswith("zh")]


def test_no_module_but_the_catalogue_decides_the_language_inline() -> None:
    rule = Path(sync.__file__).parent / "messages.py"
    found = [f"{path}:{line}" for root in ROOTS for path in sorted(root.rglob("*.py")) if path != rule
             for line in _inline_language_branches(path.read_text("utf-8"))]
    assert found == [], "use sync.messages (render, fill, in_language, choose) instead"
    assert _inline_language_branches(rule.read_text("utf-8"))  # the walk sees the one that is there
