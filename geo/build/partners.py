"""Chinese names of foreign partners: normalising them, telling a state from a city by the name's ending, and
matching a Chinese name to an English one.

The Chinese lists name partners in Chinese only. A Chinese name is matched to an English one by, in order:
the same Chinese name in another source that gives both; the curated tables (`data/raw/admin1_seats.csv` for
first-level units, `data/raw/partner_names.csv` for the rest); GeoNames' Chinese alternate names for the place an
English claim was placed at; and, only to choose between the few partners one Chinese unit has in one country,
how alike the names sound (pinyin of the Chinese transliteration against the English spelling).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from geo.names import loose

_SPACE = re.compile(r"[\s·・•\-－—]+")
_PAREN = re.compile(r"\s*[（(].*?[)）]\s*")
# Endings that name the kind of unit, longest first; the value is the partner level the ending implies.
_ENDINGS: list[tuple[str, str]] = [
    ("特别自治道", "state"), ("特别自治市", "city"), ("特别市", "city"), ("广域市", "city"), ("自治共和国", "state"),
    ("共和国", "state"), ("边疆区", "state"), ("自治区", "state"), ("自治州", "state"), ("联邦州", "state"),
    ("大区", "state"), ("地区", "state"), ("首都区", "state"), ("省", "state"), ("州", "state"), ("县", "state"),
    ("府", "state"), ("都", "state"), ("道", "state"), ("郡", "county"), ("市", "city"), ("町", "city"),
    ("村", "city"), ("区", "city"), ("镇", "city"), ("城", "city"),
]
# Japanese 県/府, Thai 府 (changwat) and Korean 道 are first-level units; a trailing 州 or 县 in a transliteration of a
# Western city is rare, so these endings say "state" only for the countries where they are the unit words.
_STATE_ENDING_COUNTRIES = {"县": {"JPN"}, "府": {"JPN", "THA"}, "都": {"JPN"}, "道": {"JPN", "KOR", "PRK"}}


@lru_cache(maxsize=1)
def _converters():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("jp2t"), opencc.OpenCC("t2s")


def simplified(name: str) -> str:
    """The name in simplified characters, Japanese forms included ('浜松' -> '滨松', '麗水' -> '丽水')."""
    if not name:
        return ""
    jp2t, t2s = _converters()
    return str(t2s.convert(jp2t.convert(name)))


def zh_norm(name: str) -> str:
    """Simplified Chinese, without parentheses, spaces or separators: '長崎県' -> '长崎县'."""
    return _SPACE.sub("", simplified(_PAREN.sub("", name)))


def zh_split(name: str, iso3: str = "") -> tuple[str, str]:
    """(bare name, level the ending implies or ''): '马里兰州' -> ('马里兰', 'state'), '岐阜' -> ('岐阜', '')."""
    name = zh_norm(name)
    for ending, level in _ENDINGS:
        if name.endswith(ending) and len(name) > len(ending) + 1:
            countries = _STATE_ENDING_COUNTRIES.get(ending)
            if countries is not None and iso3 and iso3 not in countries:
                level = "" if ending != "县" else "county"
            return name[: -len(ending)], level
    return name, ""


def zh_base(name: str, iso3: str = "") -> str:
    return zh_split(name, iso3)[0]


# --- sound-alike score ---------------------------------------------------------------------------------------

_FOLDS = (("tsch", "s"), ("sch", "s"), ("ph", "f"), ("gh", ""), ("th", "t"), ("ck", "k"), ("sh", "s"), ("zh", "s"),
          ("ch", "s"), ("ts", "s"), ("tz", "s"), ("ng", "n"), ("qu", "k"), ("x", "s"), ("q", "s"), ("j", "s"),
          ("z", "s"), ("c", "k"), ("g", "k"), ("d", "t"), ("b", "p"), ("v", "f"), ("w", "f"), ("r", "l"), ("h", ""),
          ("y", ""))


def _skeleton(latin: str) -> str:
    s = re.sub(r"[^a-z]", "", latin.lower())
    for a, b in _FOLDS:
        s = s.replace(a, b)
    s = re.sub(r"[aeiou]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


# Names in these countries are written in Chinese characters by their own reading (岘港 is Đà Nẵng, 钟路 Jongno):
# how the Mandarin reading sounds says nothing about the English spelling.
SINOGRAPHIC = {"JPN", "KOR", "PRK", "VNM"}


def sound_score(name_zh: str, name_en: str) -> float:
    """0..1: how alike a Chinese transliteration and an English spelling sound (consonant skeletons)."""
    from pypinyin import lazy_pinyin

    a = _skeleton("".join(lazy_pinyin(zh_base(name_zh))))
    b = _skeleton(loose(name_en).replace(" ", ""))
    if not a or not b:
        return 0.0
    if len(a) < 3 or len(b) < 3:
        # A skeleton of one or two consonants matches too much by chance ('岘港' and 'Ho Chi Minh'): only an
        # identical one counts ('比耶拉' and 'Biella').
        return 1.0 if a == b else 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()


