"""The translation table: both languages complete, and the mechanism switches them."""

import importlib
import string

import pytest

from ui import i18n

PAGE_TABLES = [name for name in i18n._TABLE_MODULES
               if importlib.util.find_spec(f"ui.strings.{name}") is not None]


@pytest.mark.parametrize("name", PAGE_TABLES)
def test_every_string_has_both_languages(name: str) -> None:
    module = importlib.import_module(f"ui.strings.{name}")
    assert set(module.EN) == set(module.ZH), "EN and ZH must have the same keys"
    for key in module.EN:
        assert module.EN[key].strip() and module.ZH[key].strip(), key
        fields_en = {f for _, f, _, _ in string.Formatter().parse(module.EN[key]) if f}
        fields_zh = {f for _, f, _, _ in string.Formatter().parse(module.ZH[key]) if f}
        assert fields_en == fields_zh, f"{key}: placeholders differ between languages"


def test_keys_do_not_collide_between_pages() -> None:
    seen: dict[str, str] = {}
    for name in PAGE_TABLES:
        for key in importlib.import_module(f"ui.strings.{name}").EN:
            assert key not in seen, f"{key} defined by both {seen[key]} and {name}"
            seen[key] = name


def test_chinese_strings_are_chinese() -> None:
    """A ZH entry that is a copy of the English one is a missing translation."""
    copies = [key for key in i18n.TABLES["en"]
              if i18n.TABLES["zh"].get(key) == i18n.TABLES["en"][key] and any(c.isalpha() for c in i18n.TABLES["en"][key])
              and len(i18n.TABLES["en"][key]) > 12]
    assert not copies, f"untranslated: {copies[:10]}"


def test_every_widget_shown_by_label_is_registered_for_the_language_switch() -> None:
    """A widget with `format_func` (or tabs with a key) reports its choice by label, so its
    key must go through `labelled()`: a language switch then re-sends its value."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    found = []
    for path in [root / "streamlit_app.py", *(root / "pages").glob("*.py"), *(root / "ui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            names = {keyword.arg: keyword.value for keyword in node.keywords}
            is_tabs = getattr(node.func, "attr", "") == "tabs" and "key" in names
            if "format_func" not in names and not is_tabs:
                continue
            key = names.get("key")
            if isinstance(key, ast.Name) and key.id == "LANG_WIDGET_KEY":
                continue          # the language switch itself: its labels are the same in both languages
            found.append(f"{path.name}:{node.lineno}")
            assert isinstance(key, ast.Call) and getattr(key.func, "id", "") == "labelled", \
                f"{path.name}:{node.lineno} shows options by label; give it key=labelled(...)"
    assert len(found) >= 15, found
