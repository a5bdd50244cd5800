"""Finding a place or a country from what a person types: a Chinese name with or without its unit word (南京,
南京市), pinyin (nanjing, Nán Jīng), an English name (Nanjing, Japan), a code (JPN, JP) or an id (gn:1799962).

A name that fits several places returns all of them, so the page can offer the choice; the caller's order of
`add` calls is kept (e.g. most pairings first). Sorting names the way each language sorts them lives here too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
from pypinyin import lazy_pinyin

from geo.names import fold, loose, strip_cn_suffix

_CJK = re.compile(r"[\u3400-\u9fff]")
_EXTRA_CN_SUFFIXES = ("都", "府", "道", "郡", "省", "市")

# Common country names that differ from data/countries.csv's (CLDR) names; used only if the code is known.
COUNTRY_ALIASES = {
    "usa": "USA", "us": "USA", "u s a": "USA", "united states of america": "USA", "america": "USA",
    "美利坚合众国": "USA", "uk": "GBR", "great britain": "GBR", "britain": "GBR", "england": "GBR",
    "大不列颠及北爱尔兰联合王国": "GBR", "korea": "KOR", "republic of korea": "KOR", "korea republic of": "KOR",
    "大韩民国": "KOR", "南韩": "KOR", "dprk": "PRK", "democratic people s republic of korea": "PRK",
    "朝鲜民主主义人民共和国": "PRK", "russian federation": "RUS", "俄罗斯联邦": "RUS", "viet nam": "VNM",
    "越南社会主义共和国": "VNM", "lao pdr": "LAO", "老挝人民民主共和国": "LAO", "czech republic": "CZE",
    "捷克共和国": "CZE", "turkey": "TUR", "holland": "NLD", "the netherlands": "NLD", "iran islamic republic of": "IRN",
    "cote d ivoire": "CIV", "ivory coast": "CIV", "burma": "MMR", "缅甸联邦": "MMR", "日本国": "JPN",
    "澳洲": "AUS", "纽西兰": "NZL", "蒙古国": "MNG", "德意志联邦共和国": "DEU", "法兰西共和国": "FRA",
    "意大利共和国": "ITA", "西班牙王国": "ESP", "泰王国": "THA", "马来西亚联邦": "MYS",
}


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def pinyin(text: str) -> str:
    """'南京' -> 'nanjing' (toneless, no spaces); other characters are kept, folded."""
    return "".join(lazy_pinyin(text)).replace(" ", "").lower()


def keys_of(name: str, *, typed: bool = False) -> set[str]:
    """Every form under which a name is found: folded, without spaces, without its unit word, and for a Chinese
    name without its suffix and in pinyin. For what a person `typed` in Chinese characters, no pinyin: the
    characters they chose say more than the sound (巴黎 is Paris, not 巴里 Bari, though both read 'bali')."""
    name = unicodedata.normalize("NFKC", name).strip()
    if not name:
        return set()
    keys = {fold(name), fold(name).replace(" ", ""), loose(name), loose(name).replace(" ", "")}
    if has_cjk(name):
        bare = strip_cn_suffix(name)
        for suffix in _EXTRA_CN_SUFFIXES:
            if bare.endswith(suffix) and len(bare) > len(suffix) + 1:
                bare = bare[: -len(suffix)]
        keys |= {bare} if typed else {bare, pinyin(bare), pinyin(name)}
    return {k for k in keys if k}


class NameIndex:
    """Ids found by any of their names. `find` tries, in order: the id itself, a name as written, any derived
    form (`keys_of`), then names that start with what was typed; the first step with a hit wins."""

    def __init__(self) -> None:
        self._order: dict[str, int] = {}
        self._ids: dict[str, str] = {}
        self._exact: dict[str, list[str]] = {}
        self._keys: dict[str, list[str]] = {}
        self._names: list[tuple[str, str]] = []

    def add(self, ident: str, names: Iterable[str]) -> None:
        if not ident:
            return
        self._order.setdefault(ident, len(self._order))
        self._ids.setdefault(ident.lower(), ident)
        for name in names:
            name = str(name or "").strip()
            if not name:
                continue
            _append(self._exact, name.lower(), ident)
            for key in keys_of(name):
                _append(self._keys, key, ident)
            self._names.append((fold(name), ident))
            if has_cjk(name):
                self._names.append((name, ident))

    def find(self, text: str, *, prefix: bool = True) -> list[str]:
        """The ids `text` names, most relevant step only, in the order they were added; `prefix=False` skips the
        last step (for importers, where a guess is worse than a reported miss)."""
        text = unicodedata.normalize("NFKC", str(text)).strip()
        if not text:
            return []
        if text.lower() in self._ids:
            return [self._ids[text.lower()]]
        hits = list(self._exact.get(text.lower(), []))
        if not hits:
            for key in keys_of(text, typed=True):
                hits += self._keys.get(key, [])
        if not hits and prefix and len(text) >= 2:
            start = fold(text) if not has_cjk(text) else text
            hits = [ident for name, ident in self._names if name.startswith(start)]
        return sorted(dict.fromkeys(hits), key=lambda i: self._order[i])


def _append(table: dict[str, list[str]], key: str, ident: str) -> None:
    bucket = table.setdefault(key, [])
    if ident not in bucket:
        bucket.append(ident)


def place_index(choices: pd.DataFrame) -> NameIndex:
    """Index of the places in `stats.city_choices` output (place_id, names, aliases), in its order."""
    index = NameIndex()
    for pid, zh, en, aliases in zip(choices["place_id"], choices["name_zh"], choices["name_en"],
                                    choices["aliases"], strict=True):
        index.add(str(pid), [str(zh), str(en), *str(aliases).split("|")])
    return index


def country_index(countries: pd.DataFrame) -> NameIndex:
    """Index of data/countries.csv by ISO3, ISO2, English and Chinese name, plus common other names."""
    index = NameIndex()
    known = set(countries["iso3"])
    aliases: dict[str, list[str]] = {}
    for alias, iso3 in COUNTRY_ALIASES.items():
        if iso3 in known:
            aliases.setdefault(iso3, []).append(alias)
    for r in countries.to_dict("records"):
        iso3 = str(r["iso3"])
        index.add(iso3, [str(r.get("iso2") or ""), str(r.get("name_en") or ""), str(r.get("name_zh") or ""),
                         *aliases.get(iso3, [])])
    return index


def sort_key(name: str, lang: str) -> tuple[tuple[str, ...], str]:
    """How names sort in a language: Chinese by pinyin, syllable by syllable, as Chinese dictionaries and lists
    order them (阿根廷 a-gen before 埃及 ai-ji); English by folded name."""
    return (tuple(lazy_pinyin(name)) if lang == "zh" else (fold(name),), name)


# --- pair ids from links ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairLookup:
    """What a `pair=` value from a link or saved view names. `kind`: 'found' (a pairing's id), 'alias' (an older
    id of the pairing `pair_id`, data/pair_aliases.csv), 'gone' (an older id with no successor; `reason` says
    why) or 'unknown' (no id this dataset has ever had)."""

    asked: str
    kind: str
    pair_id: str = ""
    reason: str = ""


def resolve_pair(asked: str, known: Container[str], aliases: Mapping[str, tuple[str, str]]) -> PairLookup:
    """The pairing a pair id from a URL opens: itself if it exists, else the pairing its alias leads to."""
    if asked in known:
        return PairLookup(asked, "found", asked)
    if asked in aliases:
        new_id, reason = aliases[asked]
        if new_id and new_id in known:
            return PairLookup(asked, "alias", new_id, reason)
        return PairLookup(asked, "gone", "", reason)
    return PairLookup(asked, "unknown")
