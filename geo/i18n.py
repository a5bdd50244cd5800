"""Interface text: one catalogue per language (geo/locale/<lang>.toml), prose pages as Markdown per language
(geo/locale/<lang>/<name>.md), and display names of coded values in the chosen language.

Catalogue values are trusted text written by this project (they may hold Markdown); values filled into their
`{placeholders}` are not, and the UI layer escapes them before they reach Markdown (pages/ui/text.py).
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every interface string of one language, by key."""
    if lang not in LANGS:
        raise KeyError(f"no catalogue for language {lang!r}")
    with (LOCALE_DIR / f"{lang}.toml").open("rb") as fh:
        table = tomllib.load(fh)
    bad = [k for k, v in table.items() if not isinstance(v, str)]
    if bad:
        raise ValueError(f"{lang}.toml: values must be strings: {bad[:5]}")
    return table


# The counted nouns of the English catalogue and their singular.
_SINGULAR = {"pairings": "pairing", "pairs": "pair", "cities": "city", "countries": "country",
             "provinces": "province", "flows": "flow", "partners": "partner", "views": "view", "rows": "row"}
_ONE = re.compile(r"(?<![\d.,])(1 )(" + "|".join(_SINGULAR) + r")\b")


def t(key: str, lang: str, /, **fmt: Any) -> str:
    """The text of `key` in `lang` with `{placeholders}` filled. An unknown key is a programming error and
    raises KeyError (tests/test_i18n.py checks every key the code uses)."""
    text = catalogue(lang if lang in LANGS else DEFAULT_LANG)[key]
    if not fmt:
        return text
    text = text.format(**fmt)
    # English counts a single one in the singular ('1 pairing', '1 city'); the catalogue is written for many.
    return _ONE.sub(lambda m: m.group(1) + _SINGULAR[m.group(2)], text) if lang == "en" else text


def singular_nouns(lang: str) -> dict[str, str]:
    """The counted nouns a language puts in the singular after a lone 1 (English; none in Chinese), for the
    browser, which fills some counts itself (the map's playback) by the same rule as `t`."""
    return dict(_SINGULAR) if lang == "en" else {}


def has(key: str) -> bool:
    return key in catalogue(DEFAULT_LANG)


def placeholders(text: str) -> set[str]:
    """The `{names}` a catalogue string expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@cache
def prose(name: str, lang: str) -> str:
    """A prose page (Markdown) in the chosen language, e.g. the method page's explanation."""
    return (LOCALE_DIR / (lang if lang in LANGS else DEFAULT_LANG) / f"{name}.md").read_text(encoding="utf-8")


def label(kind: str, value: str, lang: str) -> str:
    """Display name of a coded value, e.g. label("affinity", "geography", "zh") -> "地缘". Kinds are key
    prefixes in the catalogue: affinity, macro, level (level class), lvl (cn/partner level), tie, status."""
    return t(f"{kind}_{value or 'unknown'}", lang)


def joined(items: Iterable[str], lang: str) -> str:
    """A list as the language writes it: '地缘、语缘' / 'Geography, Language'."""
    return t("list_sep", lang).join(items)


def field(name_key: str, value: str, lang: str) -> str:
    """'级别：城市级' / 'Level: City–city' (the colon of the language)."""
    return t("field", lang, name=t(name_key, lang), value=value)


def pick(row: Mapping[Any, Any], base: str, lang: str) -> str:
    """`row[base_zh]` or `row[base_en]` for the language, falling back to the other when empty."""
    first, second = (f"{base}_zh", f"{base}_en") if lang == "zh" else (f"{base}_en", f"{base}_zh")
    for key in (first, second):
        value = row.get(key, "")
        if isinstance(value, str) and value.strip():
            return value
    return ""


def cn_label(row: Mapping[Any, Any], lang: str) -> str:
    """Name of the Chinese side as people say it: '南京市' / 'Nanjing'."""
    return pick(row, "cn_name", lang)


def partner_label(row: Mapping[Any, Any], lang: str) -> str:
    return pick(row, "partner_name", lang)


def year_text(row: Mapping[Any, Any], lang: str) -> str:
    value = row.get("established", "")
    return value if isinstance(value, str) and value else t("year_unknown", lang)


def era_label(era: Mapping[Any, Any], lang: str, *, years: bool = True) -> str:
    """'II 改革开放与建交结好（1979–1991）' / 'II Reform and opening-up (1979–1991)'; an open era ends 'now'."""
    name = f"{era['era_id']} {pick(era, 'label', lang)}"
    if not years:
        return name
    end = str(era.get("end_year") or "") or t("era_open_end", lang)
    return t("era_years", lang, name=name, start=era["start_year"], end=end)


def era_labels(eras: Iterable[Mapping[Any, Any]], lang: str, *, years: bool = True) -> dict[str, str]:
    """Era id -> label for every era, plus the 'year unknown' pseudo-era."""
    out = {str(e["era_id"]): era_label(e, lang, years=years) for e in eras}
    out["unknown"] = t("unknown_era", lang)
    return out
